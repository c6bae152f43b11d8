import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { EventsService } from '@backstage/plugin-events-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { ENVIRONMENTS_CHANGED_TOPIC } from '@internal/plugin-aws-environments-common';
import { setTimeout as sleep } from 'node:timers/promises';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  type ActionDependencies,
  assertEnvironmentName,
  assertTargetAllowed,
} from '../lib/actionSupport';
import { assertMayManageExisting } from '../lib/environmentRun';
import { TaskCancelledError } from '../lib/errors';
import { examples } from './environmentRegister.examples';

/**
 * `innovate:environment:register`: asks the catalog's environment provider to discover the environment now and
 * waits (bounded) until the catalog has its entity.
 */
export function createEnvironmentRegisterAction(
  deps: Pick<ActionDependencies, 'settings' | 'access' | 'awsClients'> & {
    events: EventsService;
    catalog: CatalogService;
  },
) {
  return createTemplateAction({
    id: 'innovate:environment:register',
    description:
      'Makes the catalog discover an environment now (event aws-environments.changed) and waits until its entity exists.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z => z.string({ description: 'Environment name' }),
        accountId: z =>
          z
            .string({ description: 'AWS account id of the environment' })
            .optional(),
        region: z =>
          z.string({ description: 'AWS Region of the environment' }).optional(),
        timeoutSeconds: z =>
          z
            .number({
              description:
                'How long to wait for the catalog; default from config',
            })
            .int()
            .positive()
            .max(900)
            .optional(),
      },
      output: {
        entityRef: z =>
          z.string({
            description:
              'Entity ref of the environment, resource:default/<name>',
          }),
      },
    },
    async handler(ctx) {
      const { name, accountId, region } = ctx.input;
      assertEnvironmentName(name);
      const entityRef = stringifyEntityRef({
        kind: 'Resource',
        namespace: 'default',
        name,
      });
      let client: CloudFormationClient | undefined;
      if (accountId && region) {
        assertTargetAllowed(deps.awsClients, { accountId, region });
        client = await deps.awsClients.getClient(CloudFormationClient, {
          accountId,
          region,
        });
      }
      await assertMayManageExisting(deps, ctx, name, client, 'register');
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would register ${entityRef}`);
        ctx.output('entityRef', entityRef);
        return;
      }
      await deps.events.publish({
        topic: ENVIRONMENTS_CHANGED_TOPIC,
        eventPayload: {
          environment: name,
          ...(accountId ? { accountId } : {}),
          ...(region ? { region } : {}),
        },
      });
      ctx.logger.info(
        `Asked the catalog to discover ${name}; waiting for ${entityRef}`,
      );

      const credentials = await ctx.getInitiatorCredentials();
      const timeoutSeconds =
        ctx.input.timeoutSeconds ?? deps.settings.registrationTimeoutSeconds;
      const deadline = Date.now() + timeoutSeconds * 1000;
      const interval = Math.min(2, deps.settings.pollIntervalSeconds) * 1000;
      for (;;) {
        const entity = await deps.catalog.getEntityByRef(entityRef, {
          credentials,
        });
        if (entity) {
          ctx.logger.info(`${entityRef} is in the catalog`);
          ctx.output('entityRef', entityRef);
          return;
        }
        if (Date.now() + interval > deadline) {
          throw new NotFoundError(
            `${entityRef} did not appear in the catalog within ${timeoutSeconds} s; check that the catalog module aws-environments is installed and the stacks carry the innovate:environment tag`,
          );
        }
        try {
          await sleep(interval, undefined, { signal: ctx.signal });
        } catch {
          throw new TaskCancelledError(
            `Cancelled while waiting for ${entityRef}`,
          );
        }
      }
    },
  });
}
