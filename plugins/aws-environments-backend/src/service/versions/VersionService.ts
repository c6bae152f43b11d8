import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  AwsVersionsResponse,
  EksControlPlanePrices,
  RegionPricesResponse,
} from '@internal/plugin-aws-environments-common';
import {
  VERSION_SNAPSHOT_DATE,
  readAwsVersions,
  snapshotAwsVersions,
  snapshotEksPrices,
  versionsOn,
  type AwsClientFactory,
  type AwsTarget,
  type AwsVersions,
} from '@internal/plugin-aws-environments-node';
import { errorMessage, mapWithConcurrency } from '../concurrency';
import type { StoredVersions, VersionStore } from './VersionStore';

/** How often the versions are read again: AWS adds and retires versions a few times a year, with notice. */
export const VERSIONS_REFRESH_FREQUENCY = { hours: 24 } as const;
const REFRESH_MS = 24 * 60 * 60 * 1000;

/** An account and Region never read successfully is read on demand at most this often (per replica). */
export const ON_DEMAND_RETRY_MS = 5 * 60 * 1000;

export interface VersionsRefreshOutcome {
  targets: number;
  succeeded: number;
  failed: number;
}

/**
 * The Kubernetes and PostgreSQL versions AWS offers: read daily from EKS and RDS for every allowed account and
 * Region (and on demand for one never read), stored, and served with where they came from. Before the first
 * successful read of an account and Region, the dated snapshot answers (source `snapshot`).
 */
/** How long `versionsFor` reuses what it read: versions change daily, health runs every few minutes. */
const VERSIONS_FOR_REUSE_MS = 60_000;

const keyOf = (target: AwsTarget) => `${target.accountId}/${target.region}`;

export class VersionService {
  /** When an on-demand read of a target was last tried by this replica. */
  private readonly onDemandTries = new Map<string, number>();
  /** `versionsFor` per account and Region for a short while: a health run dates hundreds of environments at once. */
  private readonly recent = new Map<
    string,
    { until: number; versions: Promise<AwsVersions> }
  >();

  constructor(
    private readonly options: {
      factory: AwsClientFactory;
      store: VersionStore;
      logger: LoggerService;
      now?: () => Date;
      /** The Region's EKS control-plane prices (the Price List API's, when read); the shipped table otherwise. */
      eksPrices?: (region: string) => Promise<EksControlPlanePrices>;
      concurrency?: number;
    },
  ) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** Every account and Region the allowlist permits. */
  targets(): AwsTarget[] {
    return this.options.factory.listAccounts().flatMap(account =>
      account.regions.map(region => ({
        accountId: account.accountId,
        region,
      })),
    );
  }

  /** Reads every allowed account and Region; one that fails keeps its last versions and records the error. */
  async refresh(): Promise<VersionsRefreshOutcome> {
    const targets = this.targets();
    const results = await mapWithConcurrency(
      targets,
      this.options.concurrency ?? 4,
      target => this.refreshTarget(target),
    );
    const succeeded = results.filter(ok => ok).length;
    return {
      targets: targets.length,
      succeeded,
      failed: targets.length - succeeded,
    };
  }

  /** Reads one account and Region now; true when it succeeded. */
  async refreshTarget(target: AwsTarget): Promise<boolean> {
    const { factory, store, logger } = this.options;
    try {
      const read = await readAwsVersions(factory, target, { now: this.now() });
      await store.saveSuccess({
        ...target,
        versions: { kubernetes: read.kubernetes, databases: read.databases },
        source: read.source === 'aws' ? 'aws' : 'simulated',
        readAt: this.now(),
      });
      this.recent.delete(keyOf(target));
      return true;
    } catch (error) {
      const message = errorMessage(error);
      logger.warn(
        `Could not read the Kubernetes and PostgreSQL versions of account ${target.accountId} in ${target.region}: ${message}`,
      );
      await store.saveFailure({
        ...target,
        error: message,
        failedAt: this.now(),
      });
      return false;
    }
  }

  private async eksPricing(region: string): Promise<EksControlPlanePrices> {
    if (this.options.eksPrices) {
      try {
        return await this.options.eksPrices(region);
      } catch (error) {
        this.options.logger.warn(
          `Could not read the EKS prices of ${region}; using the shipped price table: ${errorMessage(
            error,
          )}`,
        );
      }
    }
    return snapshotEksPrices(
      region,
      this.options.factory.mode === 'simulated' ? 'simulated' : 'snapshot',
    );
  }

  /**
   * The versions of an allowed account and Region for `GET /aws-versions`: the last ones read, as they stand today,
   * else (never read) a read now, else the snapshot. Throws `NotAllowedError` for an account or Region not on the
   * allowlist, before any AWS call.
   */
  async getVersions(target: AwsTarget): Promise<AwsVersionsResponse> {
    this.options.factory.assertAllowed(target);
    let stored = await this.options.store.get(target.accountId, target.region);
    if (!stored?.versions && this.mayReadOnDemand(target)) {
      await this.refreshTarget(target);
      stored = await this.options.store.get(target.accountId, target.region);
    }
    const now = this.now();
    const eksPricing = await this.eksPricing(target.region);
    if (stored?.versions) {
      return {
        ...this.fromStore(target, stored, now),
        eksPricing,
        ...this.meta(stored, now),
      };
    }
    return {
      ...snapshotAwsVersions(target, { now, eksPricing }),
      stale: true,
      ...(stored?.lastError && {
        error: stored.lastError,
        errorAt: stored.lastErrorAt?.toISOString(),
      }),
    };
  }

  /**
   * The versions the health collector dates an environment's cluster and databases with: the last ones read, else
   * the snapshot. No AWS call, so that health does not wait for EKS and RDS.
   */
  async versionsFor(target: AwsTarget): Promise<AwsVersions> {
    const key = keyOf(target);
    const at = this.now().getTime();
    const hit = this.recent.get(key);
    if (hit && hit.until > at) {
      return hit.versions;
    }
    const versions = this.readVersionsFor(target);
    this.recent.set(key, { until: at + VERSIONS_FOR_REUSE_MS, versions });
    versions.catch(() => this.recent.delete(key));
    return versions;
  }

  private async readVersionsFor(target: AwsTarget): Promise<AwsVersions> {
    const now = this.now();
    const [stored, eksPricing] = await Promise.all([
      this.options.store.get(target.accountId, target.region),
      this.eksPricing(target.region),
    ]);
    if (stored?.versions) {
      return { ...this.fromStore(target, stored, now), eksPricing };
    }
    return snapshotAwsVersions(target, { now, eksPricing });
  }

  private fromStore(
    target: AwsTarget,
    stored: StoredVersions,
    now: Date,
  ): Omit<AwsVersions, 'eksPricing'> {
    const source = stored.source ?? 'aws';
    return {
      accountId: target.accountId,
      region: target.region,
      source,
      ...(source === 'simulated' && { snapshotDate: VERSION_SNAPSHOT_DATE }),
      ...versionsOn(
        {
          kubernetes: stored.versions!.kubernetes,
          databases: stored.versions!.databases,
        },
        now,
      ),
    };
  }

  private meta(stored: StoredVersions, now: Date) {
    const readAt = stored.readAt!;
    // Twice the cadence leaves room for one failed or late daily read before the data counts as stale.
    const stale =
      Boolean(stored.lastError) ||
      now.getTime() - readAt.getTime() > 2 * REFRESH_MS;
    return {
      collectedAt: readAt.toISOString(),
      stale,
      ...(stored.lastError && {
        error: stored.lastError,
        errorAt: stored.lastErrorAt?.toISOString(),
      }),
    };
  }

  private mayReadOnDemand(target: AwsTarget): boolean {
    const key = `${target.accountId}/${target.region}`;
    const now = this.now().getTime();
    const last = this.onDemandTries.get(key);
    if (last !== undefined && now - last < ON_DEMAND_RETRY_MS) {
      return false;
    }
    this.onDemandTries.set(key, now);
    return true;
  }
}

/** The EKS control-plane prices of a Region's list prices (`GET /prices/:region`). */
export function eksPricesFrom(
  response: RegionPricesResponse,
): EksControlPlanePrices {
  return {
    standardHourly: response.prices.eksClusterHourly,
    extendedHourly: response.prices.eksClusterExtendedHourly,
    source: response.source,
    asOf: response.asOf,
  };
}
