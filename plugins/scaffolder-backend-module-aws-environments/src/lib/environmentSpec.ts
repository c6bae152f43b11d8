import {
  type CloudFormationClient,
  paginateDescribeStacks,
} from '@aws-sdk/client-cloudformation';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ENVIRONMENT_FIELD_TITLES,
  STAGES,
  TAG_ENVIRONMENT,
  TAG_LAYER,
  budgetProblem,
  cidrsOverlap,
  environmentNameProblem,
  fieldTitle,
  tagValueProblem,
  vpcCidrProblem,
} from '@internal/plugin-aws-environments-common';
import {
  type AwsClientFactory,
  type EnvironmentSpec,
} from '@internal/plugin-aws-environments-node';
import { z } from 'zod/v3';
import {
  type CurrentSettings,
  type EffectiveSetting,
  NO_CURRENT_SETTINGS,
  mergeWithCurrentSettings,
} from './currentSettings';

const AWS_REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;
const DOMAIN_NAME_PATTERN =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Upper bound of the initial RDS storage, as the data template's `DatabaseStorageGb` parameter allows. */
export const MAX_DATABASE_STORAGE_GB = 2000;

/**
 * Graviton (arm64) families such as t4g, m7g, c7gn or r8g. The compute template's node groups run the arm64 EKS AMI
 * (`NodeAmiType` AL2023_ARM_64_STANDARD), so an x86 type would fail only when the node group is created.
 */
const GRAVITON_INSTANCE_TYPE = /^[a-z]+\d+g[a-z]*\.[a-z0-9]+$/;

function gravitonInstanceType(zImpl: typeof z) {
  return zImpl
    .string()
    .regex(
      GRAVITON_INSTANCE_TYPE,
      'must be a Graviton (arm64) instance type such as t4g.medium or m7g.large: the node groups run the arm64 EKS AMI',
    );
}

/**
 * Optional text fields whose empty value means "off" (no DR copy, no custom domain). A blank field keeps the current
 * value, so turning one of them off takes an explicit word.
 */
export const CLEARABLE_FIELDS = [
  'drCopyRegion',
  'domainName',
  'hostedZoneId',
] as const;

/** What a request sends to turn a clearable field off (see `CLEARABLE_FIELDS`). */
export const CLEAR_SETTING = 'none';

/**
 * The environment request as the template form sends it. Only identity and placement are required. Any other field
 * left out keeps the value the environment's stacks run with today, and for a new environment takes the stage default
 * (see `resolveEnvironmentSpec`). The VPC range has no default: a new environment must name one.
 */
export function environmentSpecSchema(zImpl: typeof z) {
  // Each count on its own may be left out and kept; min <= desired <= max is checked once the request is merged.
  const count = (min: number) => zImpl.number().int().min(min).max(100);
  const nodes = zImpl.object({
    min: count(0).optional(),
    max: count(1).optional(),
    desired: count(0).optional(),
  });
  // The scaffolder renders a form field the user left out as ''; it means "keep / default", so every optional
  // field accepts it (the JSON schema the scaffolder checks step inputs against is made from this one).
  const blank = <T extends z.ZodTypeAny>(schema: T) =>
    zImpl.union([schema, zImpl.literal('')]).optional();
  return zImpl.object({
    name: zImpl
      .string({
        description:
          'Environment name: lower-case letters, digits and hyphens, 3-32 characters, starting with a letter',
      })
      .max(64, 'must be at most 32 characters'),
    stage: zImpl.enum(STAGES, { description: 'dev, staging or prod' }),
    accountId: zImpl
      .string({ description: 'AWS account id (12 digits) from the allowlist' })
      .regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
    region: zImpl
      .string({ description: 'AWS Region, e.g. eu-central-1' })
      .regex(AWS_REGION_PATTERN, 'must be an AWS Region such as eu-central-1'),
    owner: blank(
      zImpl.string({
        description: 'Owning group entity ref, e.g. group:default/web-team',
      }),
    ),
    system: blank(
      zImpl.string({
        description: 'System entity ref, e.g. system:default/innovate-web',
      }),
    ),
    vpcCidr: blank(
      zImpl.string({
        description:
          'VPC IPv4 range: a private /16 (the network template carves nine /20 subnets from it), not overlapping other environments in the account. Required for a new environment; left out, an existing one keeps its range',
      }),
    ),
    costCenter: blank(zImpl.string().min(1)),
    azCount: blank(zImpl.union([zImpl.literal(2), zImpl.literal(3)])),
    natGateways: blank(zImpl.enum(['single', 'per-az'])),
    nodeStrategy: blank(zImpl.enum(['on-demand', 'spot', 'mixed'])),
    frontendInstanceType: blank(gravitonInstanceType(zImpl)),
    backendInstanceType: blank(gravitonInstanceType(zImpl)),
    frontendNodes: blank(nodes),
    backendNodes: blank(nodes),
    // The versions AWS creates change over time: the actions check them against EKS and RDS (see lib/versions.ts).
    kubernetesVersion: blank(
      zImpl
        .string()
        .regex(
          /^1\.\d+$/,
          'must be a Kubernetes minor version: 1, a dot and a number',
        ),
    ),
    databaseEngine: blank(zImpl.enum(['rds-postgresql', 'aurora-postgresql'])),
    databaseEngineVersion: blank(
      zImpl
        .string({
          description:
            'PostgreSQL major version (RDS picks its default minor version) or major.minor, as the engine offers it in the account and Region',
        })
        .regex(
          /^\d+(\.\d+)?$/,
          'must be a PostgreSQL major version, or major.minor, in digits',
        ),
    ),
    databaseInstanceClass: blank(
      zImpl
        .string()
        .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, 'must look like db.t4g.medium'),
    ),
    databaseStorageGb: blank(
      zImpl
        .number()
        .int()
        .min(20)
        .max(
          MAX_DATABASE_STORAGE_GB,
          `at most ${MAX_DATABASE_STORAGE_GB} GiB (the data template's limit; storage autoscaling grows it later)`,
        ),
    ),
    multiAz: blank(zImpl.boolean()),
    readReplica: blank(zImpl.boolean()),
    backupRetentionDays: blank(zImpl.number().int().min(1).max(35)),
    drCopyRegion: blank(
      zImpl
        .string({
          description: `Region to copy backups to; '${CLEAR_SETTING}' for no copy`,
        })
        .refine(
          v => v === CLEAR_SETTING || AWS_REGION_PATTERN.test(v),
          'must be an AWS Region such as eu-west-1, or none',
        ),
    ),
    enableWaf: blank(zImpl.boolean()),
    domainName: blank(
      zImpl
        .string({
          description: `Custom domain; '${CLEAR_SETTING}' for the CloudFront domain`,
        })
        .refine(
          v => v === CLEAR_SETTING || DOMAIN_NAME_PATTERN.test(v),
          'must be a domain name such as app.innovate.example',
        ),
    ),
    hostedZoneId: blank(
      zImpl
        .string({
          description: `Route 53 hosted zone of the domain; '${CLEAR_SETTING}' for none`,
        })
        .refine(
          v => v === CLEAR_SETTING || /^Z[A-Z0-9]{1,32}$/.test(v),
          'must be a hosted zone id such as Z0123456789ABCDEFGHIJ',
        ),
    ),
    // Its bounds are budgetProblem's (fieldProblems), which says them in dollars.
    budgetMonthlyUsd: blank(zImpl.number()),
    alertEmail: blank(
      zImpl.string().max(254).email('must be an e-mail address'),
    ),
  });
}

export type EnvironmentRequest = z.infer<
  ReturnType<typeof environmentSpecSchema>
> & { name: string; stage: EnvironmentSpec['stage'] };

function normalizeRef(ref: string, kind: 'group' | 'system', field: string) {
  const title = ENVIRONMENT_FIELD_TITLES[field] ?? field;
  const example =
    kind === 'group' ? 'group:default/web-team' : 'system:default/innovate-web';
  try {
    const parsed = parseEntityRef(ref, {
      defaultKind: kind,
      defaultNamespace: 'default',
    });
    if (parsed.kind.toLocaleLowerCase('en-US') !== kind) {
      throw new InputError(
        `${title} must be a ${kind} such as ${example}, not ${ref}.`,
      );
    }
    return stringifyEntityRef(parsed);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${title} must be a ${kind} such as ${example}.`);
  }
}

/** A form field left blank arrives as '', null or absent; all three mean "not asked for", not "an empty value". */
function withoutBlanks(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return value;
  }
  const kept = Object.entries(value)
    .filter(([, v]) => v !== '' && v !== null && v !== undefined)
    .map(([k, v]) => [k, withoutBlanks(v)] as const)
    .filter(
      ([, v]) => !(v && typeof v === 'object' && Object.keys(v).length === 0),
    );
  return Object.fromEntries(kept);
}

/** One issue of the request's schema as a person reads it: the field's form title and what it needs. */
function issueSentence(issue: z.ZodIssue): string {
  const title = fieldTitle(issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (issue.received === 'undefined') return `${title} is required`;
      return `${title} must be ${
        {
          string: 'text',
          number: 'a number',
          integer: 'a whole number',
          boolean: 'yes or no',
          object: 'a set of values',
        }[issue.expected as string] ?? issue.expected
      }, not ${issue.received}`;
    case 'invalid_enum_value':
      return `${title} must be one of ${issue.options.join(', ')}`;
    case 'invalid_union': {
      // A field that may be left blank is its own type or ''; when the value is neither, its own type says what to
      // enter (text where a number belongs).
      const [own] = issue.unionErrors[0]?.issues ?? [];
      return own?.code === 'invalid_type'
        ? issueSentence(own)
        : `${title} has a value the form does not offer`;
    }
    case 'invalid_literal':
      return `${title} has a value the form does not offer`;
    case 'too_small':
    case 'too_big': {
      // zod's own wording ("Number must be greater than or equal to 20") is not a person's; the schema's own
      // message, where it has one, is kept.
      const zodWording = z.defaultErrorMap(issue, {
        defaultError: issue.message,
        data: undefined,
      }).message;
      if (issue.type !== 'number' || issue.message !== zodWording) {
        return `${title} ${issue.message}`;
      }
      const low = issue.code === 'too_small';
      const bound = low ? issue.minimum : issue.maximum;
      return issue.inclusive
        ? `${title} must be at ${low ? 'least' : 'most'} ${bound}`
        : `${title} must be ${low ? 'more' : 'less'} than ${bound}`;
    }
    case 'unrecognized_keys':
      return `${title}: unknown field(s) ${issue.keys.join(', ')}`;
    default:
      return `${title} ${issue.message}`;
  }
}

/** The problems of a request as one message: each field by its form title, and what to change. */
export function requestProblems(problems: string[]): InputError {
  const sentences = problems.map(p => p.replace(/\.$/, ''));
  return new InputError(`${sentences.join('; ')}.`);
}

function validate(
  candidate: unknown,
  describeSource: (path: string) => string = () => '',
) {
  const parsed = environmentSpecSchema(z).safeParse(candidate);
  if (!parsed.success) {
    throw requestProblems(
      parsed.error.issues.map(
        issue =>
          `${issueSentence(issue)}${describeSource(issue.path.join('.'))}`,
      ),
    );
  }
  return parsed.data;
}

/** Checks no schema expresses: the name, the VPC range, AWS's tag rules and the budget's bounds. */
function fieldProblems(request: EnvironmentRequest): string[] {
  const problems = [
    environmentNameProblem(request.name),
    request.vpcCidr ? vpcCidrProblem(request.vpcCidr) : undefined,
    request.owner !== undefined
      ? tagValueProblem(request.owner, ENVIRONMENT_FIELD_TITLES.owner)
      : undefined,
    request.system !== undefined
      ? tagValueProblem(request.system, ENVIRONMENT_FIELD_TITLES.system)
      : undefined,
    request.costCenter !== undefined
      ? tagValueProblem(
          request.costCenter,
          ENVIRONMENT_FIELD_TITLES.costCenter,
          {
            required: true,
          },
        )
      : undefined,
    request.budgetMonthlyUsd !== undefined
      ? budgetProblem(request.budgetMonthlyUsd)
      : undefined,
  ];
  return problems.filter((p): p is string => Boolean(p));
}

function assertStageRules(
  request: Pick<EnvironmentRequest, 'stage' | 'multiAz' | 'natGateways'>,
) {
  if (request.stage === 'prod' && request.multiAz === false) {
    throw new InputError(
      'Multi-AZ standby: a prod environment always runs its database Multi-AZ.',
    );
  }
  if (request.stage === 'prod' && request.natGateways === 'single') {
    throw new InputError(
      'NAT gateways: a prod environment has one per Availability Zone.',
    );
  }
}

/**
 * Validates what was asked for, before anything is read from AWS: types and bounds (zod), the name, the VPC range
 * if one is given, and the prod rules. Blank fields are removed; `CLEAR_SETTING` becomes an explicit ''.
 * Throws `InputError` listing every problem.
 */
export function parseEnvironmentRequest(raw: unknown): EnvironmentRequest {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError(
      'The environment request must be a set of fields (name, stage, account, Region, ...).',
    );
  }
  const request = validate(withoutBlanks(raw)) as EnvironmentRequest;
  const problems = fieldProblems(request);
  if (problems.length) throw requestProblems(problems);
  assertStageRules(request);
  for (const field of CLEARABLE_FIELDS) {
    if (request[field] === CLEAR_SETTING) request[field] = '';
  }
  return request;
}

function assertNodeCounts(
  field: 'frontendNodes' | 'backendNodes',
  nodes: { min: number; max: number; desired: number },
) {
  if (!(nodes.min <= nodes.desired && nodes.desired <= nodes.max)) {
    throw new InputError(
      `${fieldTitle([
        field,
      ])}: the counts need minimum <= desired <= maximum, got minimum ${
        nodes.min
      }, desired ${nodes.desired}, maximum ${nodes.max}.`,
    );
  }
}

export interface ResolvedEnvironment {
  spec: EnvironmentSpec;
  /** One row per setting: current, requested and effective value, and whether it was kept, changed or defaulted. */
  settings: EffectiveSetting[];
}

/**
 * The complete spec of a request against the environment as it runs today (`currentSettingsOf`): fields the
 * request sets win, blank fields keep their current value, fields no stack carries take the stage default. Then the
 * whole is validated again, since kept and requested values must also fit together (node counts, prod rules).
 */
export function resolveEnvironmentSpec(
  request: EnvironmentRequest,
  current: CurrentSettings,
): ResolvedEnvironment {
  const { merged, settings } = mergeWithCurrentSettings(request, current);
  const kept = new Set(
    settings.filter(s => s.status === 'kept').map(s => s.field),
  );
  const checked = validate(merged, path =>
    kept.has(path) ? ' (the current value in the stacks)' : '',
  );
  if (checked.vpcCidr === undefined || checked.vpcCidr === '') {
    throw new InputError(
      `VPC range is required: ${request.name} has no network stack yet, so there is no current range to keep.`,
    );
  }
  parseVpcCidr(checked.vpcCidr);
  assertStageRules(checked);
  const spec = {
    ...merged,
    name: request.name,
    stage: request.stage,
    accountId: request.accountId,
    region: request.region,
  } as unknown as EnvironmentSpec;
  assertNodeCounts('frontendNodes', spec.frontendNodes);
  assertNodeCounts('backendNodes', spec.backendNodes);
  spec.owner = normalizeRef(spec.owner, 'group', 'owner');
  spec.system = normalizeRef(spec.system, 'system', 'system');
  return { spec, settings };
}

/**
 * Validates a request for a new environment and fills the defaults of its stage. Throws `InputError` listing every
 * problem. For an environment that may already exist, use `resolveEnvironmentSpec` with its current settings.
 */
export function normalizeEnvironmentSpec(raw: unknown): EnvironmentSpec {
  return resolveEnvironmentSpec(
    parseEnvironmentRequest(raw),
    NO_CURRENT_SETTINGS,
  ).spec;
}

/**
 * A VPC range the network template can split into public, application and database subnets for up to three
 * Availability Zones: private (RFC 1918), exactly /16 (nine /20 subnets), host bits zero.
 */
export function parseVpcCidr(cidr: string): string {
  const problem = vpcCidrProblem(cidr);
  if (problem) throw new InputError(`VPC range: ${problem}`);
  return cidr.trim();
}

/**
 * Refuses a VPC range that overlaps another environment's VPC in the same account and Region (peering, transit
 * gateways and shared services need distinct ranges). Reads each other environment's network stack output or
 * parameter `VpcCidr`.
 */
export async function assertNoCidrOverlap(
  client: CloudFormationClient,
  spec: Pick<EnvironmentSpec, 'name' | 'vpcCidr' | 'accountId' | 'region'>,
): Promise<void> {
  const wanted = parseVpcCidr(spec.vpcCidr);
  for await (const page of paginateDescribeStacks({ client }, {})) {
    for (const stack of page?.Stacks ?? []) {
      const tags = new Map((stack.Tags ?? []).map(t => [t.Key, t.Value]));
      const environment = tags.get(TAG_ENVIRONMENT);
      if (!environment || environment === spec.name) continue;
      const isNetwork =
        tags.get(TAG_LAYER) === 'network' ||
        stack.StackName?.endsWith('-network');
      if (!isNetwork) continue;
      const cidr =
        stack.Outputs?.find(o => o.OutputKey === 'VpcCidr')?.OutputValue ??
        stack.Parameters?.find(p => p.ParameterKey === 'VpcCidr')
          ?.ParameterValue;
      if (cidr && cidrsOverlap(wanted, cidr)) {
        throw new InputError(
          `VPC range: ${spec.vpcCidr} overlaps ${cidr} of environment ${environment} in account ${spec.accountId} ${spec.region}; choose a free range.`,
        );
      }
    }
  }
}

/**
 * Checks the account and Region against the allowlist and the account's stage: prod environments only in a prod
 * account, dev and staging only in a dev (or staging) account.
 */
export function assertPlacementAllowed(
  awsClients: AwsClientFactory,
  spec: Pick<EnvironmentSpec, 'accountId' | 'region' | 'stage'>,
): void {
  let account;
  try {
    account = awsClients.assertAllowed({
      accountId: spec.accountId,
      region: spec.region,
    });
  } catch (error) {
    throw new InputError(`${(error as Error).message}.`);
  }
  const accountStage =
    account?.stage ??
    awsClients.listAccounts().find(a => a.accountId === spec.accountId)?.stage;
  const fits =
    spec.stage === 'prod'
      ? accountStage === 'prod'
      : accountStage === 'dev' || accountStage === 'staging';
  if (!fits) {
    throw new InputError(
      `AWS account: a ${spec.stage} environment cannot go into account ${
        spec.accountId
      } (stage ${accountStage ?? 'unknown'}); ${
        spec.stage === 'prod' ? 'use a prod account' : 'use a dev account'
      }.`,
    );
  }
}
