import {
  CloudFormationClient,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EKSClient } from '@aws-sdk/client-eks';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { Inspector2Client } from '@aws-sdk/client-inspector2';
import { RDSClient } from '@aws-sdk/client-rds';
import {
  GetFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import {
  type BackendFeature,
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  type Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
// The real catalog, permission backend and policy, started beside this plugin as in the portal's backend.
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ServerPermissionClient } from '@backstage/plugin-permission-node';
import {
  ANNOTATION_ACCOUNT_ID,
  ANNOTATION_ENVIRONMENT,
  ANNOTATION_REGION,
  ANNOTATION_STACKS,
  ANNOTATION_STAGE,
  ANNOTATION_TEMPLATE,
  ENVIRONMENT_RESOURCE_TYPE,
  type EnvironmentListResponse,
  TAG_ENVIRONMENT,
  TAG_LAYER,
  stackNameFor,
} from '@internal/plugin-aws-environments-common';
import { awsClientFactoryServiceRef } from '@internal/plugin-aws-environments-node';
import innovatePermissionPolicy from '@internal/plugin-permission-backend-module-innovate-policy';
import { mockClient } from 'aws-sdk-client-mock';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  DEV_ACCOUNT,
  PROD_ACCOUNT,
  REGION,
  fakeAwsClientFactory,
} from './__testUtils__/fixtures';
import { signedInUserFeatures } from './__testUtils__/signedInUsers';
import { awsEnvironmentsPlugin } from './plugin';

// The catalog processes 2,000 entities and the collectors run once before the first case: about half a minute on
// an idle machine, more on a busy one.
jest.setTimeout(240_000);

/*
 * Every list the Environments page and the templates' fields read, with 2,000 environments in the catalog, the real
 * catalog, permission backend and Innovate policy, and permissions on. The permission backend refuses a JSON body
 * over 100 KB (413), so a permission request that grew with the number of environments would fail the lists.
 */

const ENVIRONMENTS = 2_000;
const PERMISSION_BODY_LIMIT_BYTES = 100 * 1024;

const PLATFORM_TEAM = 'group:default/platform-team';
const WEB_TEAM = 'group:default/web-team';
const TEAMS = [
  WEB_TEAM,
  PLATFORM_TEAM,
  'group:default/data-team',
  'group:default/mobile-team',
];
const AISHA = 'user:default/aisha.khan';
const MARIA = 'user:default/maria.lopez';
const MEMBERS: Record<string, string> = {
  [AISHA]: WEB_TEAM,
  [MARIA]: PLATFORM_TEAM,
};

const PROVIDER_LOCATION = 'provider:lists-scale-test';

interface SeededEnvironment {
  name: string;
  owner: string;
  accountId: string;
  /** The VPC range the network stack reports. */
  vpcCidr: string;
  /** Critical findings Security Hub reports for it. */
  critical: number;
}

const environments: SeededEnvironment[] = Array.from(
  { length: ENVIRONMENTS },
  (_, i) => ({
    name: `env-${String(i).padStart(4, '0')}`,
    owner: TEAMS[i % TEAMS.length],
    accountId: i % 2 === 0 ? DEV_ACCOUNT : PROD_ACCOUNT,
    vpcCidr: `10.${Math.floor(i / 250)}.${i % 250}.0/24`,
    critical: i % 3,
  }),
);
const byName = new Map(environments.map(env => [env.name, env]));
const entityRefOf = (name: string) =>
  stringifyEntityRef({ kind: 'Resource', namespace: 'default', name });

const managed = {
  [ANNOTATION_LOCATION]: PROVIDER_LOCATION,
  [ANNOTATION_ORIGIN_LOCATION]: PROVIDER_LOCATION,
};

/** The organization and the environments, as the catalog module and the organization's files give them. */
function catalogEntities(): Entity[] {
  const groups = TEAMS.map(ref => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: ref.split('/')[1], annotations: managed },
    spec: { type: 'team', children: [] },
  }));
  const users = Object.entries(MEMBERS).map(([ref, team]) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: ref.split('/')[1], annotations: managed },
    spec: { memberOf: [team] },
  }));
  const resources = environments.map(env => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: env.name,
      namespace: 'default',
      title: `${env.name} (dev)`,
      annotations: {
        ...managed,
        [ANNOTATION_ACCOUNT_ID]: env.accountId,
        [ANNOTATION_REGION]: REGION,
        [ANNOTATION_ENVIRONMENT]: env.name,
        [ANNOTATION_STAGE]: 'dev',
        [ANNOTATION_STACKS]: stackNameFor(env.name, 'network'),
        [ANNOTATION_TEMPLATE]: 'aws-environment@1.0.0',
      },
      tags: ['dev'],
    },
    spec: { type: ENVIRONMENT_RESOURCE_TYPE, owner: env.owner },
  }));
  return [...groups, ...users, ...resources];
}

/** Puts the entities into the catalog through an entity provider, as the catalog module does. */
const seededCatalog = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'lists-scale-test',
  register(reg) {
    reg.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addEntityProvider({
          getProviderName: () => 'lists-scale-test',
          connect: async connection => {
            await connection.applyMutation({
              type: 'full',
              entities: catalogEntities().map(entity => ({
                entity,
                locationKey: PROVIDER_LOCATION,
              })),
            });
          },
        });
      },
    });
  },
});

interface PermissionCall {
  plugin: string;
  items: number;
  bytes: number;
}

/** Every plugin's permission client, recording the size of each request it sends to the permission backend. */
function recordingPermissions(calls: PermissionCall[]) {
  return createServiceFactory({
    service: coreServices.permissions,
    deps: {
      auth: coreServices.auth,
      config: coreServices.rootConfig,
      discovery: coreServices.discovery,
      plugin: coreServices.pluginMetadata,
    },
    factory({ auth, config, discovery, plugin }) {
      const client = ServerPermissionClient.fromConfig(config, {
        auth,
        discovery,
      });
      const record = (items: object[]) =>
        calls.push({
          plugin: plugin.getId(),
          items: items.length,
          bytes: Buffer.byteLength(
            JSON.stringify({
              items: items.map(item => ({ id: randomUUID(), ...item })),
            }),
          ),
        });
      return {
        authorize: (requests, options) => {
          record(requests);
          return client.authorize(requests, options);
        },
        authorizeConditional: (requests, options) => {
          record(requests);
          return client.authorizeConditional(requests, options);
        },
      };
    },
  });
}

/**
 * AWS as the collectors see it: each environment's network stack reports its VPC range, and Security Hub reports
 * `critical` critical findings and one high finding per environment.
 */
function mockAws() {
  // Nothing else is there: no cluster, database, alarm, GuardDuty detector or Inspector finding.
  mockClient(CloudWatchClient).onAnyCommand().resolves({});
  mockClient(EKSClient).onAnyCommand().resolves({});
  mockClient(GuardDutyClient).onAnyCommand().resolves({});
  mockClient(Inspector2Client).onAnyCommand().resolves({});
  mockClient(RDSClient).onAnyCommand().resolves({});
  const cloudFormation = mockClient(CloudFormationClient);
  cloudFormation.onAnyCommand().resolves({});
  cloudFormation.on(DescribeStacksCommand).callsFake(input => {
    const stackName = String(input.StackName);
    const env = byName.get(stackName.replace(/-network$/, ''));
    if (!env) {
      throw Object.assign(new Error(`Stack ${stackName} does not exist`), {
        name: 'ValidationError',
      });
    }
    return {
      Stacks: [
        {
          StackName: stackName,
          StackStatus: 'CREATE_COMPLETE',
          CreationTime: new Date(),
          DriftInformation: {
            StackDriftStatus: 'IN_SYNC',
            LastCheckTimestamp: new Date(),
          },
          Tags: [
            { Key: TAG_ENVIRONMENT, Value: env.name },
            { Key: TAG_LAYER, Value: 'network' },
          ],
          Outputs: [{ OutputKey: 'VpcCidr', OutputValue: env.vpcCidr }],
        },
      ],
    };
  });
  mockClient(SecurityHubClient)
    .on(GetFindingsCommand)
    .callsFake(input => ({
      Findings: (input.Filters?.ResourceTags ?? []).flatMap(
        ({ Value }: { Value?: string }) => {
          const env = byName.get(Value ?? '');
          if (!env) return [];
          const finding = (severity: string, n: number) => ({
            Id: `${env.name}-${severity}-${n}`,
            Title: `${severity} finding ${n}`,
            Severity: { Label: severity },
            ProductName: 'Security Hub',
            Resources: [
              {
                Id: `arn:aws:ec2:${REGION}:${env.accountId}:vpc/${env.name}`,
                Type: 'AwsEc2Vpc',
                Tags: { [TAG_ENVIRONMENT]: env.name },
              },
            ],
          });
          return [
            finding('HIGH', 0),
            ...Array.from({ length: env.critical }, (_, n) =>
              finding('CRITICAL', n),
            ),
          ];
        },
      ),
    }));
}

async function startBackend(calls: PermissionCall[]) {
  mockAws();
  const scheduler = mockServices.scheduler.mock();
  const awsClients = fakeAwsClientFactory();
  const features: BackendFeature[] = [
    catalogPlugin,
    seededCatalog,
    permissionPlugin,
    innovatePermissionPolicy,
    awsEnvironmentsPlugin,
    ...signedInUserFeatures,
    recordingPermissions(calls),
    scheduler.factory,
    createServiceFactory({
      service: awsClientFactoryServiceRef,
      deps: {},
      factory: () => awsClients,
    }),
    mockServices.rootConfig.factory({
      data: {
        permission: { enabled: true },
        catalog: {
          rules: [{ allow: ['Resource', 'Group', 'User'] }],
        },
        awsEnvironments: {
          insights: { schedule: { initialDelay: { hours: 1 } } },
        },
      },
    }),
  ];
  const backend = await startTestBackend({ features });
  // The plugins' clients keep sockets to this server open between requests; a loaded machine can leave one idle past
  // Node's default of 5 seconds, and the server closing it just as it is reused fails that request.
  backend.server.keepAliveTimeout = 120_000;
  const runTask = async (id: string) => {
    const call = scheduler.scheduleTask.mock.calls.find(
      ([task]) => task.id === id,
    );
    if (!call) throw new Error(`No scheduled task ${id}`);
    await call[0].fn(new AbortController().signal);
  };
  return { server: backend.server, runTask };
}

const asUser = (userEntityRef: string) =>
  `Bearer ${mockCredentials.user.token(userEntityRef)}`;

describe(`every list with ${ENVIRONMENTS.toLocaleString(
  'en-US',
)} environments and permissions on`, () => {
  const calls: PermissionCall[] = [];
  let server: Awaited<ReturnType<typeof startBackend>>['server'];

  beforeAll(async () => {
    const started = await startBackend(calls);
    server = started.server;
    // The catalog processes the provider's entities in the background: wait until it lists every environment.
    const deadline = Date.now() + 180_000;
    for (;;) {
      const response = await request(server)
        .get('/api/catalog/entities/by-query')
        .query({
          filter: `kind=resource,spec.type=${ENVIRONMENT_RESOURCE_TYPE}`,
          limit: 1,
        })
        .set('Authorization', mockCredentials.service.header());
      if (response.body.totalItems === ENVIRONMENTS) break;
      if (Date.now() > deadline) {
        throw new Error(
          `The catalog lists ${response.body.totalItems} of ${ENVIRONMENTS} environments`,
        );
      }
      await new Promise(resolve => setTimeout(resolve, 1000));
    }
    await started.runTask('aws-environments-insights-health');
    await started.runTask('aws-environments-insights-findings');
    calls.length = 0;
  });

  it.each([
    ['a web-team member', AISHA, WEB_TEAM],
    ['a platform-team member', MARIA, undefined],
  ])(
    'pages through every environment for %s, with the findings of those the policy lets them see',
    async (_who, user, onlyTeam) => {
      const before = calls.length;
      const pages: EnvironmentListResponse[] = [];
      for (let offset = 0; offset < ENVIRONMENTS; offset += 100) {
        const response = await request(server)
          .get('/api/aws-environments/environments')
          .query({ limit: 100, offset })
          .set('Authorization', asUser(user));
        expect(response.status).toBe(200);
        pages.push(response.body);
      }
      expect(pages.every(page => page.totalItems === ENVIRONMENTS)).toBe(true);
      expect(pages.every(page => page.items.length === 100)).toBe(true);
      const items = pages.flatMap(page => page.items);
      // In name order, each environment once.
      expect(items.map(item => item.name)).toEqual(
        environments.map(env => env.name),
      );
      const withFindings = items.filter(item => item.findings);
      const expected = environments.filter(
        env => !onlyTeam || env.owner === onlyTeam,
      );
      expect(withFindings.map(item => item.name)).toEqual(
        expected.map(env => env.name),
      );
      for (const item of withFindings) {
        expect(item.findings).toMatchObject({
          critical: byName.get(item.name)!.critical,
          high: 1,
        });
      }
      // Everyone sees every environment's health and owner, and the owner facet counts them all.
      expect(items.every(item => item.health.verdict !== 'unknown')).toBe(true);
      expect(pages[0].facets.owner).toEqual(
        [...TEAMS].sort().map(value => ({
          value,
          count: ENVIRONMENTS / TEAMS.length,
        })),
      );
      expect(pages[0].summary.health.unknown).toBe(0);
      // One conditional decision per page, applied to the environments here.
      expect(
        calls.slice(before).filter(c => c.plugin === 'aws-environments'),
      ).toEqual(pages.map(() => expect.objectContaining({ items: 1 })));
    },
  );

  it('answers the first page the Environments page asks for, filtered to the web team, sorted by findings', async () => {
    const response = await request(server)
      .get('/api/aws-environments/environments')
      .query({ limit: 50, owner: WEB_TEAM, orderBy: 'findings,desc' })
      .set('Authorization', asUser(AISHA));
    expect(response.status).toBe(200);
    const body = response.body as EnvironmentListResponse;
    expect(body.totalItems).toBe(ENVIRONMENTS / TEAMS.length);
    expect(body.items).toHaveLength(50);
    expect(body.items.every(item => item.owner === WEB_TEAM)).toBe(true);
    expect(body.items.every(item => item.findings?.critical === 2)).toBe(true);
    // The answer is one page, not the organization.
    expect(Buffer.byteLength(response.text)).toBeLessThan(100 * 1024);
  });

  it.each([AISHA, MARIA])(
    'lists the VPC ranges of an account for %s',
    async user => {
      const response = await request(server)
        .get('/api/aws-environments/vpc-ranges')
        .query({ accountId: DEV_ACCOUNT, region: REGION })
        .set('Authorization', asUser(user));
      expect(response.status).toBe(200);
      const inDev = environments.filter(env => env.accountId === DEV_ACCOUNT);
      expect(response.body.items).toHaveLength(inDev.length);
      expect(
        new Map(
          response.body.items.map(
            (r: { environment: string; vpcCidr: string }) => [
              r.environment,
              r.vpcCidr,
            ],
          ),
        ),
      ).toEqual(new Map(inDev.map(env => [env.name, env.vpcCidr])));
    },
  );

  it.each([AISHA, MARIA])(
    'answers the accounts, an existing and a free name, versions and prices for %s',
    async user => {
      const get = (path: string, query?: Record<string, string>) =>
        request(server)
          .get(`/api/aws-environments${path}`)
          .query(query ?? {})
          .set('Authorization', asUser(user));

      const accounts = await get('/accounts');
      expect(accounts.status).toBe(200);
      expect(
        accounts.body.items.map((a: { accountId: string }) => a.accountId),
      ).toEqual(expect.arrayContaining([DEV_ACCOUNT, PROD_ACCOUNT]));

      const taken = await get('/environment-names/env-1999');
      expect(taken.status).toBe(200);
      expect(taken.body).toMatchObject({
        available: false,
        existing: {
          entityRef: entityRefOf('env-1999'),
          owner: byName.get('env-1999')!.owner,
        },
      });
      const free = await get('/environment-names/env-2000');
      expect(free.status).toBe(200);
      expect(free.body).toMatchObject({ available: true });

      const versions = await get('/aws-versions', {
        accountId: DEV_ACCOUNT,
        region: REGION,
      });
      expect(versions.status).toBe(200);
      const prices = await get(`/prices/${REGION}`);
      expect(prices.status).toBe(200);
    },
  );

  it.each([
    ['a web-team member', AISHA, WEB_TEAM],
    ['a platform-team member', MARIA, PLATFORM_TEAM],
  ])(
    'serves the catalog lists and facets of the environments to %s',
    async (_who, user, team) => {
      const filter = `kind=resource,spec.type=${ENVIRONMENT_RESOURCE_TYPE}`;
      const page = await request(server)
        .get('/api/catalog/entities/by-query')
        .query({ filter, limit: 50, orderField: 'metadata.name,asc' })
        .set('Authorization', asUser(user));
      expect(page.status).toBe(200);
      expect(page.body.totalItems).toBe(ENVIRONMENTS);
      expect(page.body.items).toHaveLength(50);

      const owned = await request(server)
        .get('/api/catalog/entities/by-query')
        .query({ filter: `${filter},relations.ownedBy=${team}`, limit: 20 })
        .set('Authorization', asUser(user));
      expect(owned.status).toBe(200);
      expect(owned.body.totalItems).toBe(
        environments.filter(env => env.owner === team).length,
      );

      const facets = await request(server)
        .get('/api/catalog/entity-facets')
        .query({ filter, facet: ['spec.owner', 'metadata.tags'] })
        .set('Authorization', asUser(user));
      expect(facets.status).toBe(200);
      expect(facets.body.facets['spec.owner']).toEqual(
        expect.arrayContaining(
          TEAMS.map(ref => ({
            value: ref,
            count: ENVIRONMENTS / TEAMS.length,
          })),
        ),
      );

      // The table's entity links read names in batches of 100, as the catalog's presentation API does.
      const refs = environments.slice(0, 100).map(env => entityRefOf(env.name));
      const byRefs = await request(server)
        .post('/api/catalog/entities/by-refs')
        .send({
          entityRefs: refs,
          fields: ['kind', 'metadata.name', 'metadata.title'],
        })
        .set('Authorization', asUser(user));
      expect(byRefs.status).toBe(200);
      expect(byRefs.body.items).toHaveLength(100);
      expect(byRefs.body.items.every(Boolean)).toBe(true);
    },
  );

  it('lets a web-team member read and refresh only her team’s environments one by one', async () => {
    const own = environments.find(env => env.owner === WEB_TEAM)!;
    const other = environments.find(env => env.owner !== WEB_TEAM)!;
    const findingsOf = (env: SeededEnvironment) =>
      request(server)
        .get(`/api/aws-environments/environments/default/${env.name}/findings`)
        .set('Authorization', asUser(AISHA));
    expect((await findingsOf(own)).status).toBe(200);
    expect((await findingsOf(other)).status).toBe(403);

    const refreshOf = async (env: SeededEnvironment) =>
      (
        await request(server)
          .get(`/api/aws-environments/environments/default/${env.name}/refresh`)
          .set('Authorization', asUser(AISHA))
      ).body.canRefresh;
    expect(await refreshOf(own)).toBe(true);
    expect(await refreshOf(other)).toBe(false);
  });

  it('sent no permission request that grew with the number of environments', () => {
    // Every case above asked the permission backend, through this plugin and through the catalog.
    expect(new Set(calls.map(c => c.plugin))).toEqual(
      new Set(['aws-environments', 'catalog']),
    );
    for (const call of calls) {
      expect(call.items).toBeLessThanOrEqual(100);
      expect(call.bytes).toBeLessThan(PERMISSION_BODY_LIMIT_BYTES);
    }
  });
});

describe(`the overview with ${ENVIRONMENTS.toLocaleString(
  'en-US',
)} environments and a policy whose conditions are the catalog's`, () => {
  it('asks only about the page’s environments, and about all in batches of at most 100 to sort by findings', async () => {
    const claims = [AISHA, WEB_TEAM];
    const batches: string[][] = [];
    const permissions = mockServices.permissions.mock({
      // A policy other than Innovate's: the catalog's ownership rule, which only the catalog can apply.
      authorizeConditional: jest.fn(
        async requests =>
          requests.map(({ permission }) => ({
            result: AuthorizeResult.CONDITIONAL,
            pluginId: 'catalog',
            resourceType: (permission as { resourceType: string }).resourceType,
            conditions: {
              rule: 'IS_ENTITY_OWNER',
              resourceType: 'catalog-entity',
              params: { claims },
            },
          })) as never,
      ),
      // The permission backend applying that condition to each environment named.
      authorize: jest.fn(async requests => {
        batches.push(requests.map(r => String(r.resourceRef)));
        const size = Buffer.byteLength(JSON.stringify({ items: requests }));
        expect(size).toBeLessThan(PERMISSION_BODY_LIMIT_BYTES);
        return requests.map(r => ({
          result: claims.includes(
            byName.get(String(r.resourceRef).split('/')[1])?.owner ?? '',
          )
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
        }));
      }),
    });
    const awsClients = fakeAwsClientFactory();
    const { server } = await startTestBackend({
      features: [
        awsEnvironmentsPlugin,
        permissions.factory,
        mockServices.scheduler.mock().factory,
        catalogServiceMock.factory({ entities: catalogEntities() }),
        createServiceFactory({
          service: awsClientFactoryServiceRef,
          deps: {},
          factory: () => awsClients,
        }),
      ],
    });

    const response = await request(server)
      .get('/api/aws-environments/environments')
      .query({ limit: 50, offset: 100 })
      .set('Authorization', asUser(AISHA));
    expect(response.status).toBe(200);
    const page = response.body as EnvironmentListResponse;
    expect(page.items).toHaveLength(50);
    expect(batches).toEqual([page.items.map(item => item.entityRef)]);

    batches.length = 0;
    const byFindings = await request(server)
      .get('/api/aws-environments/environments')
      .query({ limit: 10, orderBy: 'findings,desc' })
      .set('Authorization', asUser(AISHA));
    expect(byFindings.status).toBe(200);
    expect(batches).toHaveLength(ENVIRONMENTS / 100);
    expect(batches.every(batch => batch.length <= 100)).toBe(true);
    expect(batches.flat().sort()).toEqual(
      environments.map(env => entityRefOf(env.name)).sort(),
    );
  });
});
