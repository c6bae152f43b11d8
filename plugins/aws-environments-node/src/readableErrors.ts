import type { LoggerService } from '@backstage/backend-plugin-api';

/**
 * Runs a scaffolder action's handler so that what the task log shows of a failure is one line: the error's name and
 * its message. The scaffolder writes `error.stack` into the log a person reads; the stack, with the server's file
 * paths, goes to the server log instead.
 */
export async function withReadableErrors<T>(
  logger:
    | { error(message: string, meta?: Error | Record<string, unknown>): void }
    | undefined,
  what: { actionId: string; taskId?: string },
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof Error) {
      logger?.error(
        `${what.actionId} failed in task ${what.taskId ?? 'unknown'}: ${
          error.message
        }`,
        error,
      );
      const readable = `${error.name}: ${error.message}`;
      try {
        Object.defineProperty(error, 'stack', {
          value: readable,
          configurable: true,
          writable: true,
        });
      } catch {
        // A frozen error keeps its stack; it still carries the message.
      }
    }
    throw error;
  }
}

/** The smallest shape of a scaffolder template action this needs. */
interface ActionLike {
  id: string;
  handler(ctx: { task?: { id?: string } }): Promise<unknown>;
}

/** The action with {@link withReadableErrors} around its handler. */
export function withReadableFailures<T extends ActionLike>(
  action: T,
  logger: LoggerService,
): T {
  return {
    ...action,
    handler: (ctx: Parameters<T['handler']>[0]) =>
      withReadableErrors(
        logger,
        { actionId: action.id, taskId: ctx.task?.id },
        () => action.handler(ctx),
      ),
  };
}
