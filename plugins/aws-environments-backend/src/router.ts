import type {
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  AuthorizeResult,
  type ResourcePermission,
} from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_REGION,
  AWS_ENVIRONMENT_RESOURCE_TYPE,
  ENVIRONMENT_RESOURCE_TYPE,
  ENVIRONMENT_LIST_MAX_LIMIT,
  ENVIRONMENT_ORDER_FIELDS,
  EnvironmentHistoryResponse,
  EnvironmentListResponse,
  EnvironmentNameCheckResponse,
  EnvironmentOrderField,
  EnvironmentRefreshAccess,
  EnvironmentRefreshResponse,
  EnvironmentRefreshSection,
  FALLBACK_PRICE_REGION,
  FINDING_SEVERITIES,
  FindingSeverity,
  PRICE_TABLE,
  RefreshableSection,
  RegionPricesResponse,
  STAGES,
  AwsVersionsResponse,
  VpcRangeListResponse,
  awsEnvironmentsEnvironmentManagePermission,
  awsEnvironmentsEnvironmentRefreshPermission,
  awsEnvironmentsFindingsReadPermission,
  newEnvironmentNameProblem,
} from '@internal/plugin-aws-environments-common';
import {
  snapshotAwsVersions,
  type AwsClientFactory,
} from '@internal/plugin-aws-environments-node';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { InsightsConfig } from './config';
import {
  awsEnvironmentResourceRef,
  awsEnvironmentsPermissionRules,
} from './permissions';
import type { InsightsService } from './service/InsightsService';
import type { EnvironmentHistory } from './service/history/EnvironmentHistory';
import type {
  InsightsStore,
  RefreshClaim,
  RefreshClaimRequest,
} from './service/InsightsStore';
import type { EnvironmentTarget } from './service/types';
import {
  snapshotPrices,
  type PriceService,
} from './service/prices/PriceService';
import type { VersionService } from './service/versions/VersionService';

function asList(value: unknown): unknown[] {
  if (value === undefined) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}

/** `severity=HIGH&severity=critical` and `severity=HIGH,CRITICAL` both read as a list. */
const severities = z.preprocess(
  value =>
    asList(value)
      .flatMap(v => String(v).split(','))
      .map(v => v.trim().toUpperCase())
      .filter(Boolean),
  z.array(
    z.enum(FINDING_SEVERITIES as [FindingSeverity, ...FindingSeverity[]], {
      error: `severity must be one of ${FINDING_SEVERITIES.join(', ')}`,
    }),
  ),
);

const findingsQuerySchema = z.object({
  severity: severities.optional(),
  product: z
    .string({ error: 'product must be given once' })
    .min(1, { error: 'product must not be empty' })
    .max(100, { error: 'product must be at most 100 characters' })
    .optional(),
  limit: z.coerce
    .number({ error: 'limit must be a whole number from 1 to 100' })
    .int({ error: 'limit must be a whole number from 1 to 100' })
    .min(1, { error: 'limit must be a whole number from 1 to 100' })
    .max(100, { error: 'limit must be a whole number from 1 to 100' })
    .default(20),
});

/** A filter given as repeated parameters (`owner=a&owner=b`), as a comma-separated list, or both. */
function listOf<T extends z.ZodType>(item: T) {
  return z
    .preprocess(
      value =>
        asList(value)
          .flatMap(v => (typeof v === 'string' ? v.split(',') : [v]))
          .map(v => (typeof v === 'string' ? v.trim() : v))
          .filter(v => v !== ''),
      z.array(item).max(100, { error: 'a filter takes at most 100 values' }),
    )
    .optional();
}

const LIMIT_MESSAGE = `limit must be a whole number from 1 to ${ENVIRONMENT_LIST_MAX_LIMIT}`;
const OFFSET_MESSAGE = 'offset must be a whole number from 0 to 1000000';
const ORDER_MESSAGE = `orderBy must be one of ${ENVIRONMENT_ORDER_FIELDS.join(
  ', ',
)}, optionally followed by ",asc" or ",desc"`;

const environmentListQuerySchema = z.object({
  entityRef: z
    .string({ error: 'entityRef must be given once' })
    .min(1, { error: 'entityRef must not be empty' })
    .max(255, { error: 'entityRef must be at most 255 characters' })
    .optional(),
  limit: z.coerce
    .number({ error: LIMIT_MESSAGE })
    .int({ error: LIMIT_MESSAGE })
    .min(1, { error: LIMIT_MESSAGE })
    .max(ENVIRONMENT_LIST_MAX_LIMIT, { error: LIMIT_MESSAGE })
    .default(ENVIRONMENT_LIST_MAX_LIMIT),
  offset: z.coerce
    .number({ error: OFFSET_MESSAGE })
    .int({ error: OFFSET_MESSAGE })
    .min(0, { error: OFFSET_MESSAGE })
    .max(1_000_000, { error: OFFSET_MESSAGE })
    .default(0),
  q: z
    .string({ error: 'q must be given once' })
    .max(100, { error: 'q must be at most 100 characters' })
    .optional(),
  orderBy: z
    .string({ error: 'orderBy must be given once' })
    .transform((value, ctx) => {
      const [field, order = 'asc', ...rest] = value
        .split(',')
        .map(part => part.trim());
      if (
        rest.length ||
        !(ENVIRONMENT_ORDER_FIELDS as readonly string[]).includes(field) ||
        (order !== 'asc' && order !== 'desc')
      ) {
        ctx.addIssue({ code: 'custom', message: ORDER_MESSAGE });
        return z.NEVER;
      }
      return { field: field as EnvironmentOrderField, order } as const;
    })
    .optional(),
  owner: listOf(
    z.string().max(255, { error: 'an owner must be at most 255 characters' }),
  ),
  health: listOf(
    z.enum(['healthy', 'degraded', 'down', 'unknown'], {
      error: 'health must be healthy, degraded, down or unknown',
    }),
  ),
  stage: listOf(
    z.enum(STAGES, { error: `stage must be one of ${STAGES.join(', ')}` }),
  ),
  accountId: listOf(
    z.string().regex(/^\d{12}$/, {
      error: 'accountId must be a 12-digit AWS account ID',
    }),
  ),
  region: listOf(
    z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, {
      error: 'region must be an AWS Region such as eu-central-1',
    }),
  ),
  lifecycle: listOf(
    z.enum(['standard', 'extended', 'unsupported', 'unknown'], {
      error: 'lifecycle must be standard, extended, unsupported or unknown',
    }),
  ),
  behind: listOf(
    z.enum(['true', 'false'], { error: 'behind must be true or false' }),
  ),
});

const entityParamsSchema = z.object({
  namespace: z
    .string()
    .min(1, { error: 'the namespace must not be empty' })
    .max(63, { error: 'the namespace must be at most 63 characters' }),
  name: z
    .string()
    .min(1, { error: 'the name must not be empty' })
    .max(63, { error: 'the name must be at most 63 characters' }),
});

const refreshQuerySchema = z.object({
  section: z
    .enum(['health', 'findings', 'costs'], {
      error: 'section must be health or findings',
    })
    .optional(),
});

const historyQuerySchema = z.object({
  limit: z.coerce
    .number({ error: 'limit must be a whole number from 1 to 100' })
    .int({ error: 'limit must be a whole number from 1 to 100' })
    .min(1, { error: 'limit must be a whole number from 1 to 100' })
    .max(100, { error: 'limit must be a whole number from 1 to 100' })
    .default(20),
  offset: z.coerce
    .number({ error: 'offset must be a whole number from 0' })
    .int({ error: 'offset must be a whole number from 0' })
    .min(0, { error: 'offset must be a whole number from 0' })
    .default(0),
});

const pricesParamsSchema = z.object({
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, {
    error: 'the Region must be an AWS Region such as eu-central-1',
  }),
});

const vpcRangesQuerySchema = z.object({
  accountId: z
    .string({
      error: 'accountId must be given once, as a 12-digit AWS account ID',
    })
    .regex(/^\d{12}$/, {
      error: 'accountId must be a 12-digit AWS account ID such as 222222222222',
    }),
  region: z
    .string({
      error: 'region must be given once, as an AWS Region such as eu-central-1',
    })
    .regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, {
      error: 'region must be an AWS Region such as eu-central-1',
    }),
});

/**
 * The value parsed by `schema`, or an InputError with one sentence naming what to change. Schemas carry their own
 * messages; anything they do not cover gets a plain one here, so that no raw zod text reaches a person.
 */
function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value, {
    error: issue => {
      const field = issue.path?.length ? issue.path.join('.') : what;
      return issue.input === undefined
        ? `${field} is missing`
        : `${field} is not valid`;
    },
  });
  if (!result.success) {
    const messages = [...new Set(result.error.issues.map(i => i.message))];
    throw new InputError(`Invalid ${what}: ${messages.join('; ')}.`);
  }
  return result.data;
}

/** `5 minutes`, `60 minutes`, `8 hours`, `30 seconds`. */
function describeInterval(ms: number): string {
  const plural = (n: number, unit: string) =>
    `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (ms < 60_000) {
    return plural(Math.max(1, Math.round(ms / 1000)), 'second');
  }
  if (ms < 2 * 3_600_000) {
    return plural(Math.round(ms / 60_000), 'minute');
  }
  return plural(Math.round(ms / 3_600_000), 'hour');
}

/** `14:05 UTC`. */
function clockTimeUtc(date: Date): string {
  return `${date.toISOString().slice(11, 16)} UTC`;
}

const authorizeConditionLocally = createConditionAuthorizer(
  Object.values(awsEnvironmentsPermissionRules),
);

/**
 * Resource refs per permission request when another plugin's conditions must be applied per environment: about
 * 10 KB of JSON, a tenth of the permission backend's default body limit.
 */
const PERMISSION_BATCH_SIZE = 100;

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  logger: LoggerService;
  config: RootConfigService;
  insightsConfig: InsightsConfig;
  factory: AwsClientFactory;
  insights: InsightsService;
  store: InsightsStore;
  catalog: CatalogService;
  auth: AuthService;
  /** List prices read from AWS; without them `/prices/:region` answers from the shipped snapshot. */
  prices?: PriceService;
  /** Versions read from EKS and RDS; without them `/aws-versions` answers from the dated snapshot. */
  versions?: VersionService;
  /** The environments' history; without it `/environments/:namespace/:name/history` answers 404. */
  history?: EnvironmentHistory;
}): Promise<express.Router> {
  const {
    httpAuth,
    permissions,
    insights,
    store,
    factory,
    insightsConfig,
    catalog,
    auth,
  } = options;
  const router = Router();
  router.use(express.json());

  const findEnvironment = async (
    req: express.Request,
    credentials: BackstageCredentials,
  ) =>
    insights.findEnvironment(
      parse(entityParamsSchema, req.params, 'entity reference'),
      credentials,
    );

  /**
   * Which of the environments the caller has a resource permission of this plugin for, with one conditional
   * permission request: decisions with conditions of this plugin are applied here, to the environments' entities.
   */
  const permissionFilter = async (
    permission: ResourcePermission<typeof AWS_ENVIRONMENT_RESOURCE_TYPE>,
    credentials: BackstageCredentials,
    environments: EnvironmentTarget[],
  ): Promise<(env: EnvironmentTarget) => boolean> => {
    const [decision] = await permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) {
      return () => true;
    }
    if (decision.result === AuthorizeResult.DENY) {
      return () => false;
    }
    if (
      decision.result === AuthorizeResult.CONDITIONAL &&
      decision.pluginId === awsEnvironmentResourceRef.pluginId &&
      decision.resourceType === awsEnvironmentResourceRef.resourceType
    ) {
      return env => authorizeConditionLocally(decision, env.entity);
    }
    // Conditions of another plugin (e.g. catalog rules, from a policy other than Innovate's): let the permission
    // framework apply them per environment, in batches that stay far below the permission backend's body limit.
    const allowed = new Set<string>();
    for (
      let start = 0;
      start < environments.length;
      start += PERMISSION_BATCH_SIZE
    ) {
      const batch = environments.slice(start, start + PERMISSION_BATCH_SIZE);
      const decisions = await permissions.authorize(
        batch.map(env => ({ permission, resourceRef: env.entityRef })),
        { credentials },
      );
      batch.forEach((env, i) => {
        if (decisions[i]?.result === AuthorizeResult.ALLOW) {
          allowed.add(env.entityRef);
        }
      });
    }
    return env => allowed.has(env.entityRef);
  };

  /** Which environments' findings the caller may see, with one permission request. */
  const findingsFilter = (
    credentials: BackstageCredentials,
    environments: EnvironmentTarget[],
  ) =>
    permissionFilter(
      awsEnvironmentsFindingsReadPermission,
      credentials,
      environments,
    );

  const mayRefresh = async (
    credentials: BackstageCredentials,
    env: EnvironmentTarget,
  ): Promise<boolean> =>
    (
      await permissionFilter(
        awsEnvironmentsEnvironmentRefreshPermission,
        credentials,
        [env],
      )
    )(env);

  const refusedRefresh = (
    env: EnvironmentTarget,
    sections: RefreshableSection[],
  ) =>
    `Only the owners of ${
      env.entityRef
    } and the platform team may refresh it; its data is collected every ${describeInterval(
      Math.min(
        ...sections.map(section => insights.scheduleIntervalMs(section)),
      ),
    )}.`;

  /** Whose refresh budget a request counts against. */
  const principalOf = (credentials: BackstageCredentials): string => {
    if (auth.isPrincipal(credentials, 'user')) {
      return credentials.principal.userEntityRef;
    }
    if (auth.isPrincipal(credentials, 'service')) {
      return `service:${credentials.principal.subject}`;
    }
    return 'unknown';
  };

  const claimRequest = (
    env: EnvironmentTarget,
    sections: RefreshableSection[],
    credentials: BackstageCredentials,
  ): RefreshClaimRequest => ({
    entityRef: env.entityRef,
    sections,
    principal: principalOf(credentials),
    now: new Date(),
    minIntervalMs: insightsConfig.manualRefreshIntervalMs,
    perHour: insightsConfig.manualRefresh.perUserPerHour,
  });

  /** The answer for sections left alone because they are fresh or being refreshed. */
  const notDueSections = (claim: RefreshClaim): EnvironmentRefreshSection[] =>
    claim.notDue.flatMap(entry => {
      const section: EnvironmentRefreshSection = {
        section: entry.section as EnvironmentRefreshSection['section'],
        ok: !entry.lastError,
        ...(entry.lastError && { error: entry.lastError }),
        state: entry.state,
        ...(entry.collectedAt && {
          collectedAt: entry.collectedAt.toISOString(),
        }),
        nextRefreshAt: entry.nextRefreshAt.toISOString(),
      };
      // Stack details are collected with the health, so they share its state.
      return entry.section === 'health'
        ? [section, { ...section, section: 'stacks' as const }]
        : [section];
    });

  router.get('/mode', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json({ mode: factory.mode });
  });

  router.get('/accounts', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json({ items: factory.listAccounts() });
  });

  /**
   * One page of the environments (`limit`, `offset`, `orderBy`), filtered by owner, health, stage, account, Region,
   * lifecycle, template status and the text `q`, or with `entityRef` only that environment; with the number of
   * matching environments, their summary counts and the filters' options, so that no answer carries the whole
   * organization. Findings visibility is decided only for the environments whose counts the answer carries.
   */
  router.get('/environments', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const query = parse(environmentListQuerySchema, req.query, 'query');
    const page = await insights.listEnvironmentPage(query, envs =>
      findingsFilter(credentials, envs),
    );
    const body: EnvironmentListResponse = { mode: factory.mode, ...page };
    res.json(body);
  });

  router.get('/environments/:namespace/:name/health', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const env = await findEnvironment(req, credentials);
    res.json(await insights.getHealth(env));
  });

  router.get('/environments/:namespace/:name/stacks', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const env = await findEnvironment(req, credentials);
    res.json(await insights.getStacks(env));
  });

  router.get('/environments/:namespace/:name/costs', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const env = await findEnvironment(req, credentials);
    res.json(await insights.getCosts(env));
  });

  router.get('/environments/:namespace/:name/findings', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const query = parse(findingsQuerySchema, req.query, 'query');
    const env = await findEnvironment(req, credentials);
    const [decision] = await permissions.authorize(
      [
        {
          permission: awsEnvironmentsFindingsReadPermission,
          resourceRef: env.entityRef,
        },
      ],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Only the owners of ${env.entityRef} and the platform team may see its security findings`,
      );
    }
    const findings = await insights.getFindings(env);
    const product = query.product?.toLocaleLowerCase('en-US');
    const top = findings.top
      .filter(
        f => !query.severity?.length || query.severity.includes(f.severity),
      )
      .filter(f => !product || f.product.toLocaleLowerCase('en-US') === product)
      .slice(0, query.limit);
    res.json({ ...findings, top });
  });

  /**
   * The environment's history, newest first, `limit` entries from `offset`: whoever may read the environment's
   * catalog entity may read it. An environment no longer in the catalog (torn down) keeps its history, which those
   * allowed to manage any environment (the platform team) may still read.
   */
  router.get('/environments/:namespace/:name/history', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const params = parse(entityParamsSchema, req.params, 'entity reference');
    const query = parse(historyQuerySchema, req.query, 'query');
    if (!options.history) {
      throw new NotFoundError('The history of environments is not kept here.');
    }
    let entityRef: string;
    try {
      entityRef = (await findEnvironment(req, credentials)).entityRef;
    } catch (error) {
      if ((error as Error).name !== 'NotFoundError') throw error;
      const [decision] = await permissions.authorizeConditional(
        [{ permission: awsEnvironmentsEnvironmentManagePermission }],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) throw error;
      entityRef = stringifyEntityRef({ kind: 'resource', ...params });
    }
    const page = await options.history.list({
      entityRef,
      limit: query.limit,
      offset: query.offset,
    });
    const next = query.offset + page.items.length;
    const body: EnvironmentHistoryResponse = {
      entityRef,
      items: page.items,
      totalCount: page.totalCount,
      ...(next < page.totalCount && page.items.length > 0
        ? { nextOffset: next }
        : {}),
    };
    res.json(body);
  });

  router.get('/environment-names/:name', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const name = req.params.name;
    const problem = newEnvironmentNameProblem(name);
    if (problem) {
      const body: EnvironmentNameCheckResponse = {
        name,
        available: false,
        problem,
      };
      res.json(body);
      return;
    }
    // With the plugin's own credentials: a name is taken even by an environment the caller may not see.
    const { items } = await catalog.getEntities(
      {
        filter: {
          kind: 'Resource',
          'spec.type': ENVIRONMENT_RESOURCE_TYPE,
          'metadata.name': name,
        },
        fields: ['kind', 'metadata', 'spec'],
      },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    const entity = items[0];
    if (!entity) {
      const body: EnvironmentNameCheckResponse = { name, available: true };
      res.json(body);
      return;
    }
    const namespace = entity.metadata.namespace ?? 'default';
    const specOwner = (entity.spec as { owner?: unknown } | undefined)?.owner;
    const annotations = entity.metadata.annotations ?? {};
    const existing: NonNullable<EnvironmentNameCheckResponse['existing']> = {
      entityRef: stringifyEntityRef({
        kind: entity.kind,
        namespace,
        name: entity.metadata.name,
      }),
      owner:
        typeof specOwner === 'string'
          ? stringifyEntityRef(
              parseEntityRef(specOwner, {
                defaultKind: 'group',
                defaultNamespace: namespace,
              }),
            )
          : undefined,
      accountId: annotations[ANNOTATION_ACCOUNT_ID] || undefined,
      region: annotations[ANNOTATION_REGION] || undefined,
    };
    const details = [
      existing.owner && `owner ${existing.owner}`,
      (existing.accountId || existing.region) &&
        [existing.accountId && `account ${existing.accountId}`, existing.region]
          .filter(Boolean)
          .join(' '),
    ].filter(Boolean);
    const body: EnvironmentNameCheckResponse = {
      name,
      available: false,
      problem: `${name} already exists${
        details.length ? ` (${details.join(', ')})` : ''
      }. To change it, use the "Update an AWS environment" template.`,
      existing,
    };
    res.json(body);
  });

  /** The list prices of a Region for the cost estimate, and where they came from (any signed-in user). */
  router.get('/prices/:region', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const { region } = parse(pricesParamsSchema, req.params, 'Region');
    const body: RegionPricesResponse = options.prices
      ? await options.prices.getRegionPrices(region)
      : snapshotPrices(
          region,
          PRICE_TABLE.regions[region] ? region : FALLBACK_PRICE_REGION,
        );
    res.json(body);
  });

  /**
   * The Kubernetes and PostgreSQL versions AWS creates in an allowed account and Region, with their support dates
   * and where they came from (any signed-in user; 403 for an account or Region not on the allowlist).
   */
  router.get('/aws-versions', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const target = parse(vpcRangesQuerySchema, req.query, 'query');
    if (options.versions) {
      res.json(await options.versions.getVersions(target));
      return;
    }
    factory.assertAllowed(target);
    const body: AwsVersionsResponse = {
      ...snapshotAwsVersions(target),
      stale: true,
    };
    res.json(body);
  });

  router.get('/vpc-ranges', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const { accountId, region } = parse(
      vpcRangesQuerySchema,
      req.query,
      'query',
    );
    const body: VpcRangeListResponse = {
      items: await insights.listVpcRanges(accountId, region),
    };
    res.json(body);
  });

  /** Whether the caller may refresh the environment, and when each section may be refreshed next. */
  router.get('/environments/:namespace/:name/refresh', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const env = await findEnvironment(req, credentials);
    const sections: RefreshableSection[] = ['health', 'findings'];
    const [allowed, status] = await Promise.all([
      mayRefresh(credentials, env),
      store.getManualRefreshStatus(claimRequest(env, sections, credentials)),
    ]);
    const body: EnvironmentRefreshAccess = {
      entityRef: env.entityRef,
      canRefresh: allowed,
      ...(!allowed && { reason: refusedRefresh(env, sections) }),
      sections: sections.map(section => ({
        section,
        collectedAt: status.collectedAt[section]?.toISOString(),
        nextRefreshAt: status.notDue
          .find(entry => entry.section === section)
          ?.nextRefreshAt.toISOString(),
        scheduleIntervalMs: insights.scheduleIntervalMs(section),
      })),
      budget: {
        perHour: insightsConfig.manualRefresh.perUserPerHour,
        remaining: status.budget.remaining,
        nextAt: status.budget.nextAt?.toISOString(),
      },
    };
    res.json(body);
  });

  /**
   * Collects the environment's health (with stacks) or findings now, or both when no section is given. A section
   * refreshed or collected less than `manualRefreshInterval` ago is not collected again: the answer says so (200,
   * state `recent` or `queued`) rather than failing. Each refresh that collects counts against the caller's hourly
   * budget (429 beyond it).
   */
  router.post('/environments/:namespace/:name/refresh', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const query = parse(refreshQuerySchema, req.query, 'query');
    if (query.section === 'costs') {
      throw new InputError(
        `Costs are not refreshed on demand, as every Cost Explorer request is paid and AWS updates cost data only a few times a day; they are collected every ${describeInterval(
          insights.scheduleIntervalMs('costs'),
        )}.`,
      );
    }
    const sections: RefreshableSection[] = query.section
      ? [query.section]
      : ['health', 'findings'];
    const env = await findEnvironment(req, credentials);
    if (!(await mayRefresh(credentials, env))) {
      throw new NotAllowedError(refusedRefresh(env, sections));
    }
    const claim = await store.claimManualRefresh(
      claimRequest(env, sections, credentials),
    );
    if (claim.budget.exceeded) {
      // 429 rather than a 503 (ServiceUnavailableError): the service is fine, this caller asked too often.
      const nextAt = claim.budget.nextAt ?? new Date(Date.now() + 60_000);
      const seconds = Math.max(
        1,
        Math.ceil((nextAt.getTime() - Date.now()) / 1000),
      );
      const perHour = insightsConfig.manualRefresh.perUserPerHour;
      res
        .status(429)
        .set('Retry-After', String(seconds))
        .json({
          error: {
            name: 'TooManyRequestsError',
            message: `You have used all ${perHour} on-demand refreshes allowed per hour, so the next one is possible at ${clockTimeUtc(
              nextAt,
            )} (in ${describeInterval(seconds * 1000)}).`,
          },
          request: { method: req.method, url: req.originalUrl },
          response: { statusCode: 429 },
        });
      return;
    }
    const refreshed = claim.due.length
      ? await insights.refreshEnvironment(
          env,
          claim.due as RefreshableSection[],
        )
      : undefined;
    const order = ['health', 'stacks', 'findings'];
    const body: EnvironmentRefreshResponse = {
      entityRef: env.entityRef,
      sections: [...(refreshed?.sections ?? []), ...notDueSections(claim)].sort(
        (a, b) => order.indexOf(a.section) - order.indexOf(b.section),
      ),
    };
    res.json(body);
  });

  router.use(
    MiddlewareFactory.create({
      config: options.config,
      logger: options.logger,
    }).error(),
  );
  return router;
}
