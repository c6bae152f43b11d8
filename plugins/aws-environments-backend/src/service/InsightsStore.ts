import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type { StackDetail } from '@internal/plugin-aws-environments-common';
import type { Knex } from 'knex';
import type { InsightsSection } from './types';

const INSIGHTS_TABLE = 'aws_environment_insights';
const REFRESH_TABLE = 'aws_environment_refresh_requests';
const STACKS_TABLE = 'aws_environment_stacks';
const COST_REFRESHES_TABLE = 'aws_environment_cost_refreshes';

/** One stored section of one environment. */
export interface StoredSection<T = unknown> {
  entityRef: string;
  section: InsightsSection;
  /** Undefined until a collection succeeded. */
  data?: T;
  collectedAt?: Date;
  /** Set when the last collection failed; the previous data is kept. */
  lastError?: string;
  lastErrorAt?: Date;
}

export type StoredSummary = Omit<StoredSection, 'data'> & { summary?: unknown };

/** The plugin's own tables: the last good data per environment and section, and failures since. */
export interface InsightsStore {
  saveSuccess(options: {
    entityRef: string;
    section: InsightsSection;
    data: unknown;
    summary: unknown;
    collectedAt: Date;
  }): Promise<void>;
  saveFailure(options: {
    entityRef: string;
    section: InsightsSection;
    error: string;
    failedAt: Date;
  }): Promise<void>;
  get<T>(
    entityRef: string,
    section: InsightsSection,
  ): Promise<StoredSection<T> | undefined>;
  /**
   * Replaces the environment's stack details (one row per stack) and marks its `stacks` section collected. A failure
   * is recorded with `saveFailure` like any section's.
   */
  saveStacks(options: {
    entityRef: string;
    stacks: StackDetail[];
    collectedAt: Date;
  }): Promise<void>;
  /** The environment's stack details in deployment order, with the `stacks` section's collection time and error. */
  getStacks(
    entityRef: string,
  ): Promise<StoredSection<StackDetail[]> | undefined>;
  /** When the whole cost history of the account was last read from Cost Explorer. */
  getLastFullCostRefresh(accountId: string): Promise<Date | undefined>;
  saveFullCostRefresh(accountId: string, at: Date): Promise<void>;
  /** The small summaries of every stored section, for the overview. */
  listSummaries(): Promise<StoredSummary[]>;
  /**
   * A value that changes whenever a summary is written or removed (by any replica), so that an overview built from
   * `listSummaries` can be reused until then.
   */
  summariesVersion(): Promise<string>;
  /** Removes the rows of environments no longer in the catalog. */
  retainOnly(entityRefs: string[]): Promise<number>;
  /**
   * Records an on-demand refresh of the environment unless one was recorded less than `minIntervalMs` ago;
   * in that case returns how long to wait.
   */
  claimManualRefresh(
    entityRef: string,
    now: Date,
    minIntervalMs: number,
  ): Promise<{ granted: true } | { granted: false; retryAfterMs: number }>;
}

function toDate(value: unknown): Date | undefined {
  if (value === null || value === undefined) {
    return undefined;
  }
  // SQLite returns epoch milliseconds or text, PostgreSQL a Date.
  const date =
    value instanceof Date ? value : new Date(value as string | number);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : undefined;
}

export class DatabaseInsightsStore implements InsightsStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseInsightsStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({
        directory: resolvePackagePath(
          '@internal/plugin-aws-environments-backend',
          'migrations',
        ),
      });
    }
    return new DatabaseInsightsStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async saveSuccess(options: {
    entityRef: string;
    section: InsightsSection;
    data: unknown;
    summary: unknown;
    collectedAt: Date;
  }): Promise<void> {
    await this.db(INSIGHTS_TABLE)
      .insert({
        entity_ref: options.entityRef,
        section: options.section,
        data: JSON.stringify(options.data),
        summary: JSON.stringify(options.summary),
        collected_at: options.collectedAt,
        last_error: null,
        last_error_at: null,
      })
      .onConflict(['entity_ref', 'section'])
      .merge();
  }

  async saveFailure(options: {
    entityRef: string;
    section: InsightsSection;
    error: string;
    failedAt: Date;
  }): Promise<void> {
    await this.db(INSIGHTS_TABLE)
      .insert({
        entity_ref: options.entityRef,
        section: options.section,
        last_error: options.error,
        last_error_at: options.failedAt,
      })
      .onConflict(['entity_ref', 'section'])
      .merge(['last_error', 'last_error_at']);
  }

  async get<T>(
    entityRef: string,
    section: InsightsSection,
  ): Promise<StoredSection<T> | undefined> {
    const row = await this.db(INSIGHTS_TABLE)
      .where({ entity_ref: entityRef, section })
      .first();
    if (!row) {
      return undefined;
    }
    return {
      entityRef: row.entity_ref,
      section: row.section,
      data: parseJson(row.data) as T | undefined,
      collectedAt: toDate(row.collected_at),
      lastError: row.last_error ?? undefined,
      lastErrorAt: toDate(row.last_error_at),
    };
  }

  async saveStacks(options: {
    entityRef: string;
    stacks: StackDetail[];
    collectedAt: Date;
  }): Promise<void> {
    const { entityRef, stacks, collectedAt } = options;
    await this.db.transaction(async tx => {
      await tx(STACKS_TABLE).where({ entity_ref: entityRef }).delete();
      if (stacks.length) {
        await tx(STACKS_TABLE).insert(
          stacks.map((stack, position) => ({
            entity_ref: entityRef,
            stack_name: stack.stackName,
            position,
            detail: JSON.stringify(stack),
            collected_at: collectedAt,
          })),
        );
      }
      await tx(INSIGHTS_TABLE)
        .insert({
          entity_ref: entityRef,
          section: 'stacks',
          data: null,
          summary: JSON.stringify({
            stacks: stacks.length,
            resources: stacks.reduce((n, s) => n + s.resources.length, 0),
          }),
          collected_at: collectedAt,
          last_error: null,
          last_error_at: null,
        })
        .onConflict(['entity_ref', 'section'])
        .merge();
    });
  }

  async getStacks(
    entityRef: string,
  ): Promise<StoredSection<StackDetail[]> | undefined> {
    const [meta, rows] = await Promise.all([
      this.get<never>(entityRef, 'stacks'),
      this.db(STACKS_TABLE)
        .where({ entity_ref: entityRef })
        .orderBy('position')
        .select('detail'),
    ]);
    if (!meta) {
      return undefined;
    }
    return {
      ...meta,
      data: meta.collectedAt
        ? rows.map(row => parseJson(row.detail) as StackDetail)
        : undefined,
    };
  }

  async getLastFullCostRefresh(accountId: string): Promise<Date | undefined> {
    const row = await this.db(COST_REFRESHES_TABLE)
      .where({ account_id: accountId })
      .first();
    return toDate(row?.full_refresh_at);
  }

  async saveFullCostRefresh(accountId: string, at: Date): Promise<void> {
    await this.db(COST_REFRESHES_TABLE)
      .insert({ account_id: accountId, full_refresh_at: at })
      .onConflict('account_id')
      .merge();
  }

  async listSummaries(): Promise<StoredSummary[]> {
    const rows = await this.db(INSIGHTS_TABLE).select(
      'entity_ref',
      'section',
      'summary',
      'collected_at',
      'last_error',
      'last_error_at',
    );
    return rows.map(row => ({
      entityRef: row.entity_ref,
      section: row.section,
      summary: parseJson(row.summary),
      collectedAt: toDate(row.collected_at),
      lastError: row.last_error ?? undefined,
      lastErrorAt: toDate(row.last_error_at),
    }));
  }

  async summariesVersion(): Promise<string> {
    const row = await this.db(INSIGHTS_TABLE)
      .count({ total: '*' })
      .max({ collected: 'collected_at' })
      .max({ failed: 'last_error_at' })
      .first();
    return [
      row?.total,
      toDate(row?.collected)?.getTime(),
      toDate(row?.failed)?.getTime(),
    ].join('|');
  }

  async retainOnly(entityRefs: string[]): Promise<number> {
    const keep = new Set(entityRefs);
    const stored: Array<{ entity_ref: string }> = await this.db(
      INSIGHTS_TABLE,
    ).distinct('entity_ref');
    const gone = stored.map(r => r.entity_ref).filter(ref => !keep.has(ref));
    for (let i = 0; i < gone.length; i += 500) {
      const batch = gone.slice(i, i + 500);
      await this.db(INSIGHTS_TABLE).whereIn('entity_ref', batch).delete();
      await this.db(STACKS_TABLE).whereIn('entity_ref', batch).delete();
      await this.db(REFRESH_TABLE).whereIn('entity_ref', batch).delete();
    }
    return gone.length;
  }

  async claimManualRefresh(
    entityRef: string,
    now: Date,
    minIntervalMs: number,
  ): Promise<{ granted: true } | { granted: false; retryAfterMs: number }> {
    return this.db.transaction(async tx => {
      const row = await tx(REFRESH_TABLE)
        .where({ entity_ref: entityRef })
        .first();
      const last = toDate(row?.requested_at);
      if (last) {
        const waited = now.getTime() - last.getTime();
        if (waited < minIntervalMs) {
          return {
            granted: false as const,
            retryAfterMs: minIntervalMs - waited,
          };
        }
      }
      await tx(REFRESH_TABLE)
        .insert({ entity_ref: entityRef, requested_at: now })
        .onConflict('entity_ref')
        .merge();
      return { granted: true as const };
    });
  }
}
