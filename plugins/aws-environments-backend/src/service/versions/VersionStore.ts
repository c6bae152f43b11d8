import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { FactSource } from '@internal/plugin-aws-environments-common';
import type { AwsVersions } from '@internal/plugin-aws-environments-node';
import type { Knex } from 'knex';
import { migratedClient, toDate } from '../database';

const VERSIONS_TABLE = 'aws_environment_versions';

/** What EKS and RDS offer in one account and Region, without the prices (they are read on their own). */
export type StoredVersionFacts = Pick<AwsVersions, 'kubernetes' | 'databases'>;

/** The last versions read for one account and Region. */
export interface StoredVersions {
  accountId: string;
  region: string;
  /** Undefined until a read succeeded. */
  versions?: StoredVersionFacts;
  source?: Exclude<FactSource, 'snapshot'>;
  readAt?: Date;
  /** Set when the last read failed; the previous versions are kept. */
  lastError?: string;
  lastErrorAt?: Date;
}

/** The versions read from EKS and RDS, per account and Region, shared by every replica. */
export interface VersionStore {
  saveSuccess(options: {
    accountId: string;
    region: string;
    versions: StoredVersionFacts;
    source: Exclude<FactSource, 'snapshot'>;
    readAt: Date;
  }): Promise<void>;
  saveFailure(options: {
    accountId: string;
    region: string;
    error: string;
    failedAt: Date;
  }): Promise<void>;
  get(accountId: string, region: string): Promise<StoredVersions | undefined>;
}

export class DatabaseVersionStore implements VersionStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseVersionStore> {
    return new DatabaseVersionStore(await migratedClient(options.database));
  }

  private constructor(private readonly db: Knex) {}

  async saveSuccess(options: {
    accountId: string;
    region: string;
    versions: StoredVersionFacts;
    source: Exclude<FactSource, 'snapshot'>;
    readAt: Date;
  }): Promise<void> {
    await this.db(VERSIONS_TABLE)
      .insert({
        account_id: options.accountId,
        region: options.region,
        versions: JSON.stringify({
          kubernetes: options.versions.kubernetes,
          databases: options.versions.databases,
        }),
        source: options.source,
        read_at: options.readAt,
        last_error: null,
        last_error_at: null,
      })
      .onConflict(['account_id', 'region'])
      .merge();
  }

  async saveFailure(options: {
    accountId: string;
    region: string;
    error: string;
    failedAt: Date;
  }): Promise<void> {
    await this.db(VERSIONS_TABLE)
      .insert({
        account_id: options.accountId,
        region: options.region,
        last_error: options.error,
        last_error_at: options.failedAt,
      })
      .onConflict(['account_id', 'region'])
      .merge(['last_error', 'last_error_at']);
  }

  async get(
    accountId: string,
    region: string,
  ): Promise<StoredVersions | undefined> {
    const row = await this.db(VERSIONS_TABLE)
      .where({ account_id: accountId, region })
      .first();
    if (!row) {
      return undefined;
    }
    return {
      accountId: row.account_id,
      region: row.region,
      versions:
        typeof row.versions === 'string'
          ? (JSON.parse(row.versions) as StoredVersionFacts)
          : undefined,
      source: row.source ?? undefined,
      readAt: toDate(row.read_at),
      lastError: row.last_error ?? undefined,
      lastErrorAt: toDate(row.last_error_at),
    };
  }
}
