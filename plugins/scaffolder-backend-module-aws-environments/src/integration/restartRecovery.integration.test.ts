import {
  CloudFormationClient,
  DescribeStacksCommand,
  paginateDescribeStackEvents,
} from '@aws-sdk/client-cloudformation';
import {
  DatabaseManager,
  databaseServiceFactory,
} from '@backstage/backend-defaults/database';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { type AwsClientFactory } from '@internal/plugin-aws-environments-node';
import { createSimulatedAwsClientFactory } from '@internal/plugin-aws-environments-simulator';
import {
  BLUEPRINT_DIR,
  environmentStacks,
  eventually,
  newEnvironmentValues,
  startPortalBackend,
  submitTask,
  taskEvents,
  taskLog,
  waitForTaskEnd,
  waitForTemplate,
} from '../__testUtils__/scaffolderBackend';
import { ENVIRONMENT_LAYERS as LAYERS } from '@internal/plugin-aws-environments-common';

jest.setTimeout(120_000);

/**
 * A backend process that dies: once `kill()` is called, nothing it started reaches AWS any more (a dead process
 * sends nothing), while AWS itself - the simulated organization - carries on with what it was given.
 */
function killableClients(aws: AwsClientFactory) {
  let killed = false;
  const clients: AwsClientFactory = {
    mode: aws.mode,
    listAccounts: () => aws.listAccounts(),
    assertAllowed: target => aws.assertAllowed(target),
    async getClient(clientClass, target) {
      const client = await aws.getClient(clientClass, target);
      return new Proxy(client, {
        get(real, property, receiver) {
          if (property === 'send') {
            return (...args: [any, any?]) =>
              killed ? new Promise(() => {}) : real.send(...args);
          }
          return Reflect.get(real, property, receiver);
        },
      });
    },
  };
  return {
    clients,
    kill: () => {
      killed = true;
    },
  };
}

/**
 * The database service of a backend process that dies. A stopped test backend keeps its connections, and its
 * scaffolder would go on beating the running task's heartbeat, so the task would never look abandoned; after
 * `kill()` those heartbeats fail, as they stop when the process is gone.
 */
function killableDatabase() {
  let killed = false;
  const wrapped = new WeakSet<object>();
  const factory = createServiceFactory({
    service: coreServices.database,
    deps: {
      config: coreServices.rootConfig,
      lifecycle: coreServices.lifecycle,
      logger: coreServices.logger,
      pluginMetadata: coreServices.pluginMetadata,
      rootLifecycle: coreServices.rootLifecycle,
      rootLogger: coreServices.rootLogger,
    },
    async createRootContext({ config, rootLifecycle, rootLogger }) {
      return DatabaseManager.fromConfig(config, { rootLifecycle, rootLogger });
    },
    async factory({ pluginMetadata, lifecycle, logger }, manager) {
      const database = manager.forPlugin(pluginMetadata.getId(), {
        lifecycle,
        logger,
      });
      return {
        ...database,
        async getClient() {
          const knex = await database.getClient();
          const client = knex.client as any;
          if (!wrapped.has(client)) {
            wrapped.add(client);
            const query = client.query.bind(client);
            client.query = (connection: unknown, statement: any) =>
              killed && /last_heartbeat_at/.test(String(statement?.sql))
                ? Promise.reject(new Error('the backend process is gone'))
                : query(connection, statement);
          }
          return knex;
        },
      };
    },
  });
  return {
    factory,
    kill: () => {
      killed = true;
    },
  };
}

describe('a backend stopped mid-provisioning and started again', () => {
  it('recovers the task, creates no duplicate stacks and completes', async () => {
    let simulatedNow = Date.now();
    let lastReal = Date.now();
    let speed = 0.01;
    const now = () => {
      const real = Date.now();
      simulatedNow += (real - lastReal) * speed;
      lastReal = real;
      return simulatedNow;
    };
    // AWS outlives the portal process: one organization for both backends.
    const aws = createSimulatedAwsClientFactory({
      blueprintDir: BLUEPRINT_DIR,
      seedEnvironments: false,
      timeScale: 0.002,
      now,
    });
    const databaseDir = createMockDirectory();
    const config = {
      backend: {
        database: {
          client: 'better-sqlite3',
          connection: { directory: databaseDir.path },
        },
      },
      scaffolder: {
        taskRecovery: { enabled: true, staleTimeout: { seconds: 2 } },
      },
    };

    const first = killableClients(aws);
    const firstDatabase = killableDatabase();
    const one = await startPortalBackend({
      awsClients: first.clients,
      config,
      extraFeatures: [firstDatabase.factory],
    });
    await waitForTemplate(one.server, 'aws-environment');
    const taskId = await submitTask(
      one.server,
      'aws-environment',
      newEnvironmentValues('innovate-uat', '10.62.0.0/16'),
    );

    // Killed while the network is done and the layers after it are being created.
    const client = await aws.getClient(CloudFormationClient, {
      accountId: '222222222222',
      region: 'eu-central-1',
    });
    const statusOf = async (stackName: string) =>
      (
        await client
          .send(new DescribeStacksCommand({ StackName: stackName }))
          .catch(() => undefined)
      )?.Stacks?.[0]?.StackStatus;
    await eventually(
      async () =>
        (await statusOf('innovate-uat-security')) === 'CREATE_IN_PROGRESS',
      'the security stack to be in progress',
    );
    first.kill();
    firstDatabase.kill();
    await one.backend.stop();

    speed = 1;
    const two = await startPortalBackend({
      awsClients: aws,
      config,
      extraFeatures: [databaseServiceFactory],
    });
    try {
      const status = await waitForTaskEnd(two.server, taskId, 300);
      const log = await taskLog(two.server, taskId);
      expect(`${status}\n${log.slice(-6).join('\n')}`).toMatch(/^completed/);
      expect(
        (await taskEvents(two.server, taskId)).some(
          e => e.type === 'recovered',
        ),
      ).toBe(true);

      const stacks = await environmentStacks(aws, 'innovate-uat');
      expect(stacks.map(s => s.StackName).sort()).toEqual(
        LAYERS.map(l => `innovate-uat-${l}`).sort(),
      );
      expect(stacks.every(s => s.StackStatus === 'CREATE_COMPLETE')).toBe(true);
      // Each stack was created once: one creation in its history, not a second one after the restart.
      for (const stack of stacks) {
        const creations: string[] = [];
        for await (const page of paginateDescribeStackEvents(
          { client },
          { StackName: stack.StackName },
        )) {
          for (const event of page.StackEvents ?? []) {
            if (
              event.LogicalResourceId === stack.StackName &&
              event.ResourceStatus === 'CREATE_IN_PROGRESS'
            ) {
              creations.push(event.EventId!);
            }
          }
        }
        expect({ stack: stack.StackName, creations: creations.length }).toEqual(
          { stack: stack.StackName, creations: 1 },
        );
      }
      const events = await taskEvents(two.server, taskId);
      expect(
        events.some(
          e => e.body.stepId === 'register' && e.body.status === 'completed',
        ),
      ).toBe(true);
    } finally {
      await two.backend.stop();
    }
  });
});
