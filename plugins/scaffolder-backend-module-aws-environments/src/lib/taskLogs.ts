/**
 * What the task page shows of a failed step is the sentence, not a Node stack trace with the server's file paths.
 * The portal's own actions fail with one line already (`withReadableFailures`); steps refused by the permission
 * policy and Backstage's builtin actions are logged by the scaffolder itself with `error.stack`. The stack stays in
 * the task's stored log and the server log; the task event APIs a browser reads leave the frames out.
 */

/**
 * A stack frame line as V8 prints it: `    at fn (/path/file.js:1:2)`, `    at /path/file.js:1:2`,
 * `    at new Foo (<anonymous>)`; an indented log line that merely starts with "at" is kept.
 */
const STACK_FRAME =
  /^\s+at\s.*(?::\d+:\d+\)?|\(<anonymous>\)|\(native\)|<anonymous>)$/;

/** The message without its stack frame lines (and without the blank lines they leave at the end). */
export function withoutStackFrames(message: string): string {
  const kept = message.split('\n').filter(line => !STACK_FRAME.test(line));
  while (kept.length > 1 && kept[kept.length - 1].trim() === '') {
    kept.pop();
  }
  return kept.join('\n');
}

type TaskEvent = { body?: { message?: unknown } } & Record<string, unknown>;

function readableEvent(event: unknown): unknown {
  const candidate = event as TaskEvent;
  if (
    !candidate ||
    typeof candidate !== 'object' ||
    typeof candidate.body?.message !== 'string'
  ) {
    return event;
  }
  return {
    ...candidate,
    body: {
      ...candidate.body,
      message: withoutStackFrames(candidate.body.message),
    },
  };
}

/** One server-sent event as the scaffolder writes it: `event: <type>\ndata: <json>\n\n`. */
function readableServerSentEvents(chunk: string): string {
  return chunk.replace(/^data: (.*)$/gm, (line, json: string) => {
    try {
      return `data: ${JSON.stringify(readableEvent(JSON.parse(json)))}`;
    } catch {
      return line;
    }
  });
}

/** The part of Express's request and response this middleware touches. */
interface TaskLogRequest {
  method?: string;
  path: string;
}
interface TaskLogResponse {
  write(chunk: unknown, ...rest: unknown[]): boolean;
  json(body?: unknown): unknown;
}

/**
 * Middleware for the scaffolder's router: rewrites the task events (`GET /v2/tasks/:taskId/events` and the
 * server-sent `/v2/tasks/:taskId/eventstream`) so that log messages carry no stack frames.
 */
export function readableTaskLogs(
  req: TaskLogRequest,
  res: TaskLogResponse,
  next: () => void,
) {
  if (
    req.method === 'GET' &&
    /^\/v2\/tasks\/[^/]+\/eventstream$/.test(req.path)
  ) {
    const write = res.write.bind(res);
    res.write = (chunk: unknown, ...rest: unknown[]) =>
      typeof chunk === 'string'
        ? write(readableServerSentEvents(chunk), ...rest)
        : write(chunk, ...rest);
  } else if (
    req.method === 'GET' &&
    /^\/v2\/tasks\/[^/]+\/events$/.test(req.path)
  ) {
    const json = res.json.bind(res);
    res.json = (body?: unknown) =>
      json(Array.isArray(body) ? body.map(readableEvent) : body);
  }
  next();
}
