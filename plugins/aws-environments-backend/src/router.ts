import type {
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  EnvironmentListResponse,
  FINDING_SEVERITIES,
  FindingSeverity,
  awsEnvironmentsFindingsReadPermission,
} from '@internal/plugin-aws-environments-common';
import type { AwsClientFactory } from '@internal/plugin-aws-environments-node';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { InsightsConfig } from './config';
import {
  awsEnvironmentResourceRef,
  awsEnvironmentsPermissionRules,
} from './permissions';
import type { InsightsService } from './service/InsightsService';
import type { InsightsStore } from './service/InsightsStore';
import type { EnvironmentTarget } from './service/types';

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
    z.enum(FINDING_SEVERITIES as [FindingSeverity, ...FindingSeverity[]]),
  ),
);

const findingsQuerySchema = z.object({
  severity: severities.optional(),
  product: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

const entityParamsSchema = z.object({
  namespace: z.string().min(1).max(63),
  name: z.string().min(1).max(63),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InputError(
      `Invalid ${what}: ${result.error.issues
        .map(i => `${i.path.join('.') || what}: ${i.message}`)
        .join('; ')}`,
    );
  }
  return result.data;
}

const authorizeConditionLocally = createConditionAuthorizer(
  Object.values(awsEnvironmentsPermissionRules),
);

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  logger: LoggerService;
  config: RootConfigService;
  insightsConfig: InsightsConfig;
  factory: AwsClientFactory;
  insights: InsightsService;
  store: InsightsStore;
}): Promise<express.Router> {
  const { httpAuth, permissions, insights, store, factory, insightsConfig } =
    options;
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

  /** Which environments' findings the caller may see, with one permission request. */
  const findingsFilter = async (
    credentials: BackstageCredentials,
    environments: EnvironmentTarget[],
  ): Promise<(env: EnvironmentTarget) => boolean> => {
    const [decision] = await permissions.authorizeConditional(
      [{ permission: awsEnvironmentsFindingsReadPermission }],
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
    // Conditions of another plugin (e.g. catalog rules): let the permission framework apply them per environment.
    const decisions = await permissions.authorize(
      environments.map(env => ({
        permission: awsEnvironmentsFindingsReadPermission,
        resourceRef: env.entityRef,
      })),
      { credentials },
    );
    const allowed = new Set(
      environments
        .filter((_, i) => decisions[i]?.result === AuthorizeResult.ALLOW)
        .map(env => env.entityRef),
    );
    return env => allowed.has(env.entityRef);
  };

  router.get('/mode', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json({ mode: factory.mode });
  });

  router.get('/accounts', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json({ items: factory.listAccounts() });
  });

  router.get('/environments', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const items = await insights.listEnvironments(envs =>
      findingsFilter(credentials, envs),
    );
    const body: EnvironmentListResponse = { mode: factory.mode, items };
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

  router.post('/environments/:namespace/:name/refresh', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const env = await findEnvironment(req, credentials);
    const claim = await store.claimManualRefresh(
      env.entityRef,
      new Date(),
      insightsConfig.manualRefreshIntervalMs,
    );
    if (!claim.granted) {
      // 429 rather than a 503 (ServiceUnavailableError): the service is fine, this caller asked too soon.
      const seconds = Math.ceil(claim.retryAfterMs / 1000);
      res
        .status(429)
        .set('Retry-After', String(seconds))
        .json({
          error: {
            name: 'TooManyRequestsError',
            message: `${env.entityRef} was refreshed recently; try again in ${seconds} s`,
          },
          request: { method: req.method, url: req.originalUrl },
          response: { statusCode: 429 },
        });
      return;
    }
    res.json(await insights.refreshEnvironment(env));
  });

  router.use(
    MiddlewareFactory.create({
      config: options.config,
      logger: options.logger,
    }).error(),
  );
  return router;
}
