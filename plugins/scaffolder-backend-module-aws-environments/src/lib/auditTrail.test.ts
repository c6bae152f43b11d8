import { mockServices } from '@backstage/backend-test-utils';
import {
  ENVIRONMENT_HISTORY_TOPIC,
  type EnvironmentHistoryEntry,
} from '@internal/plugin-aws-environments-common';
import { noteStackChanges, redactInputs, withAuditTrail } from './auditTrail';
import { SecretRegistry } from './secrets';

function contextFor(input: Record<string, unknown>, extra: object = {}) {
  return {
    input,
    secrets: { apiToken: 'tok-0a1b2c3d4e5f' },
    task: { id: 'task-1' },
    step: { id: 'deploy' },
    user: { ref: 'user:default/aisha.khan' },
    templateInfo: {
      entityRef: 'template:default/aws-environment',
      entity: {
        metadata: {
          name: 'aws-environment',
          annotations: { 'aws.innovate.io/template-version': '9.9.9' },
        },
      },
    },
    output: jest.fn(),
    ...extra,
  };
}

function recorder() {
  const events = mockServices.events.mock();
  const auditor = mockServices.auditor.mock();
  const published = () =>
    events.publish.mock.calls.map(
      ([e]) => e.eventPayload as unknown as EnvironmentHistoryEntry,
    );
  return { events, auditor, published };
}

describe('redactInputs', () => {
  it('masks secret-looking keys and secret values anywhere, and keeps everything else', () => {
    const secrets = new SecretRegistry();
    secrets.add('hunter2-long-secret');
    expect(
      redactInputs(
        {
          environment: {
            name: 'innovate-qa',
            alertEmail: 'web-team@innovate.example',
            dbPassword: 'whatever',
          },
          apiToken: 'x-1234',
          signingKey: 'abcd',
          parameters: { Note: 'uses hunter2-long-secret today' },
          list: ['hunter2-long-secret'],
        },
        secrets,
      ),
    ).toEqual({
      environment: {
        name: 'innovate-qa',
        alertEmail: 'web-team@innovate.example',
        dbPassword: '****',
      },
      apiToken: '****',
      signingKey: '****',
      parameters: { Note: 'uses **** today' },
      list: ['****'],
    });
  });
});

describe('withAuditTrail', () => {
  const deployAction = (handler: (ctx: any) => Promise<void>) => ({
    id: 'innovate:environment:deploy',
    handler,
  });

  it('records a successful update with the user, template, task, changes and no secret', async () => {
    const { events, auditor, published } = recorder();
    const action = withAuditTrail(
      deployAction(async ctx => {
        noteStackChanges(ctx, [
          {
            stackName: 'innovate-qa-data',
            layer: 'data',
            outcome: 'updated',
            changes: [
              {
                action: 'Modify',
                logicalId: 'Database',
                resourceType: 'AWS::RDS::DBInstance',
                replacement: 'True',
              },
              {
                action: 'Add',
                logicalId: 'Alarm',
                resourceType: 'AWS::CloudWatch::Alarm',
              },
            ],
          },
        ]);
        ctx.output('consoleUrl', 'https://console.example/stacks');
      }),
      { auditor, events },
    );
    const ctx = contextFor({
      mode: 'update',
      environment: { name: 'innovate-qa', note: 'tok-0a1b2c3d4e5f' },
    });
    await action.handler(ctx);

    expect(ctx.output).toHaveBeenCalledWith(
      'consoleUrl',
      'https://console.example/stacks',
    );
    expect(events.publish).toHaveBeenCalledWith(
      expect.objectContaining({ topic: ENVIRONMENT_HISTORY_TOPIC }),
    );
    const [entry] = published();
    expect(entry).toMatchObject({
      id: 'task:task-1:deploy',
      entityRef: 'resource:default/innovate-qa',
      operation: 'update',
      actor: 'user:default/aisha.khan',
      template: {
        entityRef: 'template:default/aws-environment',
        version: '9.9.9',
      },
      task: { id: 'task-1', stepId: 'deploy', url: '/create/tasks/task-1' },
      result: 'succeeded',
      changes: [
        {
          stackName: 'innovate-qa-data',
          layer: 'data',
          outcome: 'updated',
          add: 1,
          modify: 1,
          remove: 0,
          replacements: 1,
        },
      ],
      message:
        'Updated innovate-qa: 1 of 1 stack(s) changed (1 added, 1 modified, 0 removed, 1 replacement(s)).',
    });
    expect(JSON.stringify(entry)).not.toContain('tok-0a1b2c3d4e5f');
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'aws-environment-update',
        severityLevel: 'medium',
      }),
    );
    const event = await auditor.createEvent.mock.results[0].value;
    expect(event.success).toHaveBeenCalled();
  });

  it('records a failure as one masked sentence and throws the original error', async () => {
    const { events, auditor, published } = recorder();
    const failure = new Error(
      'innovate-qa-data failed with token tok-0a1b2c3d4e5f\n    at deployStack (stackOperations.ts:10:1)',
    );
    const action = withAuditTrail(
      deployAction(async () => {
        throw failure;
      }),
      { auditor, events },
    );
    await expect(
      action.handler(
        contextFor({ mode: 'create', environment: { name: 'innovate-qa' } }),
      ),
    ).rejects.toBe(failure);
    const [entry] = published();
    expect(entry.result).toBe('failed');
    expect(entry.operation).toBe('create');
    expect(entry.message).toBe('innovate-qa-data failed with token ****.');
    const event = await auditor.createEvent.mock.results[0].value;
    expect(event.fail).toHaveBeenCalledWith(
      expect.objectContaining({
        error: expect.objectContaining({
          message: 'innovate-qa-data failed with token ****.',
        }),
      }),
    );
  });

  it('leaves dry runs and actions that change nothing unaudited', async () => {
    const { events, auditor } = recorder();
    const handler = jest.fn(async () => {});
    await withAuditTrail(deployAction(handler), { auditor, events }).handler(
      contextFor({ environment: { name: 'innovate-qa' } }, { isDryRun: true }),
    );
    const plan = { id: 'innovate:environment:plan', handler };
    expect(withAuditTrail(plan, { auditor, events })).toBe(plan);
    expect(handler).toHaveBeenCalledTimes(1);
    expect(auditor.createEvent).not.toHaveBeenCalled();
    expect(events.publish).not.toHaveBeenCalled();
  });
});
