import type { AwsSdkClient } from '@internal/plugin-aws-environments-node';
import type { SimulatedAwsEndpoint } from './shared';

export const SIMULATION_MIDDLEWARE_NAME = 'innovateSimulatedAwsOrganization';

/**
 * Answers every command of the client from the simulated organization. It sits at the very start of the
 * middleware stack, so serialization, signing, retries and the network are never reached, while everything above
 * the client (paginators, waiters, error handling) runs unchanged.
 */
export function attachSimulation(
  client: AwsSdkClient,
  organization: SimulatedAwsEndpoint,
  target: { service: string; accountId: string; region: string },
): void {
  client.middlewareStack.add(
    (_next: unknown, context: { commandName?: string }) =>
      async (args: { input: unknown }) => {
        const output = await organization.handle({
          ...target,
          commandName: context.commandName ?? 'UnknownCommand',
          input: args.input,
        });
        return {
          output: {
            ...output,
            $metadata: {
              httpStatusCode: 200,
              requestId: 'simulated',
              attempts: 1,
              totalRetryDelay: 0,
            },
          },
        };
      },
    {
      step: 'initialize',
      priority: 'high',
      name: SIMULATION_MIDDLEWARE_NAME,
      override: true,
    },
  );
}
