import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  FALLBACK_PRICE_REGION,
  PRICE_TABLE,
  type RegionPricesResponse,
} from '@internal/plugin-aws-environments-common';
import {
  readRegionPrices,
  type AwsClientFactory,
} from '@internal/plugin-aws-environments-node';
import { errorMessage } from '../concurrency';
import type { PriceStore, StoredPrices } from './PriceStore';

/** How often list prices are read again: AWS changes them a few times a year, and announces it. */
export const PRICES_REFRESH_FREQUENCY = { hours: 24 } as const;

export interface PricesRefreshOutcome {
  regions: number;
  succeeded: number;
  failed: number;
  /** Regions the Price List API has no products for: their estimates use the fallback Region's prices. */
  notPriced: string[];
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * The list prices of the cost estimate: read daily from the AWS Price List API for every Region the allowlisted
 * accounts use (and the fallback Region), stored, and served per Region with where they came from.
 */
export class PriceService {
  constructor(
    private readonly options: {
      factory: AwsClientFactory;
      store: PriceStore;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** The Regions priced by `refresh`: those of the allowlisted accounts, and the fallback Region. */
  regionsToPrice(): string[] {
    const regions = new Set(
      this.options.factory.listAccounts().flatMap(account => account.regions),
    );
    regions.add(FALLBACK_PRICE_REGION);
    return [...regions].sort();
  }

  /**
   * Reads the prices of every Region to price, one Region after the other (the Price List API allows few requests
   * per second). A Region that fails keeps its last prices and records the error; the others are still read.
   */
  async refresh(): Promise<PricesRefreshOutcome> {
    const { factory, store, logger } = this.options;
    const regions = this.regionsToPrice();
    const outcome: PricesRefreshOutcome = {
      regions: regions.length,
      succeeded: 0,
      failed: 0,
      notPriced: [],
    };
    for (const region of regions) {
      try {
        const reading = await readRegionPrices(factory, {
          region,
          now: () => this.now(),
        });
        if (reading.pricedCount === 0) {
          outcome.notPriced.push(region);
          logger.info(
            `The AWS Price List has no prices for ${region}; cost estimates there use the prices of ${FALLBACK_PRICE_REGION}.`,
          );
          continue;
        }
        await store.saveSuccess({
          region,
          prices: reading.prices,
          missing: reading.missing,
          source: reading.source === 'aws' ? 'aws' : 'simulated',
          readAt: reading.readAt,
        });
        outcome.succeeded += 1;
        if (reading.missing.length) {
          logger.warn(
            `Read the list prices of ${region}, but the AWS Price List did not price ${reading.missing.join(
              ', ',
            )}; these keep the figures of the ${PRICE_TABLE.asOf} snapshot.`,
          );
        }
      } catch (error) {
        const message = errorMessage(error);
        outcome.failed += 1;
        logger.warn(`Could not read the list prices of ${region}: ${message}`);
        await store.saveFailure({
          region,
          error: message,
          failedAt: this.now(),
        });
      }
    }
    return outcome;
  }

  /**
   * The prices the cost estimate of an environment in `region` uses: the last ones read for it, else the
   * snapshot's for it, else (a Region neither read nor in the snapshot) the fallback Region's, read or snapshot.
   */
  async getRegionPrices(region: string): Promise<RegionPricesResponse> {
    const stored = await this.options.store.get(region);
    if (stored?.prices) {
      return this.fromStore(region, stored, false);
    }
    if (PRICE_TABLE.regions[region]) {
      return snapshotPrices(region, region);
    }
    const fallback = await this.options.store.get(FALLBACK_PRICE_REGION);
    if (fallback?.prices) {
      return this.fromStore(region, fallback, true);
    }
    return snapshotPrices(region, FALLBACK_PRICE_REGION);
  }

  private fromStore(
    region: string,
    stored: StoredPrices,
    fallback: boolean,
  ): RegionPricesResponse {
    return {
      region,
      pricedRegion: stored.region,
      fallback,
      source: stored.source ?? this.sourceOfMode(),
      asOf: stored.readAt ? isoDay(stored.readAt) : PRICE_TABLE.asOf,
      currency: 'USD',
      prices: stored.prices!,
      ...(stored.missing.length ? { snapshotFigures: stored.missing } : {}),
    };
  }

  private sourceOfMode() {
    return this.options.factory.mode === 'aws' ? 'aws' : 'simulated';
  }
}

/** The shipped snapshot's prices of `pricedRegion`, answered for `region`. */
export function snapshotPrices(
  region: string,
  pricedRegion: string,
): RegionPricesResponse {
  return {
    region,
    pricedRegion,
    fallback: region !== pricedRegion,
    source: 'snapshot',
    asOf: PRICE_TABLE.asOf,
    currency: PRICE_TABLE.currency,
    prices: PRICE_TABLE.regions[pricedRegion],
  };
}
