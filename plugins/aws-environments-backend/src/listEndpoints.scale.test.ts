import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  type TestBackend,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
// The real permission backend and policy, started beside this plugin as in the portal's backend.
import permissionPlugin from '@backstage/plugin-permission-backend';
import type {
  EnvironmentListResponse,
  StackDetail,
} from '@internal/plugin-aws-environments-common';
import { awsClientFactoryWithSimulation } from '@internal/plugin-aws-environments-simulator';
import innovatePermissionPolicy from '@internal/plugin-permission-backend-module-innovate-policy';
import type { RequestHandler } from 'express';
import path from 'node:path';
import request from 'supertest';
import { signedInUserFeatures } from './__testUtils__/signedInUsers';
import plugin from './index';
import type { FindingsReport } from './service/collectors/findings';
import type { HealthReport } from './service/collectors/health';
import { DatabaseInsightsStore } from './service/InsightsStore';

/*
 * Every list endpoint of this plugin with 2,000 environments and permissions on: the permission backend with
 * Innovate's policy (whose JSON body limit is 100 KB) and this plugin, reading the environments, users and groups
 * from the catalog as the catalog serves them. The environments are owned by four teams; a member of the web team
 * must get every list, with findings only of her team's environments, and no permission request may grow with the
 * number of environments.
 */

jest.setTimeout(60_000);

const ENVIRONMENTS = 2000;
const TEAMS = ['web-team', 'platform-team', 'data-team', 'mobile-team'];
const WEB_TEAM = 'group:default/web-team';
const AISHA = 'user:default/aisha.khan'; // web team
const MARIA = 'user:default/maria.lopez'; // platform team
const DEV_ACCOUNT = '222222222222';
const PROD_ACCOUNT = '333333333333';
const REGION = 'eu-central-1';
/** The permission backend's JSON body limit (express' default, which it keeps). */
const PERMISSION_BODY_LIMIT_BYTES = 100 * 1024;
const blueprintDir = path.resolve(
  __dirname,
  '../../../templates/aws-environment/cloudformation',
);

const nameOf = (i: number) => `env-${String(i).padStart(4, '0')}`;
const ownerOf = (i: number) => `group:default/${TEAMS[i % TEAMS.length]}`;
/** Pairs of environments alternate between the accounts, so that every team has environments in both. */
const accountOf = (i: number) =>
  Math.floor(i / 2) % 2 === 0 ? DEV_ACCOUNT : PROD_ACCOUNT;
const vpcCidrOf = (i: number) => `10.${Math.floor(i / 250)}.${i % 250}.0/24`;
/** Differs between neighbours, so that a summary shown for the wrong environment is noticed. */
const criticalOf = (i: number) => i % 7;

/** An environment's Resource as the catalog serves it: as the catalog module writes it (without its parts). */
function environmentEntity(i: number): Entity {
  const name = nameOf(i);
  const accountId = accountOf(i);
  const stage = accountId === PROD_ACCOUNT ? 'prod' : 'dev';
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      title: `${name} (${stage})`,
      description: `AWS environment in account ${accountId}, ${REGION}`,
      annotations: {
        'backstage.io/managed-by-location': 'provider:aws-environments',
        'backstage.io/managed-by-origin-location': 'provider:aws-environments',
        'aws.innovate.io/account-id': accountId,
        'aws.innovate.io/region': REGION,
        'aws.innovate.io/environment': name,
        'aws.innovate.io/stage': stage,
        'aws.innovate.io/stacks': ['network', 'data', 'compute']
          .map(layer => `${name}-${layer}`)
          .join(','),
        'aws.innovate.io/template': 'aws-environment@1.0.0',
      },
      tags: [stage],
    },
    spec: {
      type: 'aws-environment',
      owner: ownerOf(i),
      system: 'innovate-web',
    },
    relations: [
      { type: 'ownedBy', targetRef: ownerOf(i) },
      { type: 'partOf', targetRef: 'system:default/innovate-web' },
    ],
  };
}

function organizationEntities(): Entity[] {
  const group = (name: string): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
  });
  const user = (name: string, team: string): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { memberOf: [team] },
    relations: [{ type: 'memberOf', targetRef: `group:default/${team}` }],
  });
  return [
    ...TEAMS.map(group),
    user('aisha.khan', 'web-team'),
    user('maria.lopez', 'platform-team'),
  ];
}

/**
 * Stores every environment's health, findings and stacks through the plugin's store, in the plugin's database, as
 * the scheduled collection would have: the list endpoints serve from there.
 */
const collectedInsights = createBackendModule({
  pluginId: 'aws-environments',
  moduleId: 'scale-insights',
  register(reg) {
    reg.registerInit({
      deps: { database: coreServices.database },
      async init({ database }) {
        const store = await DatabaseInsightsStore.create({ database });
        const collectedAt = new Date();
        for (let i = 0; i < ENVIRONMENTS; i++) {
          const entityRef = `resource:default/${nameOf(i)}`;
          const health: HealthReport = {
            verdict: 'healthy',
            reasons: [],
            stacks: [],
            databases: [],
            alarms: [],
          };
          const findings: FindingsReport = {
            source: 'securityhub',
            counts: {
              CRITICAL: criticalOf(i),
              HIGH: 1,
              MEDIUM: 0,
              LOW: 0,
              INFORMATIONAL: 0,
            },
            byProduct: { 'Security Hub': criticalOf(i) + 1 },
            top: [],
          };
          const network: StackDetail = {
            stackName: `${nameOf(i)}-network`,
            layer: 'network',
            status: 'CREATE_COMPLETE',
            resources: [],
            outputs: [{ key: 'VpcCidr', value: vpcCidrOf(i) }],
            events: [],
          };
          await store.saveSuccess({
            entityRef,
            section: 'health',
            data: health,
            summary: { verdict: 'healthy', reasons: [] },
            collectedAt,
          });
          await store.saveSuccess({
            entityRef,
            section: 'findings',
            data: findings,
            summary: { critical: criticalOf(i), high: 1 },
            collectedAt,
          });
          await store.saveStacks({ entityRef, stacks: [network], collectedAt });
        }
      },
    });
  },
});

/** The size of every request body a plugin received at `route`, as its client sent it (Content-Length). */
function recordBodies(pluginId: string, route: string, sizes: number[]) {
  return createBackendModule({
    pluginId,
    moduleId: 'request-sizes',
    register(reg) {
      reg.registerInit({
        deps: { httpRouter: coreServices.httpRouter },
        async init({ httpRouter }) {
          const record: RequestHandler = (req, _res, next) => {
            if (req.method === 'POST' && req.path === route) {
              sizes.push(Number(req.headers['content-length'] ?? 0));
            }
            next();
          };
          // Modules start before their plugin, so this runs before the plugin's own body parser.
          httpRouter.use(record);
        },
      });
    },
  });
}

describe('list endpoints with 2,000 environments and permissions on', () => {
  let backend: TestBackend;
  /** Bodies of the permission backend's POST /authorize. */
  const authorizeBodies: number[] = [];
  /** Bodies of the permission backend's requests to this plugin to apply its conditions to given environments. */
  const applyConditionsBodies: number[] = [];

  const get = (url: string, user: string) =>
    request(backend.server)
      .get(url)
      .set('Authorization', mockCredentials.user.header(user));

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        catalogServiceMock.factory({
          entities: [
            ...organizationEntities(),
            ...Array.from({ length: ENVIRONMENTS }, (_, i) =>
              environmentEntity(i),
            ),
          ],
        }),
        permissionPlugin,
        innovatePermissionPolicy,
        recordBodies('permission', '/authorize', authorizeBodies),
        plugin,
        collectedInsights,
        recordBodies(
          'aws-environments',
          '/.well-known/backstage/permissions/apply-conditions',
          applyConditionsBodies,
        ),
        awsClientFactoryWithSimulation,
        ...signedInUserFeatures,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            awsEnvironments: {
              mode: 'simulated',
              blueprintDir,
              // No scheduled collection while the test runs: the list endpoints serve what was stored.
              insights: { schedule: { initialDelay: { hours: 2 } } },
            },
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('lists every environment for a web-team member, with findings only of her team', async () => {
    const start = Date.now();
    const requestsBefore = authorizeBodies.length;
    const response = await get('/api/aws-environments/environments', AISHA);
    expect(response.status).toBe(200);
    // One conditional decision for all 2,000, applied here rather than asked about each environment.
    expect(authorizeBodies.length - requestsBefore).toBe(1);
    const { items } = response.body as EnvironmentListResponse;
    expect(items).toHaveLength(ENVIRONMENTS);

    const withFindings = items.filter(item => item.findings);
    expect(withFindings.map(item => item.owner)).toEqual(
      Array(ENVIRONMENTS / TEAMS.length).fill(WEB_TEAM),
    );
    // Each environment with its own summary; findings only where the web team owns it.
    expect(
      items.map(({ name, owner, health, findings }) => ({
        name,
        owner,
        verdict: health.verdict,
        findings,
      })),
    ).toEqual(
      Array.from({ length: ENVIRONMENTS }, (_, i) => ({
        name: nameOf(i),
        owner: ownerOf(i),
        verdict: 'healthy',
        findings:
          ownerOf(i) === WEB_TEAM
            ? { critical: criticalOf(i), high: 1, stale: false }
            : undefined,
      })),
    );
    // The overview is a page load: it must not take many seconds, even on a busy machine.
    expect(Date.now() - start).toBeLessThan(10_000);
  });

  it('lists every environment with its findings for a platform-team member', async () => {
    const response = await get('/api/aws-environments/environments', MARIA);
    expect(response.status).toBe(200);
    const { items } = response.body as EnvironmentListResponse;
    expect(items).toHaveLength(ENVIRONMENTS);
    expect(items.every(item => item.findings)).toBe(true);
    const i = 1; // a platform-team environment
    expect(items.find(item => item.name === nameOf(i))?.findings).toEqual({
      critical: criticalOf(i),
      high: 1,
      stale: false,
    });
  });

  it('answers with one environment when a form asks for just that one', async () => {
    const one = async (i: number) => {
      const response = await get(
        `/api/aws-environments/environments?entityRef=${encodeURIComponent(
          `resource:default/${nameOf(i)}`,
        )}`,
        AISHA,
      );
      expect(response.status).toBe(200);
      return (response.body as EnvironmentListResponse).items;
    };
    expect(await one(8)).toEqual([
      expect.objectContaining({
        name: nameOf(8),
        accountId: accountOf(8),
        region: REGION,
        findings: { critical: criticalOf(8), high: 1, stale: false },
      }),
    ]);
    const [other] = await one(9);
    expect(other).toMatchObject({ name: nameOf(9), accountId: accountOf(9) });
    expect(other.findings).toBeUndefined();
  });

  it("answers the other list endpoints for both teams, with every environment's VPC range", async () => {
    const inDev = Array.from({ length: ENVIRONMENTS }, (_, i) => i).filter(
      i => accountOf(i) === DEV_ACCOUNT,
    );
    for (const user of [AISHA, MARIA]) {
      const accounts = await get('/api/aws-environments/accounts', user);
      expect(accounts.status).toBe(200);
      expect(
        accounts.body.items.map((a: { accountId: string }) => a.accountId),
      ).toEqual(expect.arrayContaining([DEV_ACCOUNT, PROD_ACCOUNT]));

      // Every environment's range, whoever owns it: a new environment must not overlap any of them.
      const ranges = await get(
        `/api/aws-environments/vpc-ranges?accountId=${DEV_ACCOUNT}&region=${REGION}`,
        user,
      );
      expect(ranges.status).toBe(200);
      expect(
        ranges.body.items.map((r: { vpcCidr: string }) => r.vpcCidr).sort(),
      ).toEqual(inDev.map(vpcCidrOf).sort());

      const taken = await get(
        `/api/aws-environments/environment-names/${nameOf(3)}`,
        user,
      );
      expect(taken.status).toBe(200);
      expect(taken.body).toMatchObject({
        available: false,
        existing: { owner: ownerOf(3) },
      });
      const free = await get(
        '/api/aws-environments/environment-names/brand-new-env',
        user,
      );
      expect(free.body).toEqual({ name: 'brand-new-env', available: true });
    }
  });

  it("shows a web-team member her own environment's findings and refuses another team's", async () => {
    const own = await get(
      `/api/aws-environments/environments/default/${nameOf(8)}/findings`,
      AISHA,
    );
    expect(own.status).toBe(200);
    expect(own.body.counts.CRITICAL).toBe(criticalOf(8));
    const others = await get(
      `/api/aws-environments/environments/default/${nameOf(9)}/findings`,
      AISHA,
    );
    expect(others.status).toBe(403);
    const asPlatform = await get(
      `/api/aws-environments/environments/default/${nameOf(9)}/findings`,
      MARIA,
    );
    expect(asPlatform.status).toBe(200);

    const mayRefresh = async (i: number, user: string) => {
      const response = await get(
        `/api/aws-environments/environments/default/${nameOf(i)}/refresh`,
        user,
      );
      expect(response.status).toBe(200);
      return response.body.canRefresh;
    };
    expect(await mayRefresh(8, AISHA)).toBe(true);
    expect(await mayRefresh(9, AISHA)).toBe(false);
    expect(await mayRefresh(9, MARIA)).toBe(true);
  });

  it('sent no permission request that grows with the number of environments', () => {
    // Every test above asked the permission backend; none of its requests came near the limit.
    expect(authorizeBodies.length).toBeGreaterThan(0);
    const largest = Math.max(...authorizeBodies, ...applyConditionsBodies);
    expect(largest).toBeLessThan(PERMISSION_BODY_LIMIT_BYTES);
    // A request about a handful of permissions is well under 2 KB; one carrying environments would not be.
    expect(largest).toBeLessThan(2 * 1024);
  });
});
