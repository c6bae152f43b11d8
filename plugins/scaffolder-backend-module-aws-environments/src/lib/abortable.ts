import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { TaskCancelledError } from './errors';

/**
 * The client as seen by one task: every command carries the task's abort signal, and once the task is cancelled
 * no further command is sent. SDK waiters sleep out their current delay after an abort and would otherwise send one
 * more poll; this stops that poll at the source.
 */
export function abortableClient(
  client: CloudFormationClient,
  signal: AbortSignal | undefined,
): CloudFormationClient {
  if (!signal) return client;
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'send') {
        return (command: any, options?: Record<string, unknown>) => {
          if (signal.aborted) {
            return Promise.reject(
              new TaskCancelledError('The task was cancelled'),
            );
          }
          return target.send(command, { ...options, abortSignal: signal });
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
}
