import {
  CloudFormationClient,
  paginateDescribeStacks,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import type {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import type { AwsClientFactory } from '@internal/plugin-aws-environments-node';
import {
  type DiscoveredEnvironment,
  accountEntity,
  environmentEntities,
  groupEnvironments,
} from './entities';

export const PROVIDER_NAME = 'aws-environments';

/**
 * Discovers environments from their CloudFormation stacks (tag `innovate:environment`) in every allowed account and
 * Region, and keeps the catalog's environment, part and account Resources in step with them.
 */
export class AwsEnvironmentEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private running?: Promise<void>;
  private again = false;

  constructor(
    private readonly options: {
      awsClients: AwsClientFactory;
      logger: LoggerService;
      /** Runs the scheduled refresh; without it, only `refresh()` calls (e.g. events) discover. */
      taskRunner?: SchedulerServiceTaskRunner;
    },
  ) {}

  getProviderName(): string {
    return PROVIDER_NAME;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.options.taskRunner?.run({
      id: `${PROVIDER_NAME}:refresh`,
      fn: () => this.refresh(),
    });
  }

  /**
   * Discovers now. Calls that arrive while a discovery runs are folded into one more run after it, so a burst of
   * events costs at most two discoveries.
   */
  async refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.discoverAndApply();
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async discoverAndApply(): Promise<void> {
    if (!this.connection) return;
    const { awsClients, logger } = this.options;
    const accounts = awsClients.listAccounts();
    const found: DiscoveredEnvironment[] = [];
    // Any account that cannot be read aborts the run: a full mutation without it would remove its environments.
    for (const account of accounts) {
      for (const region of account.regions) {
        const client = await awsClients.getClient(CloudFormationClient, {
          accountId: account.accountId,
          region,
        });
        const stacks: Stack[] = [];
        for await (const page of paginateDescribeStacks({ client }, {})) {
          stacks.push(...(page.Stacks ?? []));
        }
        found.push(...groupEnvironments(account.accountId, region, stacks));
      }
    }

    const entities: Entity[] = accounts.map(accountEntity);
    const seen = new Map<string, DiscoveredEnvironment>();
    for (const environment of found) {
      const first = seen.get(environment.name);
      if (first) {
        logger.warn(
          `Environment name ${environment.name} is used in ${first.accountId}/${first.region} and ${environment.accountId}/${environment.region}; only the first is in the catalog`,
        );
        continue;
      }
      seen.set(environment.name, environment);
      entities.push(...environmentEntities(environment));
    }
    await this.connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: PROVIDER_NAME,
      })),
    });
    logger.info(
      `Discovered ${seen.size} environment(s) in ${accounts.length} account(s)`,
    );
  }
}
