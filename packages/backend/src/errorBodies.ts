import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';

/** The part of Express's response this middleware touches. */
interface JsonResponse {
  statusCode: number;
  json(body?: unknown): unknown;
}

/** Removes `stack` from a serialized error and its causes. */
function withoutStack(error: unknown): unknown {
  if (!error || typeof error !== 'object' || Array.isArray(error)) {
    return error;
  }
  const { stack: _stack, cause, ...rest } = error as Record<string, unknown>;
  return cause === undefined ? rest : { ...rest, cause: withoutStack(cause) };
}

/**
 * Error bodies (`{ error, request, response }`, Backstage's `ErrorResponseBody`) leave the backend without stack
 * traces, whichever plugin or middleware wrote them: a person reads the message, the server log keeps the stack.
 * Backstage's error middleware adds stacks whenever NODE_ENV is `development`, which is how the embedded default runs.
 */
export function stripErrorStacks(
  _req: unknown,
  res: JsonResponse,
  next: () => void,
) {
  const json = res.json.bind(res);
  res.json = (body?: unknown) => {
    if (
      res.statusCode >= 400 &&
      body &&
      typeof body === 'object' &&
      'error' in body
    ) {
      const { error, ...rest } = body as Record<string, unknown>;
      return json({ error: withoutStack(error), ...rest });
    }
    return json(body);
  };
  next();
}

/** The root HTTP router with Backstage's defaults, behind {@link stripErrorStacks}. */
export const rootHttpRouterWithoutErrorStacks = rootHttpRouterServiceFactory({
  configure({ app, applyDefaults }) {
    app.use(stripErrorStacks);
    applyDefaults();
  },
});
