import {
  type RootLoggerService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
// Started beside the scaffolder, as in the portal's backend: it keeps the history the actions publish.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import insightsPlugin from '@internal/plugin-aws-environments-backend';
import type {
  EnvironmentHistoryEntry,
  EnvironmentHistoryResponse,
} from '@internal/plugin-aws-environments-common';
import { createSimulatedAwsClientFactory } from '@internal/plugin-aws-environments-simulator';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import {
  BLUEPRINT_DIR,
  REPO_ROOT,
  type PortalServer,
  eventually,
  newEnvironmentValues,
  startPortalBackend,
  submitTask,
  taskLog,
  waitForTaskEnd,
  waitForTemplate,
} from '../__testUtils__/scaffolderBackend';

jest.setTimeout(240_000);

/** Every line any plugin logs (the auditor's events among them), with its fields, as text. */
function capturingRootLogger(lines: string[]) {
  const serialize = (meta: Error | JsonObject | undefined) =>
    meta instanceof Error
      ? `${meta.name}: ${meta.message}\n${meta.stack ?? ''}`
      : JSON.stringify(meta ?? {});
  const make = (fields: JsonObject): RootLoggerService => {
    const log = (message: string, meta?: Error | JsonObject) => {
      lines.push(`${message} ${JSON.stringify(fields)} ${serialize(meta)}`);
    };
    return {
      error: log,
      warn: log,
      info: log,
      debug: log,
      child: meta => make({ ...fields, ...meta }),
    };
  };
  return createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => make({}),
  });
}

const USER = 'user:default/mock';
const NAME = 'audit-qa';
const FAILING = 'audit-broken';
const API_TOKEN = 'tok-7f3a9c2e51b84d06a1e9';

function templateVersion(folder: string): string {
  const template = parseYaml(
    fs.readFileSync(
      path.join(REPO_ROOT, 'templates', folder, 'template.yaml'),
      'utf8',
    ),
  );
  return template.metadata.annotations['aws.innovate.io/template-version'];
}

/**
 * The audit trail through the real backends: the scaffolder running the portal's templates with this module's
 * actions against the simulated organization, the catalog, and the insights backend that keeps each environment's
 * history and serves it to the environment's page.
 */
describe('Audit trail of the environment operations', () => {
  const awsClients = createSimulatedAwsClientFactory({
    blueprintDir: BLUEPRINT_DIR,
    seedEnvironments: false,
    timeScale: 0.002,
  });
  const lines: string[] = [];
  let server: PortalServer;
  let stop: () => Promise<void>;

  const history = async (name: string) => {
    const response = await request(server).get(
      `/api/aws-environments/environments/default/${name}/history?limit=50`,
    );
    expect(response.status).toBe(200);
    return response.body as EnvironmentHistoryResponse;
  };
  const entryOf = async (name: string, taskId: string, stepId: string) =>
    eventually(
      async () =>
        (await history(name)).items.find(
          i => i.task?.id === taskId && i.task.stepId === stepId,
        ),
      `the ${stepId} entry of task ${taskId}`,
    );
  const auditEvents = (eventId: string) =>
    lines.filter(
      l => l.includes('"isAuditEvent":true') && l.includes(`.${eventId} `),
    );

  beforeAll(async () => {
    const started = await startPortalBackend({
      awsClients,
      templates: [
        'aws-environment',
        'aws-environment-update',
        'aws-environment-teardown',
      ],
      catalogFiles: [
        path.join(REPO_ROOT, 'catalog/org.yaml'),
        path.join(REPO_ROOT, 'catalog/systems.yaml'),
        path.join(__dirname, 'fixtures/environment-extras.template.yaml'),
      ],
      awsEnvironments: {
        // No scheduled collection while the cases run.
        insights: { schedule: { initialDelay: { hours: 2 } } },
      },
      extraFeatures: [insightsPlugin, capturingRootLogger(lines)],
    });
    server = started.server;
    stop = () => started.backend.stop();
    await Promise.all(
      [
        'aws-environment',
        'aws-environment-update',
        'aws-environment-teardown',
        'environment-extras',
      ].map(name => waitForTemplate(server, name)),
    );
    await eventually(
      async () =>
        (
          await request(server).get(
            '/api/catalog/entities/by-name/group/default/web-team',
          )
        ).status === 200,
      'the organization in the catalog',
    );
  });

  afterAll(async () => {
    await stop?.();
  });

  it('records a create, an update and a teardown once each, with the user, the changes and the result', async () => {
    // Create.
    const createTask = await submitTask(
      server,
      'aws-environment',
      newEnvironmentValues(NAME, '10.60.0.0/16'),
    );
    expect(await waitForTaskEnd(server, createTask)).toBe('completed');
    const created = await entryOf(NAME, createTask, 'deploy');
    expect(created).toMatchObject({
      entityRef: `resource:default/${NAME}`,
      operation: 'create',
      actor: USER,
      result: 'succeeded',
      template: {
        entityRef: 'template:default/aws-environment',
        version: templateVersion('aws-environment'),
      },
      task: { id: createTask, url: `/create/tasks/${createTask}` },
    });
    expect(created.changes).toHaveLength(6);
    expect(created.changes.every(c => c.outcome === 'created')).toBe(true);
    expect(created.changes.every(c => c.add > 0 && c.remove === 0)).toBe(true);
    expect(created.message).toMatch(
      new RegExp(`^Created ${NAME}: 6 of 6 stack\\(s\\) changed`),
    );
    // Not a secret: kept as entered.
    expect(
      (created.inputs.environment as Record<string, unknown>).alertEmail,
    ).toBe('web-team@innovate.example');
    expect(await entryOf(NAME, createTask, 'register')).toMatchObject({
      operation: 'register',
      result: 'succeeded',
    });

    // Update: one change in the data stack.
    const updateTask = await submitTask(server, 'aws-environment-update', {
      environment: `resource:default/${NAME}`,
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
    expect(await waitForTaskEnd(server, updateTask)).toBe('completed');
    const updated = await entryOf(NAME, updateTask, 'deploy');
    expect(updated).toMatchObject({
      operation: 'update',
      actor: USER,
      result: 'succeeded',
      template: { entityRef: 'template:default/aws-environment-update' },
    });
    const changed = updated.changes.filter(c => c.outcome !== 'unchanged');
    expect(changed).toEqual([
      expect.objectContaining({
        stackName: `${NAME}-data`,
        outcome: 'updated',
        add: 0,
        modify: 1,
        remove: 0,
      }),
    ]);

    // Teardown: the environment leaves the catalog, its history stays.
    const teardownTask = await submitTask(server, 'aws-environment-teardown', {
      environment: `resource:default/${NAME}`,
      confirmName: NAME,
    });
    expect(await waitForTaskEnd(server, teardownTask)).toBe('completed');
    const tornDown = await entryOf(NAME, teardownTask, 'destroy');
    expect(tornDown).toMatchObject({
      operation: 'teardown',
      actor: USER,
      result: 'succeeded',
      message: `Tore down ${NAME}: 6 stack(s) deleted.`,
    });
    expect(tornDown.changes.map(c => c.outcome)).toEqual(
      Array(6).fill('deleted'),
    );

    // One entry per operation, newest first.
    const all = await history(NAME);
    const operations = all.items
      .filter(i => i.operation !== 'register')
      .map(i => i.operation);
    expect(operations).toEqual(['teardown', 'update', 'create']);
    expect(all.items[0].task?.id).toBe(teardownTask);

    // The auditor logged each operation when it started and when it succeeded, for the user.
    for (const eventId of [
      'aws-environment-create',
      'aws-environment-update',
      'aws-environment-teardown',
    ]) {
      const events = auditEvents(eventId);
      expect(events.some(l => l.includes('"status":"initiated"'))).toBe(true);
      expect(events.some(l => l.includes('"status":"succeeded"'))).toBe(true);
      expect(events.every(l => l.includes(`"actor":"${USER}"`))).toBe(true);
    }
  });

  it('records a failed deploy as failed, with the reason in a sentence', async () => {
    awsClients.organization.setFailResources([
      `${FAILING}-observability/AlarmTopic`,
    ]);
    try {
      const taskId = await submitTask(
        server,
        'aws-environment',
        newEnvironmentValues(FAILING, '10.61.0.0/16'),
      );
      expect(await waitForTaskEnd(server, taskId)).toBe('failed');
      const failed = await entryOf(FAILING, taskId, 'deploy');
      expect(failed).toMatchObject({
        operation: 'create',
        actor: USER,
        result: 'failed',
      });
      expect(failed.message).toContain(`${FAILING}-observability`);
      expect(failed.message).not.toMatch(/\n|\bat .+\.ts:\d+/);
      expect(
        auditEvents('aws-environment-create').some(
          l => l.includes('"status":"failed"') && l.includes(FAILING),
        ),
      ).toBe(true);
    } finally {
      awsClients.organization.setFailResources([]);
    }
  });

  it('keeps secret inputs out of the history and out of every log line', async () => {
    const response = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .send({
        templateRef: 'template:default/environment-extras',
        values: { name: NAME },
        secrets: { apiToken: API_TOKEN },
      });
    expect(response.status).toBe(201);
    const taskId: string = response.body.id;
    const status = await waitForTaskEnd(server, taskId);
    expect(`${status} ${(await taskLog(server, taskId)).slice(-3)}`).toMatch(
      /^completed/,
    );
    const entry: EnvironmentHistoryEntry = await entryOf(
      NAME,
      taskId,
      'extras',
    );
    expect(entry).toMatchObject({
      operation: 'stack-deploy',
      result: 'succeeded',
      changes: [
        expect.objectContaining({
          stackName: `${NAME}-extras`,
          outcome: 'created',
          add: 1,
        }),
      ],
    });
    expect(entry.inputs.parameters).toEqual({
      ApiToken: '****',
      Note: 'sent with ****',
    });
    expect(auditEvents('aws-environment-stack-deploy').length).toBe(2);

    const everything = JSON.stringify(await history(NAME)) + lines.join('\n');
    expect(everything).not.toContain(API_TOKEN);
  });
});
