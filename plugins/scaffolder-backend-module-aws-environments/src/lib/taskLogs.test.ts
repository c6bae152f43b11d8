import { readableTaskLogs, withoutStackFrames } from './taskLogs';

const refusal = [
  'NotAllowedError: Unauthorized action: innovate:environment:destroy. The action is not allowed.',
  '    at NunjucksWorkflowRunner.executeStep (/app/node_modules/@backstage/plugin-scaffolder-backend/dist/tasks/NunjucksWorkflowRunner.cjs.js:412:17)',
  '    at async /app/node_modules/@backstage/plugin-scaffolder-backend/dist/tasks/NunjucksWorkflowRunner.cjs.js:650:11',
  '',
].join('\n');

function logEvent(message: string) {
  return {
    id: 7,
    taskId: 'task-1',
    type: 'log',
    body: { message, stepId: 'destroy', status: 'failed' },
  };
}

describe('task logs a browser reads', () => {
  it('keep the sentence of an error and drop its stack frames', () => {
    expect(withoutStackFrames(refusal)).toBe(
      'NotAllowedError: Unauthorized action: innovate:environment:destroy. The action is not allowed.',
    );
  });

  it('leave ordinary log lines alone, indented ones included', () => {
    const message =
      'Settings of innovate-dev: 2 changed, 5 kept\n  Node count: 2 → 3\n  at most 4 nodes';
    expect(withoutStackFrames(message)).toBe(
      'Settings of innovate-dev: 2 changed, 5 kept\n  Node count: 2 → 3\n  at most 4 nodes',
    );
  });

  it('rewrite the events answer of GET /v2/tasks/:taskId/events', () => {
    let sent: any;
    const res = {
      write: jest.fn(),
      json(body: unknown) {
        sent = body;
      },
    };
    const next = jest.fn();
    readableTaskLogs(
      { method: 'GET', path: '/v2/tasks/task-1/events' },
      res,
      next,
    );
    res.json([
      logEvent(refusal),
      { type: 'completion', body: { message: 'Run failed' } },
    ]);
    expect(next).toHaveBeenCalled();
    expect(sent[0].body).toEqual({
      message:
        'NotAllowedError: Unauthorized action: innovate:environment:destroy. The action is not allowed.',
      stepId: 'destroy',
      status: 'failed',
    });
    expect(sent[1]).toEqual({
      type: 'completion',
      body: { message: 'Run failed' },
    });
  });

  it('rewrite the server-sent events of /v2/tasks/:taskId/eventstream', () => {
    const written: unknown[] = [];
    const res = {
      write(chunk: unknown) {
        written.push(chunk);
        return true;
      },
      json: jest.fn(),
    };
    readableTaskLogs(
      { method: 'GET', path: '/v2/tasks/task-1/eventstream' },
      res,
      () => {},
    );
    res.write(`event: log\ndata: ${JSON.stringify(logEvent(refusal))}\n\n`);
    const [chunk] = written as string[];
    expect(chunk.startsWith('event: log\ndata: ')).toBe(true);
    expect(chunk.endsWith('\n\n')).toBe(true);
    const event = JSON.parse(chunk.split('\n')[1].slice('data: '.length));
    expect(event.body.message).toBe(
      'NotAllowedError: Unauthorized action: innovate:environment:destroy. The action is not allowed.',
    );
  });

  it('do not touch other routes', () => {
    const json = jest.fn();
    const res = { write: jest.fn(), json };
    readableTaskLogs(
      { method: 'GET', path: '/v2/tasks/task-1' },
      res,
      () => {},
    );
    expect(res.json).toBe(json);
  });
});
