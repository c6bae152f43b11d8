import { ENVIRONMENTS_CHANGED_TOPIC } from '@internal/plugin-aws-environments-common';
import { createSimulatedAwsClientFactory } from '@internal/plugin-aws-environments-simulator';
import request from 'supertest';
import {
  BLUEPRINT_DIR,
  type PortalServer,
  environmentStacks,
  eventually,
  startPortalBackend,
  submitTask,
  taskEvents,
  taskLog,
  waitForTaskEnd,
  waitForTemplate,
} from '../__testUtils__/scaffolderBackend';

jest.setTimeout(120_000);

function parametersOf(
  stacks: Awaited<ReturnType<typeof environmentStacks>>,
): Record<string, Record<string, string>> {
  return Object.fromEntries(
    stacks.map(stack => [
      stack.StackName!,
      Object.fromEntries(
        (stack.Parameters ?? []).map(p => [
          p.ParameterKey!,
          p.ParameterValue ?? '',
        ]),
      ),
    ]),
  );
}

/**
 * The Update an AWS environment template run by the real scaffolder backend against the simulated organization's
 * seeded innovate-dev, with one field filled in and everything else left as the form leaves it.
 */
describe('Update an AWS environment through the scaffolder backend', () => {
  const awsClients = createSimulatedAwsClientFactory({
    blueprintDir: BLUEPRINT_DIR,
    timeScale: 0.002,
  });
  let server: PortalServer;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const started = await startPortalBackend({
      awsClients,
      templates: ['aws-environment-update'],
    });
    server = started.server;
    stop = () => started.backend.stop();
    await waitForTemplate(server, 'aws-environment-update');
    // The test backend does not run scheduled discovery on its own; the event makes the provider read the stacks.
    await started.events.publish({
      topic: ENVIRONMENTS_CHANGED_TOPIC,
      eventPayload: {},
    });
    await eventually(
      async () =>
        (
          await request(server).get(
            '/api/catalog/entities/by-name/resource/default/innovate-dev',
          )
        ).status === 200,
      'innovate-dev in the catalog',
    );
  });

  afterAll(async () => {
    await stop?.();
  });

  it('previews and applies a change to the data layer only, keeping every field left empty', async () => {
    const stacksBefore = await environmentStacks(awsClients, 'innovate-dev');
    const before = parametersOf(stacksBefore);
    expect(before['innovate-dev-data'].DatabaseInstanceClass).toBe(
      'db.t4g.medium',
    );

    // What the form sends when only the instance class is chosen: the "Keep current" choices are ''.
    const taskId = await submitTask(server, 'aws-environment-update', {
      environment: 'resource:default/innovate-dev',
      azCount: '',
      natGateways: '',
      nodeStrategy: '',
      frontendInstanceType: '',
      backendInstanceType: '',
      kubernetesVersion: '',
      databaseEngine: '',
      databaseInstanceClass: 'db.t4g.large',
      multiAz: '',
      readReplica: '',
      drCopyRegion: '',
      enableWaf: '',
      applyChanges: true,
    });
    const status = await waitForTaskEnd(server, taskId);
    const log = await taskLog(server, taskId);
    expect(`${status}\n${log.slice(-8).join('\n')}`).toMatch(/^completed/);

    expect(
      log.some(l =>
        l.endsWith(
          'innovate-dev: 0 stack(s) to create (0 resources), 1 to update (1 changes, 0 replacement(s)), 5 unchanged',
        ),
      ),
    ).toBe(true);
    expect(
      log.some(l =>
        /databaseInstanceClass +db\.t4g\.large \(changed from db\.t4g\.medium\)/.test(
          l,
        ),
      ),
    ).toBe(true);
    expect(log.some(l => /vpcCidr +10\.10\.0\.0\/16 \(kept\)/.test(l))).toBe(
      true,
    );
    expect(
      log.some(l => /Settings of innovate-dev: 1 changed, \d+ kept/.test(l)),
    ).toBe(true);
    // Resource changes of the preview's and the deploy step's change sets: one each, in the data stack; the other
    // five stacks have no change at all (same parameters, same tags), so they get no change set to report.
    const resourceChanges = log
      .map(l => /(innovate-dev-\w+): (\d+) resource change\(s\)$/.exec(l))
      .filter((m): m is RegExpExecArray => Boolean(m))
      .map(m => `${m[1]}: ${m[2]}`);
    expect(resourceChanges).toEqual([
      'innovate-dev-data: 1',
      'innovate-dev-data: 1',
    ]);

    const stacksAfter = await environmentStacks(awsClients, 'innovate-dev');
    // Only the data stack was updated at all: the others were not even touched with an empty update.
    const lastChange = (stacks: typeof stacksBefore) =>
      Object.fromEntries(
        stacks.map(stack => [
          stack.StackName!,
          (stack.LastUpdatedTime ?? stack.CreationTime)?.getTime(),
        ]),
      );
    const changedStacks = Object.entries(lastChange(stacksAfter))
      .filter(([name, at]) => lastChange(stacksBefore)[name] !== at)
      .map(([name]) => name);
    expect(changedStacks).toEqual(['innovate-dev-data']);
    const after = parametersOf(stacksAfter);
    expect(after).toEqual({
      ...before,
      'innovate-dev-data': {
        ...before['innovate-dev-data'],
        DatabaseInstanceClass: 'db.t4g.large',
      },
    });

    const completion = (await taskEvents(server, taskId)).find(
      e => e.type === 'completion',
    );
    expect(JSON.stringify(completion?.body)).toContain(
      'databaseInstanceClass: db.t4g.large **(changed from db.t4g.medium)**',
    );
  });

  it("passes the form's choices for numbers and switches to the actions typed, and previews without applying", async () => {
    const before = parametersOf(
      await environmentStacks(awsClients, 'innovate-dev'),
    );
    const taskId = await submitTask(server, 'aws-environment-update', {
      environment: 'resource:default/innovate-dev',
      azCount: '2',
      enableWaf: 'false',
      readReplica: '',
      backendNodes: { max: 6 },
      applyChanges: false,
    });
    expect(await waitForTaskEnd(server, taskId)).toBe('completed');
    const log = await taskLog(server, taskId);
    const row = (field: string) =>
      log.find(l => new RegExp(`: {3}${field.replace('.', '\\.')} `).test(l));
    expect(row('azCount')).toMatch(/ 2 \(as requested, unchanged\)$/);
    expect(row('enableWaf')).toMatch(/ false \(as requested, unchanged\)$/);
    expect(row('readReplica')).toMatch(/ false \(kept\)$/);
    expect(row('backendNodes.max')).toMatch(/ 6 \(changed from 4\)$/);
    expect(row('backendNodes.min')).toMatch(/ 1 \(kept\)$/);
    expect(
      log.some(l =>
        l.endsWith('1 to update (1 changes, 0 replacement(s)), 5 unchanged'),
      ),
    ).toBe(true);
    expect(
      parametersOf(await environmentStacks(awsClients, 'innovate-dev')),
    ).toEqual(before);
  });
});
