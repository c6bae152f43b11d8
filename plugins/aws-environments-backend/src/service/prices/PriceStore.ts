import type { DatabaseService } from '@backstage/backend-plugin-api';
import type {
  FactSource,
  RegionPrices,
} from '@internal/plugin-aws-environments-common';
import type { Knex } from 'knex';
import { migratedClient, toDate, parseJson } from '../database';

const PRICES_TABLE = 'aws_environment_prices';

/** The last prices read for one Region. */
export interface StoredPrices {
  region: string;
  /** Undefined until a read succeeded. */
  prices?: RegionPrices;
  /** Figures the API did not price in that read, which hold the snapshot's value. */
  missing: string[];
  source?: Exclude<FactSource, 'snapshot'>;
  readAt?: Date;
  /** Set when the last read failed; the previous prices are kept. */
  lastError?: string;
  lastErrorAt?: Date;
}

/** The list prices read from the AWS Price List API, per Region, shared by every replica. */
export interface PriceStore {
  saveSuccess(options: {
    region: string;
    prices: RegionPrices;
    missing: string[];
    source: Exclude<FactSource, 'snapshot'>;
    readAt: Date;
  }): Promise<void>;
  saveFailure(options: {
    region: string;
    error: string;
    failedAt: Date;
  }): Promise<void>;
  get(region: string): Promise<StoredPrices | undefined>;
}

export class DatabasePriceStore implements PriceStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabasePriceStore> {
    return new DatabasePriceStore(await migratedClient(options.database));
  }

  private constructor(private readonly db: Knex) {}

  async saveSuccess(options: {
    region: string;
    prices: RegionPrices;
    missing: string[];
    source: Exclude<FactSource, 'snapshot'>;
    readAt: Date;
  }): Promise<void> {
    await this.db(PRICES_TABLE)
      .insert({
        region: options.region,
        prices: JSON.stringify(options.prices),
        missing: JSON.stringify(options.missing),
        source: options.source,
        read_at: options.readAt,
        last_error: null,
        last_error_at: null,
      })
      .onConflict('region')
      .merge();
  }

  async saveFailure(options: {
    region: string;
    error: string;
    failedAt: Date;
  }): Promise<void> {
    await this.db(PRICES_TABLE)
      .insert({
        region: options.region,
        last_error: options.error,
        last_error_at: options.failedAt,
      })
      .onConflict('region')
      .merge(['last_error', 'last_error_at']);
  }

  async get(region: string): Promise<StoredPrices | undefined> {
    const row = await this.db(PRICES_TABLE).where({ region }).first();
    if (!row) {
      return undefined;
    }
    return {
      region: row.region,
      prices: parseJson(row.prices) as RegionPrices | undefined,
      missing: (parseJson(row.missing) as string[] | undefined) ?? [],
      source: row.source ?? undefined,
      readAt: toDate(row.read_at),
      lastError: row.last_error ?? undefined,
      lastErrorAt: toDate(row.last_error_at),
    };
  }
}
