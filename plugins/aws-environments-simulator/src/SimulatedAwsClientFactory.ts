import type {
  AwsAccountSummary,
  AwsMode,
} from '@internal/plugin-aws-environments-common';
import { NotImplementedError } from '@backstage/errors';
import { AccountAllowlist } from '@internal/plugin-aws-environments-node';
import { ClientCache } from '@internal/plugin-aws-environments-node';
import {
  clientRegionFor,
  PORTAL_USER_AGENT,
  serviceKeyOf,
} from '@internal/plugin-aws-environments-node';
import { DEFAULT_SIMULATED_ACCOUNTS } from '@internal/plugin-aws-environments-node';
import { attachSimulation } from './middleware';
import {
  SimulatedAwsOrganization,
  type SimulatedAwsOrganizationOptions,
} from './SimulatedAwsOrganization';
import type { SimulatedAwsEndpoint } from './shared';
import type {
  AwsClientConstructor,
  AwsClientFactory,
  AwsSdkClient,
  AwsTarget,
} from '@internal/plugin-aws-environments-node';

/** Fixed credentials: the simulation never signs anything, and nothing must reach STS. */
const SIMULATED_CREDENTIALS = {
  accessKeyId: 'ASIASIMULATEDACCESS0',
  secretAccessKey: 'simulated-secret-access-key',
  sessionToken: 'simulated-session-token',
};

/**
 * Simulated-mode AWS boundary: the real SDK client classes, with the allowlist of real mode, answered by one
 * simulated organization shared by every client: in this process, or in another one (`endpoint`, see
 * `SharedSimulatedAwsOrganization`).
 */
export class SimulatedAwsClientFactory implements AwsClientFactory {
  readonly mode: AwsMode = 'simulated';
  private readonly endpoint: SimulatedAwsEndpoint;
  private readonly local?: SimulatedAwsOrganization;
  private readonly allowlist: AccountAllowlist;
  private readonly clients = new ClientCache();

  constructor(
    options:
      | SimulatedAwsOrganizationOptions
      | { organization: SimulatedAwsOrganization }
      | { endpoint: SimulatedAwsEndpoint } = {},
  ) {
    if ('endpoint' in options) {
      this.endpoint = options.endpoint;
    } else {
      this.local =
        'organization' in options
          ? options.organization
          : new SimulatedAwsOrganization({
              accounts: DEFAULT_SIMULATED_ACCOUNTS,
              ...options,
            });
      this.endpoint = this.local;
    }
    this.allowlist = new AccountAllowlist(this.endpoint.accounts);
  }

  /** The organization in this process (tests, benchmarks); not available when the simulation is shared. */
  get organization(): SimulatedAwsOrganization {
    if (!this.local) {
      throw new NotImplementedError(
        'The simulated AWS organization runs in another process (awsEnvironments.simulation.sharedUrl); inspect it there',
      );
    }
    return this.local;
  }

  listAccounts(): AwsAccountSummary[] {
    return this.allowlist.list();
  }

  assertAllowed(target: AwsTarget): AwsAccountSummary {
    return this.allowlist.assertAllowed(target);
  }

  async getClient<C extends AwsSdkClient>(
    clientClass: AwsClientConstructor<C>,
    target: AwsTarget,
  ): Promise<C> {
    this.allowlist.assertAllowed(target);
    await this.endpoint.whenReady();
    const service = serviceKeyOf(clientClass);
    const region = clientRegionFor(service, target.region);
    return this.clients.get(clientClass, target.accountId, region, () => {
      const Client = clientClass;
      const client = new Client({
        region,
        credentials: SIMULATED_CREDENTIALS,
        customUserAgent: PORTAL_USER_AGENT,
        maxAttempts: 1,
      });
      attachSimulation(client, this.endpoint, {
        service,
        accountId: target.accountId,
        region,
      });
      return client;
    });
  }

  /** Requests the simulated organization answered, by service and command (benchmarks). */
  getRequestCounts(): Record<string, Record<string, number>> {
    return this.organization.getRequestCounts();
  }

  resetRequestCounts(): void {
    this.organization.resetRequestCounts();
  }
}
