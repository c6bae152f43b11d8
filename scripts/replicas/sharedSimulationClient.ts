/**
 * Preloaded into a backend process (`node --require`) by the multi-replica test: every AWS call the process's
 * simulated organization would answer is answered by the shared organization of simulationServer.ts instead, so
 * that all replicas see one AWS, as they do in production. Does nothing unless INNOVATE_SHARED_SIMULATION_URL is set.
 */
import v8 from 'node:v8';
import {
  SimulatedAwsOrganization,
  type SimulatedRequest,
} from '@internal/plugin-aws-environments-node';
// The simulation's own error factory, so errors keep the SDK exception classes callers check with instanceof.
import { awsError } from '@internal/plugin-aws-environments-node/src/simulation/errors';

const sharedUrl = process.env.INNOVATE_SHARED_SIMULATION_URL;
const replica = process.env.INNOVATE_REPLICA_NAME ?? String(process.pid);

type Answer =
  | { output: Record<string, unknown> }
  | { error: { name: string; message: string; httpStatusCode: number } };

if (sharedUrl) {
  SimulatedAwsOrganization.prototype.handle = async function handleShared(
    request: SimulatedRequest,
  ): Promise<Record<string, unknown>> {
    const response = await fetch(`${sharedUrl}/handle`, {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        'x-replica': replica,
      },
      body: v8.serialize(request),
    });
    if (!response.ok) {
      throw awsError(
        request.service,
        'InternalFailure',
        `Shared simulation answered ${
          response.status
        }: ${await response.text()}`,
        500,
      );
    }
    const answer = v8.deserialize(
      Buffer.from(await response.arrayBuffer()),
    ) as Answer;
    if ('error' in answer) {
      throw awsError(
        request.service,
        answer.error.name,
        answer.error.message,
        answer.error.httpStatusCode,
      );
    }
    return answer.output;
  };
}
