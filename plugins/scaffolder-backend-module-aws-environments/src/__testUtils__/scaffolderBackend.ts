import {
  CloudFormationClient,
  type Stack,
  paginateDescribeStacks,
} from '@aws-sdk/client-cloudformation';
import {
  type BackendFeature,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  type TestBackend,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { TAG_ENVIRONMENT } from '@internal/plugin-aws-environments-common';
import {
  type AwsClientFactory,
  awsClientFactoryServiceRef,
} from '@internal/plugin-aws-environments-node';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import {
  type EventsService,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import catalogModuleAwsEnvironments from '@internal/plugin-catalog-backend-module-aws-environments';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { scaffolderModuleAwsEnvironments } from '../module';

export const REPO_ROOT = path.resolve(__dirname, '../../../..');
export const BLUEPRINT_DIR = path.join(
  REPO_ROOT,
  'templates/aws-environment/cloudformation',
);

/**
 * The portal's provisioning path in one process: the real scaffolder backend running the template from the catalog,
 * this module's actions, the real catalog with the environment provider, and the given AWS client factory (the
 * simulated organization).
 */
export async function startPortalBackend(options: {
  awsClients: AwsClientFactory;
  config?: Record<string, unknown>;
  /** Merged into the `awsEnvironments` block below (e.g. `accounts`), instead of replacing it like `config`. */
  awsEnvironments?: Record<string, unknown>;
  /**
   * Catalog files with every kind in them allowed; default the portal's organization and systems (catalog/org.yaml,
   * catalog/systems.yaml), whose groups and systems environments are checked against.
   */
  catalogFiles?: string[];
  /** Folders under templates/ whose template.yaml the catalog serves; default the New AWS environment only. */
  templates?: string[];
  extraFeatures?: BackendFeature[];
}): Promise<{
  backend: TestBackend;
  server: TestBackend['server'];
  events: EventsService;
}> {
  const events = mockServices.events();
  const backend = await startTestBackend({
    features: [
      scaffolderPlugin,
      scaffolderModuleAwsEnvironments,
      catalogPlugin,
      catalogModuleScaffolderEntityModel,
      catalogModuleAwsEnvironments,
      // One bus for all plugins: the test backend's default gives each plugin its own, so events never cross.
      createServiceFactory({
        service: eventsServiceRef,
        deps: {},
        factory: () => events,
      }),
      createServiceFactory({
        service: awsClientFactoryServiceRef,
        deps: {},
        factory: () => options.awsClients,
      }),
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            stitchingStrategy: { mode: 'immediate' },
            rules: [{ allow: ['Template', 'Resource', 'Location'] }],
            locations: [
              ...(options.templates ?? ['aws-environment']).map(name => ({
                type: 'file',
                target: path.join(
                  REPO_ROOT,
                  'templates',
                  name,
                  'template.yaml',
                ),
              })),
              ...(
                options.catalogFiles ?? [
                  path.join(REPO_ROOT, 'catalog/org.yaml'),
                  path.join(REPO_ROOT, 'catalog/systems.yaml'),
                ]
              ).map(target => ({
                type: 'file',
                target,
                rules: [
                  {
                    allow: [
                      'Domain',
                      'System',
                      'Component',
                      'API',
                      'Group',
                      'User',
                    ],
                  },
                ],
              })),
            ],
          },
          awsEnvironments: {
            mode: 'simulated',
            blueprintDir: BLUEPRINT_DIR,
            provisioning: {
              pollIntervalSeconds: 0.05,
              registrationTimeoutSeconds: 15,
            },
            discovery: {
              schedule: {
                frequency: { minutes: 30 },
                timeout: { minutes: 1 },
                initialDelay: { seconds: 0 },
              },
            },
            ...options.awsEnvironments,
          },
          ...options.config,
        },
      }),
      ...(options.extraFeatures ?? []),
    ],
  });
  if (!options.catalogFiles) {
    // Environments are checked against the organization's groups and systems: wait until the catalog has them.
    await eventually(async () => {
      const responses = await Promise.all(
        ['group/default/web-team', 'system/default/innovate-web'].map(ref =>
          request(backend.server).get(`/api/catalog/entities/by-name/${ref}`),
        ),
      );
      return responses.every(response => response.status === 200);
    }, 'the organization and systems in the catalog');
  }
  return { backend, server: backend.server, events };
}

export type PortalServer = Awaited<
  ReturnType<typeof startPortalBackend>
>['server'];

export interface TaskEvent {
  id: number;
  type: string;
  body: { message?: string; stepId?: string; status?: string };
}

/** Polls `until` (at most `attempts` times) and returns its first truthy answer. */
export async function eventually<T>(
  until: () => Promise<T | undefined | false>,
  what: string,
  attempts = 600,
  intervalMs = 100,
): Promise<T> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const value = await until();
    if (value) return value;
    await sleep(intervalMs);
  }
  throw new Error(`Gave up waiting for ${what}`);
}

export async function waitForTemplate(server: PortalServer, name: string) {
  await eventually(async () => {
    const response = await request(server).get(
      `/api/catalog/entities/by-name/template/default/${name}`,
    );
    return response.status === 200;
  }, `template ${name} in the catalog`);
}

export async function submitTask(
  server: PortalServer,
  templateName: string,
  values: Record<string, unknown>,
  secrets?: Record<string, string>,
): Promise<string> {
  const response = await request(server)
    .post('/api/scaffolder/v2/tasks')
    .send({
      templateRef: `template:default/${templateName}`,
      values,
      ...(secrets ? { secrets } : {}),
    });
  if (response.status !== 201) {
    throw new Error(
      `Task not accepted: ${response.status} ${JSON.stringify(response.body)}`,
    );
  }
  return response.body.id;
}

export async function taskStatus(
  server: PortalServer,
  taskId: string,
): Promise<string> {
  const response = await request(server).get(
    `/api/scaffolder/v2/tasks/${taskId}`,
  );
  return response.body.status;
}

export async function waitForTaskEnd(
  server: PortalServer,
  taskId: string,
  attempts = 600,
): Promise<string> {
  return eventually(
    async () => {
      const status = await taskStatus(server, taskId);
      return ['completed', 'failed', 'cancelled'].includes(status)
        ? status
        : undefined;
    },
    `task ${taskId} to end`,
    attempts,
  );
}

export async function taskEvents(
  server: PortalServer,
  taskId: string,
): Promise<TaskEvent[]> {
  const response = await request(server).get(
    `/api/scaffolder/v2/tasks/${taskId}/events`,
  );
  return response.body;
}

export async function taskLog(
  server: PortalServer,
  taskId: string,
): Promise<string[]> {
  return (await taskEvents(server, taskId))
    .filter(e => e.type === 'log')
    .map(e => e.body.message ?? '');
}

/** The stacks of one environment (by its tag), as AWS lists them. */
export async function environmentStacks(
  awsClients: AwsClientFactory,
  environment: string,
  target = { accountId: '222222222222', region: 'eu-central-1' },
): Promise<Stack[]> {
  const client = await awsClients.getClient(CloudFormationClient, target);
  const stacks: Stack[] = [];
  for await (const page of paginateDescribeStacks({ client }, {})) {
    for (const stack of page.Stacks ?? []) {
      if (
        stack.Tags?.some(
          t => t.Key === TAG_ENVIRONMENT && t.Value === environment,
        )
      ) {
        stacks.push(stack);
      }
    }
  }
  return stacks;
}

/** The dev and prod accounts of the three-account organization the permission tests run against. */
export const DEV_ACCOUNT = '222222222222';
export const PROD_ACCOUNT = '333333333333';

/** Shared services, dev and prod accounts, each allowing only `region`. */
export function threeAccounts(region: string) {
  return [
    {
      accountId: '111111111111',
      name: 'shared-services',
      stage: 'shared',
      regions: [region],
    },
    {
      accountId: DEV_ACCOUNT,
      name: 'innovate-dev',
      stage: 'dev',
      regions: [region],
    },
    {
      accountId: PROD_ACCOUNT,
      name: 'innovate-prod',
      stage: 'prod',
      regions: [region],
    },
  ];
}

/** What a person fills into the New AWS environment form for a dev environment. */
export function newEnvironmentValues(name: string, vpcCidr: string) {
  return {
    name,
    owner: 'group:default/web-team',
    system: 'system:default/innovate-web',
    stage: 'dev',
    accountId: '222222222222',
    region: 'eu-central-1',
    azCount: 2,
    natGateways: 'single',
    vpcCidr,
    nodeStrategy: 'mixed',
    frontendInstanceType: 't4g.medium',
    backendInstanceType: 't4g.large',
    frontendNodes: { min: 1, desired: 2, max: 4 },
    backendNodes: { min: 1, desired: 2, max: 4 },
    kubernetesVersion: '1.35',
    databaseEngine: 'rds-postgresql',
    databaseEngineVersion: '17',
    databaseInstanceClass: 'db.t4g.medium',
    databaseStorageGb: 20,
    backupRetentionDays: 7,
    budgetMonthlyUsd: 800,
    alertEmail: 'web-team@innovate.example',
    costCenter: 'web',
  };
}
