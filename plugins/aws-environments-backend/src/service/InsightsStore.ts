import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { StackDetail } from '@internal/plugin-aws-environments-common';
import type { Knex } from 'knex';
import { migratedClient, toDate, parseJson } from './database';
import type { InsightsSection } from './types';

const INSIGHTS_TABLE = 'aws_environment_insights';
const SECTION_REFRESHES_TABLE = 'aws_environment_section_refreshes';
const USER_REFRESHES_TABLE = 'aws_environment_user_refreshes';
/** The per-user budget of on-demand refreshes counts the refreshes of this rolling window. */
export const REFRESH_BUDGET_WINDOW_MS = 60 * 60 * 1000;
/** Key of the PostgreSQL advisory lock that serializes refresh claims across replicas (any two integers will do). */
const REFRESH_LOCK_KEY = [0x61777365, 0x72656672] as const;
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
   * Claims an on-demand refresh of the given sections of an environment for `principal`, atomically across replicas:
   * a section collected or claimed less than `minIntervalMs` ago is not due and is left out; when some section is
   * due, the refresh counts against the principal's budget of `perHour` per rolling hour and, within it, claims the
   * due sections. Over budget, nothing is claimed.
   */
  claimManualRefresh(request: RefreshClaimRequest): Promise<RefreshClaim>;
  /** What `claimManualRefresh` would answer now, without claiming anything. */
  getManualRefreshStatus(request: RefreshClaimRequest): Promise<RefreshClaim>;
}

export interface RefreshClaimRequest {
  entityRef: string;
  sections: InsightsSection[];
  /** Whose budget the refresh counts against: a user entity ref, or a service subject. */
  principal: string;
  now: Date;
  minIntervalMs: number;
  perHour: number;
}

/** A section that is not due: fresh (`recent`), or claimed by a refresh still running (`queued`). */
export interface SectionNotDue {
  section: InsightsSection;
  state: 'recent' | 'queued';
  collectedAt?: Date;
  /** Message of the collection that failed after the last success, when it did. */
  lastError?: string;
  nextRefreshAt: Date;
}

export interface RefreshClaim {
  /** The sections due; claimed unless `budget.exceeded`. */
  due: InsightsSection[];
  notDue: SectionNotDue[];
  /** When each of the sections asked about was last collected, when it was. */
  collectedAt: Partial<Record<InsightsSection, Date>>;
  budget: {
    /** True when some section was due but the principal has used up the budget; then nothing was claimed. */
    exceeded: boolean;
    /** Refreshes left in the rolling hour (after this one, when it claimed sections). */
    remaining: number;
    /** When the next refresh fits into the budget again, when none is left. */
    nextAt?: Date;
  };
}

export class DatabaseInsightsStore implements InsightsStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseInsightsStore> {
    return new DatabaseInsightsStore(await migratedClient(options.database));
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
      await this.db(SECTION_REFRESHES_TABLE)
        .whereIn('entity_ref', batch)
        .delete();
    }
    return gone.length;
  }

  async claimManualRefresh(
    request: RefreshClaimRequest,
  ): Promise<RefreshClaim> {
    return this.db.transaction(async tx => {
      if (this.db.client.dialect === 'postgresql') {
        // Row locks cannot cover rows that do not exist yet; the lock makes read-then-write safe across replicas.
        await tx.raw('SELECT pg_advisory_xact_lock(?, ?)', [
          ...REFRESH_LOCK_KEY,
        ]);
      }
      const windowStart = new Date(
        request.now.getTime() - REFRESH_BUDGET_WINDOW_MS,
      );
      await tx(USER_REFRESHES_TABLE)
        .where('requested_at', '<=', windowStart)
        .delete();
      const claim = await this.readClaim(tx, request);
      if (!claim.due.length || claim.budget.exceeded) {
        return claim;
      }
      await tx(USER_REFRESHES_TABLE).insert({
        principal: request.principal,
        entity_ref: request.entityRef,
        sections: claim.due.join(','),
        requested_at: request.now,
      });
      for (const section of claim.due) {
        await tx(SECTION_REFRESHES_TABLE)
          .insert({
            entity_ref: request.entityRef,
            section,
            requested_at: request.now,
          })
          .onConflict(['entity_ref', 'section'])
          .merge();
      }
      return {
        ...claim,
        budget: { ...claim.budget, remaining: claim.budget.remaining - 1 },
      };
    });
  }

  async getManualRefreshStatus(
    request: RefreshClaimRequest,
  ): Promise<RefreshClaim> {
    return this.readClaim(this.db, request);
  }

  private async readClaim(
    db: Knex | Knex.Transaction,
    request: RefreshClaimRequest,
  ): Promise<RefreshClaim> {
    const { entityRef, sections, principal, now, minIntervalMs, perHour } =
      request;
    const [claims, stored, used] = await Promise.all([
      db(SECTION_REFRESHES_TABLE)
        .where({ entity_ref: entityRef })
        .whereIn('section', sections)
        .select('section', 'requested_at'),
      db(INSIGHTS_TABLE)
        .where({ entity_ref: entityRef })
        .whereIn('section', sections)
        .select('section', 'collected_at', 'last_error', 'last_error_at'),
      db(USER_REFRESHES_TABLE)
        .where({ principal })
        .where(
          'requested_at',
          '>',
          new Date(now.getTime() - REFRESH_BUDGET_WINDOW_MS),
        )
        .orderBy('requested_at')
        .select('requested_at'),
    ]);
    const due: InsightsSection[] = [];
    const notDue: SectionNotDue[] = [];
    const collected: RefreshClaim['collectedAt'] = {};
    for (const section of sections) {
      const claimedAt = toDate(
        claims.find(c => c.section === section)?.requested_at,
      );
      const row = stored.find(r => r.section === section);
      const collectedAt = toDate(row?.collected_at);
      const failedAt = toDate(row?.last_error_at);
      if (collectedAt) {
        collected[section] = collectedAt;
      }
      const failedSince = failedAt && (!collectedAt || failedAt >= collectedAt);
      const recent = (at?: Date) =>
        at !== undefined && now.getTime() - at.getTime() < minIntervalMs;
      const claimedRecently = recent(claimedAt);
      // Data collected moments ago (by a refresh or by the schedule) is fresh, unless a collection failed since.
      const collectedRecently = recent(collectedAt) && !failedSince;
      if (!claimedRecently && !collectedRecently) {
        due.push(section);
        continue;
      }
      const finished =
        !claimedRecently ||
        (collectedAt !== undefined && collectedAt >= claimedAt!) ||
        (failedAt !== undefined && failedAt >= claimedAt!);
      const from = Math.max(
        claimedRecently ? claimedAt!.getTime() : 0,
        collectedRecently ? collectedAt!.getTime() : 0,
      );
      notDue.push({
        section,
        state: finished ? 'recent' : 'queued',
        collectedAt,
        lastError: failedSince ? row?.last_error ?? undefined : undefined,
        nextRefreshAt: new Date(from + minIntervalMs),
      });
    }
    const times = used
      .map(r => toDate(r.requested_at))
      .filter((d): d is Date => Boolean(d));
    const exceeded = times.length >= perHour;
    return {
      due,
      notDue,
      collectedAt: collected,
      budget: {
        exceeded: due.length > 0 && exceeded,
        remaining: Math.max(0, perHour - times.length),
        // The refresh that leaves the window first makes room for the next one.
        nextAt:
          times.length >= perHour && times.length > 0
            ? new Date(
                times[times.length - perHour].getTime() +
                  REFRESH_BUDGET_WINDOW_MS,
              )
            : undefined,
      },
    };
  }
}
