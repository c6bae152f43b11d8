import type http from 'node:http';
import os from 'node:os';
import v8 from 'node:v8';
import { ServiceUnavailableError } from '@backstage/errors';
import type { AwsAccountSummary } from '@internal/plugin-aws-environments-common';
import { awsError } from './errors';
import type {
  SimulatedAwsOrganization,
  SimulatedRequest,
} from './SimulatedAwsOrganization';

/**
 * What an SDK client's simulation middleware needs from a simulated organization: the organization itself, or
 * one that lives in another process.
 */
export interface SimulatedAwsEndpoint {
  readonly accounts: AwsAccountSummary[];
  whenReady(): Promise<void>;
  handle(request: SimulatedRequest): Promise<Record<string, unknown>>;
}

type SharedAnswer =
  | { output: Record<string, unknown> }
  | { error: { name: string; message: string; httpStatusCode: number } };

const HANDLE_PATH = '/simulation/handle';
const HEALTH_PATH = '/simulation/health';

/**
 * Serves one simulated organization to other processes, so that several backends (replicas, or a test harness
 * and a backend) see one AWS, as they would in production. Bodies use Node's structured-clone serialization, so
 * dates and binary values arrive as they left. Returns false for requests it does not serve.
 *
 * The endpoint is unauthenticated and can change the simulated organization: listen on loopback only.
 */
export function createSharedSimulationHandler(
  organization: SimulatedAwsOrganization,
  options: {
    /** Called after the organization answered a request, with the caller's name (e.g. to record mutations). */
    onAnswered?(request: SimulatedRequest, caller: string | undefined): void;
  } = {},
): (
  request: http.IncomingMessage,
  response: http.ServerResponse,
) => Promise<boolean> {
  return async (request, response) => {
    if (request.method === 'GET' && request.url === HEALTH_PATH) {
      await organization.whenReady();
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ accounts: organization.accounts }));
      return true;
    }
    if (request.method !== 'POST' || request.url !== HANDLE_PATH) {
      return false;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const call = v8.deserialize(Buffer.concat(chunks)) as SimulatedRequest;
    let answer: SharedAnswer;
    try {
      answer = { output: await organization.handle(call) };
      options.onAnswered?.(
        call,
        request.headers['x-simulation-caller'] as string | undefined,
      );
    } catch (error) {
      const failure = error as Error & {
        $metadata?: { httpStatusCode?: number };
      };
      answer = {
        error: {
          name: failure.name,
          message: failure.message,
          httpStatusCode: failure.$metadata?.httpStatusCode ?? 400,
        },
      };
    }
    response.writeHead(200, { 'content-type': 'application/octet-stream' });
    response.end(v8.serialize(answer));
    return true;
  };
}

/**
 * A simulated organization served by another process (`createSharedSimulationHandler`), configured with
 * `awsEnvironments.simulation.sharedUrl`. AWS errors keep their SDK exception classes, so callers that check
 * `instanceof` or `name` behave as with the organization in process.
 */
export class SharedSimulatedAwsOrganization implements SimulatedAwsEndpoint {
  readonly accounts: AwsAccountSummary[];
  private readonly baseUrl: string;
  private readonly caller: string;
  private ready?: Promise<void>;

  constructor(options: {
    url: string;
    accounts: AwsAccountSummary[];
    /** Sent with every request, e.g. to tell replicas apart; default `<hostname>/<pid>`. */
    caller?: string;
  }) {
    this.baseUrl = options.url.replace(/\/+$/, '');
    this.accounts = options.accounts;
    this.caller = options.caller ?? `${os.hostname()}/${process.pid}`;
  }

  /** Resolves once the shared organization answers and knows every account this process allows. */
  whenReady(): Promise<void> {
    this.ready ??= this.checkShared().catch(error => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  private async checkShared(): Promise<void> {
    let body: { accounts: AwsAccountSummary[] };
    try {
      const response = await fetch(`${this.baseUrl}${HEALTH_PATH}`);
      if (!response.ok) {
        throw new Error(`it answered ${response.status}`);
      }
      body = (await response.json()) as typeof body;
    } catch (error) {
      throw new ServiceUnavailableError(
        `The shared simulated AWS organization at ${
          this.baseUrl
        } (awsEnvironments.simulation.sharedUrl) is not available: ${
          (error as Error).message
        }`,
      );
    }
    const shared = new Set(body.accounts.map(account => account.accountId));
    const missing = this.accounts.filter(a => !shared.has(a.accountId));
    if (missing.length > 0) {
      throw new ServiceUnavailableError(
        `The shared simulated AWS organization at ${
          this.baseUrl
        } has no account ${missing
          .map(a => a.accountId)
          .join(
            ', ',
          )}: run it with the same awsEnvironments.accounts as this backend`,
      );
    }
  }

  async handle(request: SimulatedRequest): Promise<Record<string, unknown>> {
    await this.whenReady();
    const response = await fetch(`${this.baseUrl}${HANDLE_PATH}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        'x-simulation-caller': this.caller,
      },
      body: v8.serialize(request),
    });
    if (!response.ok) {
      throw awsError(
        request.service,
        'InternalFailure',
        `The shared simulated AWS organization answered ${response.status}`,
        500,
      );
    }
    const answer = v8.deserialize(
      Buffer.from(await response.arrayBuffer()),
    ) as SharedAnswer;
    if ('error' in answer) {
      throw awsError(
        request.service,
        answer.error.name,
        answer.error.message,
        answer.error.httpStatusCode,
      );
    }
    return answer.output;
  }
}
