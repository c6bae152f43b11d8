/** STS and the Resource Groups Tagging API of the simulated organization. */
import type { CloudFormationEngine } from './cloudformation/engine';
import { arnFor } from './cloudformation/resourceTypes';
import { awsError } from './errors';
import { SeededRandom } from './random';
import type { CommandContext, CommandHandlers } from './types';

export function stsHandlers(
  seed: number,
  isAllowed: (accountId: string) => boolean,
): CommandHandlers {
  return {
    GetCallerIdentity: (ctx: CommandContext) => ({
      UserId: `AROA${SeededRandom.for(seed, 'role', ctx.accountId).upperAlnum(
        17,
      )}:backstage`,
      Account: ctx.accountId,
      Arn: `arn:aws:sts::${ctx.accountId}:assumed-role/innovate-portal/backstage`,
    }),
    AssumeRole: (
      ctx: CommandContext,
      input: {
        RoleArn?: string;
        RoleSessionName?: string;
        DurationSeconds?: number;
      },
    ) => {
      const match = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(
        input.RoleArn ?? '',
      );
      if (!match)
        throw awsError(
          'sts',
          'ValidationError',
          `${input.RoleArn} is not a valid role ARN`,
        );
      const [, accountId, roleName] = match;
      if (!isAllowed(accountId)) {
        throw awsError(
          'sts',
          'AccessDenied',
          `User is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`,
          403,
        );
      }
      const random = SeededRandom.for(
        seed,
        'assume',
        input.RoleArn!,
        input.RoleSessionName ?? '',
        ctx.now(),
      );
      const roleId = `AROA${SeededRandom.for(
        seed,
        'role',
        accountId,
        roleName,
      ).upperAlnum(17)}`;
      return {
        Credentials: {
          AccessKeyId: `ASIA${random.upperAlnum(16)}`,
          SecretAccessKey: random.chars(
            'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
            40,
          ),
          SessionToken: `Fwo${random.chars(
            'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
            120,
          )}`,
          Expiration: new Date(
            ctx.now() + (input.DurationSeconds ?? 3600) * 1000,
          ),
        },
        AssumedRoleUser: {
          AssumedRoleId: `${roleId}:${input.RoleSessionName}`,
          Arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${input.RoleSessionName}`,
        },
        PackedPolicySize: 0,
      };
    },
  };
}

/** `service:resourceType` of an ARN as the tagging API's ResourceTypeFilters spell it (e.g. `ec2:vpc`). */
function resourceTypeOf(arn: string): string {
  const [, , service, , , ...rest] = arn.split(':');
  const resource = rest.join(':');
  const type = resource.split(/[/:]/)[0];
  return service === 's3' ? 's3' : `${service}:${type}`;
}

export function taggingHandlers(engine: CloudFormationEngine): CommandHandlers {
  return {
    GetResources: (
      ctx: CommandContext,
      input: {
        TagFilters?: Array<{ Key?: string; Values?: string[] }>;
        ResourceTypeFilters?: string[];
        ResourceARNList?: string[];
        ResourcesPerPage?: number;
        PaginationToken?: string;
      },
    ) => {
      const state = engine.region(ctx.accountId, ctx.region);
      engine.advance(state);
      const mappings: Array<{
        ResourceARN: string;
        Tags: Array<{ Key: string; Value: string }>;
      }> = [];
      for (const stack of engine.liveStacks(state)) {
        if (stack.status === 'REVIEW_IN_PROGRESS') continue;
        mappings.push({
          ResourceARN: stack.stackId,
          Tags: stack.definition.tags,
        });
        for (const resource of Object.values(stack.definition.resources)) {
          if (
            !resource.physicalId ||
            resource.tags.length === 0 ||
            resource.status.startsWith('DELETE')
          )
            continue;
          mappings.push({
            ResourceARN: arnFor(
              resource.type,
              resource.physicalId,
              ctx.accountId,
              ctx.region,
            ),
            Tags: resource.tags,
          });
        }
      }
      const filtered = mappings.filter(m => {
        if (
          input.ResourceARNList?.length &&
          !input.ResourceARNList.includes(m.ResourceARN)
        )
          return false;
        if (input.ResourceTypeFilters?.length) {
          const type = resourceTypeOf(m.ResourceARN);
          if (
            !input.ResourceTypeFilters.some(
              f =>
                type === f ||
                type.startsWith(`${f}:`) ||
                f === type.split(':')[0],
            )
          )
            return false;
        }
        return (input.TagFilters ?? []).every(filter =>
          m.Tags.some(
            t =>
              t.Key === filter.Key &&
              (!filter.Values?.length || filter.Values.includes(t.Value)),
          ),
        );
      });
      const size = input.ResourcesPerPage ?? 100;
      if (size < 1 || size > 100) {
        throw awsError(
          'resourcegroupstaggingapi',
          'InvalidParameterException',
          'ResourcesPerPage must be between 1 and 100',
        );
      }
      const start = input.PaginationToken
        ? Number(
            Buffer.from(input.PaginationToken, 'base64').toString('utf8'),
          ) || 0
        : 0;
      const next =
        start + size < filtered.length
          ? Buffer.from(String(start + size)).toString('base64')
          : '';
      // The tagging API returns an empty PaginationToken on the last page, not none.
      return {
        ResourceTagMappingList: filtered.slice(start, start + size),
        PaginationToken: next,
      };
    },
  };
}
