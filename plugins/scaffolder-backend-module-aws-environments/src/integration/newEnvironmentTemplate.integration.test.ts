import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { type SimulatedAwsClientFactory, createSimulatedAwsClientFactory } from '@internal/plugin-aws-environments-simulator';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import {
  BLUEPRINT_DIR,
  type PortalServer,
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

const MUTATIONS = [
  'CreateChangeSet',
  'ExecuteChangeSet',
  'DeleteChangeSet',
  'CreateStack',
  'UpdateStack',
  'DeleteStack',
  'UpdateTerminationProtection',
  'SetStackPolicy',
];

function mutationCount(factory: SimulatedAwsClientFactory): number {
  const counts = factory.getRequestCounts().cloudformation ?? {};
  return MUTATIONS.reduce((sum, command) => sum + (counts[command] ?? 0), 0);
}

/**
 * The New AWS environment template submitted through the scaffolder's REST API, run by the real scaffolder backend
 * against the simulated organization, registered through the real catalog.
 */
describe('New AWS environment through the scaffolder backend', () => {
  // The simulated clock can be slowed down, so that a stack stays in progress for as long as a test needs.
  let simulatedNow = Date.now();
  let lastReal = Date.now();
  let speed = 1;
  const now = () => {
    const real = Date.now();
    simulatedNow += (real - lastReal) * speed;
    lastReal = real;
    return simulatedNow;
  };
  const setClockSpeed = (factor: number) => {
    now();
    speed = factor;
  };

  const awsClients = createSimulatedAwsClientFactory({
    blueprintDir: BLUEPRINT_DIR,
    seedEnvironments: false,
    timeScale: 0.002,
    now,
  });
  let server: PortalServer;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const started = await startPortalBackend({ awsClients });
    server = started.server;
    stop = () => started.backend.stop();
    await waitForTemplate(server, 'aws-environment');
  });

  afterAll(async () => {
    await stop?.();
  });

  const secretToken = 'tok-4d9b1f0e-never-in-the-log';

  it('creates all six stacks, streams their events, registers the environment and keeps secrets out of the log', async () => {
    const taskId = await submitTask(
      server,
      'aws-environment',
      newEnvironmentValues('innovate-qa', '10.60.0.0/16'),
      { alertWebhookToken: secretToken },
    );

    const status = await waitForTaskEnd(server, taskId);
    const log = await taskLog(server, taskId);
    expect(`${status}\n${log.slice(-6).join('\n')}`).toMatch(/^completed/);

    const stacks = await environmentStacks(awsClients, 'innovate-qa');
    expect(stacks.map(s => s.StackName).sort()).toEqual(
      LAYERS.map(l => `innovate-qa-${l}`).sort(),
    );
    expect(stacks.every(s => s.StackStatus === 'CREATE_COMPLETE')).toBe(true);

    // Resource events of every stack, as CloudFormation reported them, are in the task log.
    for (const layer of LAYERS) {
      expect(
        log.some(line =>
          new RegExp(
            `innovate-qa-${layer} \\S+ \\[AWS::[^\\]]+\\] CREATE_COMPLETE`,
          ).test(line),
        ),
      ).toBe(true);
    }

    const entity = await request(server).get(
      '/api/catalog/entities/by-name/resource/default/innovate-qa',
    );
    expect(entity.status).toBe(200);
    expect(entity.body.spec).toMatchObject({
      type: 'aws-environment',
      owner: 'group:default/web-team',
    });

    const everything = JSON.stringify(await taskEvents(server, taskId));
    expect(everything).not.toContain(secretToken);
  });

  it('refuses the same name again, pointing at the Update template, and leaves the stacks as they are', async () => {
    const values = {
      ...newEnvironmentValues('innovate-qa', '10.61.0.0/16'),
      costCenter: 'someone-else',
    };
    const before = await environmentStacks(awsClients, 'innovate-qa');

    const taskId = await submitTask(server, 'aws-environment', values);
    expect(await waitForTaskEnd(server, taskId)).toBe('failed');

    const after = await environmentStacks(awsClients, 'innovate-qa');
    expect(after.map(s => [s.StackId, s.LastUpdatedTime]).sort()).toEqual(
      before.map(s => [s.StackId, s.LastUpdatedTime]).sort(),
    );
    expect(after.every(s => s.StackStatus === 'CREATE_COMPLETE')).toBe(true);
    const log = (await taskLog(server, taskId)).join('\n');
    expect(log).toContain(
      'ConflictError: innovate-qa already exists (owner group:default/web-team, account 222222222222 eu-central-1). Pick another name, or use the "Update an AWS environment" template to change it.',
    );
    // What the person reads is the message, not a stack trace with the server's paths.
    expect(log).not.toMatch(/\n\s+at /);
    expect(log).not.toContain('.ts:');
  });

  it('stops waiting when the task is cancelled and sends nothing more to AWS', async () => {
    setClockSpeed(0.01);
    const taskId = await submitTask(
      server,
      'aws-environment',
      newEnvironmentValues('innovate-perf', '10.61.0.0/16'),
    );
    // On the slowed clock the network stack stays in CREATE_IN_PROGRESS for a while; the action waits for it.
    const client = await awsClients.getClient(CloudFormationClient, {
      accountId: '222222222222',
      region: 'eu-central-1',
    });
    const networkStatus = async () =>
      (
        await client
          .send(
            new DescribeStacksCommand({ StackName: 'innovate-perf-network' }),
          )
          .catch(() => undefined)
      )?.Stacks?.[0]?.StackStatus;
    await eventually(
      async () => (await networkStatus()) === 'CREATE_IN_PROGRESS',
      'the network stack to be in progress',
    );

    const cancel = await request(server).post(
      `/api/scaffolder/v2/tasks/${taskId}/cancel`,
    );
    expect(cancel.status).toBe(200);
    // The scaffolder ends a cancelled task as failed, with its running step marked cancelled.
    expect(await waitForTaskEnd(server, taskId)).toMatch(
      /^(cancelled|failed)$/,
    );
    const steps = (await taskEvents(server, taskId)).filter(
      e => e.body.stepId === 'deploy' && e.body.status,
    );
    expect(steps.map(e => e.body.status)).toContain('cancelled');
    expect(steps.map(e => e.body.status)).not.toContain('completed');
    expect(
      (await taskEvents(server, taskId)).some(
        e => e.body.stepId === 'register' && e.body.status === 'processing',
      ),
    ).toBe(false);

    const mutationsAtCancel = mutationCount(awsClients);
    setClockSpeed(1);
    // CloudFormation finishes what it had started; had the action still been waiting, it would now go on with the
    // layers that depend on the network.
    await eventually(
      async () =>
        (
          await environmentStacks(awsClients, 'innovate-perf')
        ).every(s => !s.StackStatus?.endsWith('_IN_PROGRESS')),
      'the started stacks to finish',
    );
    // Twenty of the action's poll intervals: ample for a still-running wait to notice and act.
    await sleep(20 * 50);
    expect(mutationCount(awsClients)).toBe(mutationsAtCancel);
    const stacks = await environmentStacks(awsClients, 'innovate-perf');
    for (const stack of stacks) {
      expect([
        'innovate-perf-network',
        'innovate-perf-observability',
      ]).toContain(stack.StackName);
    }

    const events = await client.send(
      new DescribeStackEventsCommand({ StackName: 'innovate-perf-network' }),
    );
    expect(events.StackEvents?.[0].ResourceStatus).toBe('CREATE_COMPLETE');
  });
});
