import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { durationToMilliseconds } from '@backstage/types';
import {
  ENVIRONMENT_LAYERS,
  EnvironmentCosts,
  EnvironmentFindings,
  EnvironmentHealth,
  EnvironmentListQuery,
  EnvironmentListResponse,
  EnvironmentOrderField,
  EnvironmentRefreshResponse,
  EnvironmentRefreshSection,
  EnvironmentStacks,
  EnvironmentSummary,
  FINDING_SEVERITIES,
  FindingSeverity,
  HealthVerdict,
  RefreshableSection,
  SectionMeta,
  StackDetail,
  VpcRange,
  selectEnvironmentPage,
  sortEnvironmentIndexes,
  stackNameFor,
} from '@internal/plugin-aws-environments-common';
import type { AwsClientFactory } from '@internal/plugin-aws-environments-node';
import type { InsightsConfig } from '../config';
import {
  CostsReport,
  StoredCosts,
  collectAccountCostSeries,
  collectEnvironmentCosts,
} from './collectors/costs';
import { FindingsReport, collectAccountFindings } from './collectors/findings';
import {
  HealthReport,
  VersionSource,
  collectHealthAndStacks,
  lifecycleSummary,
} from './collectors/health';
import { errorMessage, groupBy, mapWithConcurrency } from './concurrency';
import {
  EnvironmentDirectory,
  EnvironmentSnapshot,
  compareVersions,
  toEnvironmentTarget,
} from './EnvironmentDirectory';
import type { InsightsStore, StoredSection } from './InsightsStore';
import type { EnvironmentTarget, InsightsSection } from './types';

interface HealthSummary {
  verdict: HealthVerdict;
  reasons: string[];
  lifecycle?: EnvironmentSummary['lifecycle'];
}
interface CostsSummary {
  monthToDate: number;
  forecastMonthEnd?: number;
  budgetLimit?: number;
  currency: string;
}
interface FindingsSummary {
  critical: number;
  high: number;
}

/**
 * An unchanged overview is rebuilt at least this often anyway, so that data turns stale by age without a write.
 */
const OVERVIEW_REBUILD_MS = 10_000;
/** How long a torn-down environment stays hidden while the catalog still lists it (it normally drops it in seconds). */
const REMOVED_MEMORY_MS = 10 * 60_000;

/** Outcome of collecting one section of one environment. */
interface SectionOutcome {
  ok: boolean;
  error?: string;
  /** When the data was stored, when the collection succeeded. */
  collectedAt?: Date;
}

/** Outcome of one scheduled run, for logs and the benchmark. */
export interface RefreshOutcome {
  environments: number;
  succeeded: number;
  failed: number;
}

/** A data section with no data yet, served before the first collection. */
const EMPTY_HEALTH: HealthReport = {
  verdict: 'unknown',
  reasons: ['Not collected yet'],
  stacks: [],
  databases: [],
  alarms: [],
};
const EMPTY_FINDINGS: FindingsReport = {
  counts: Object.fromEntries(FINDING_SEVERITIES.map(s => [s, 0])) as Record<
    FindingSeverity,
    number
  >,
  byProduct: {},
  top: [],
};
/** Whether the catalog entity lists the stack of every layer of the reference architecture. */
const listsEveryLayer = (env: EnvironmentTarget) =>
  ENVIRONMENT_LAYERS.every(layer =>
    env.stacks.includes(stackNameFor(env.name, layer)),
  );

const summarizeCosts = (costs: CostsReport): CostsSummary => ({
  monthToDate: costs.monthToDate,
  forecastMonthEnd: costs.forecastMonthEnd,
  budgetLimit: costs.budget?.limit,
  currency: costs.currency,
});

const EMPTY_COSTS: CostsReport = {
  currency: 'USD',
  monthToDate: 0,
  lastMonth: 0,
  daily: [],
  topServices: [],
};

/**
 * Collects insights from AWS into the store on schedule, and serves them from the store. Each section of each
 * environment succeeds or fails on its own; a failure keeps the last good data and marks it stale.
 */
export class InsightsService {
  /** Environments whose first health collection was started by this process, so that it happens once. */
  private readonly firstCollections = new Set<string>();
  /**
   * Environments torn down by this process's portal, by name, with when: left out of the overview at once, until
   * the catalog has dropped them too (it is told by the same event) or an environment of that name is registered.
   */
  private readonly removed = new Map<string, number>();
  /**
   * Health collections started per environment: a collection that a later one overtook (e.g. the first one, begun
   * while the environment was still being created, and the one after its registration) does not overwrite it.
   */
  private readonly healthRuns = new Map<string, number>();
  private readonly cadences: Record<InsightsSection, number>;
  /** The last overview built from the store, reused while the store and the catalog snapshot are unchanged. */
  private overview?: {
    environments: EnvironmentTarget[];
    latestTemplateVersions: Map<string, string>;
    version: string;
    builtAt: number;
    items: EnvironmentSummary[];
    /** The items' positions in ascending order of a field, computed when a page is first sorted by it. */
    orders: Map<EnvironmentOrderField, number[]>;
  };

  constructor(
    private readonly options: {
      factory: AwsClientFactory;
      store: InsightsStore;
      directory: EnvironmentDirectory;
      catalog: CatalogService;
      logger: LoggerService;
      config: InsightsConfig;
      now?: () => Date;
      /** What AWS offers per account and Region, to date clusters and databases; no lifecycle when absent. */
      versions?: VersionSource;
      /**
       * How long to wait for a changed environment to reach the catalog: the change event is published when
       * provisioning ends, and the catalog's own discovery of the new environment runs at the same moment.
       */
      catalogWait?: { timeoutMs: number; intervalMs: number };
    },
  ) {
    const { schedule } = options.config;
    this.cadences = {
      health: durationToMilliseconds(schedule.health),
      // Stack details are collected by the health run.
      stacks: durationToMilliseconds(schedule.health),
      costs: durationToMilliseconds(schedule.costs),
      findings: durationToMilliseconds(schedule.findings),
    };
  }

  private now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }

  private async currentEnvironments(): Promise<EnvironmentTarget[]> {
    this.options.directory.invalidate();
    const { environments } = await this.options.directory.list();
    return environments;
  }

  private async record<T>(
    env: EnvironmentTarget,
    section: InsightsSection,
    collect: () => Promise<T>,
    summarize: (data: T) => unknown,
  ): Promise<SectionOutcome> {
    try {
      const data = await collect();
      const collectedAt = this.now();
      await this.options.store.saveSuccess({
        entityRef: env.entityRef,
        section,
        data,
        summary: summarize(data),
        collectedAt,
      });
      return { ok: true, collectedAt };
    } catch (error) {
      return this.recordFailure(env, section, error);
    }
  }

  private async recordFailure(
    env: EnvironmentTarget,
    section: InsightsSection,
    error: unknown,
    options: { quiet?: boolean } = {},
  ): Promise<{ ok: false; error: string }> {
    const message = errorMessage(error);
    if (!options.quiet) {
      this.options.logger.warn(
        `Could not collect ${section} of ${env.entityRef}: ${message}`,
      );
    }
    await this.options.store.saveFailure({
      entityRef: env.entityRef,
      section,
      error: message,
      failedAt: this.now(),
    });
    return { ok: false, error: message };
  }

  /**
   * Collects the health and the stack details of one environment. Unless `rereadStacks`, the resources and events
   * of stacks unchanged since the last run are kept rather than read from AWS again.
   */
  private async collectHealthOf(
    env: EnvironmentTarget,
    options: { rereadStacks?: boolean } = {},
  ): Promise<{ health: SectionOutcome; stacks: SectionOutcome }> {
    const run = (this.healthRuns.get(env.entityRef) ?? 0) + 1;
    this.healthRuns.set(env.entityRef, run);
    let collected;
    try {
      const previousStacks = options.rereadStacks
        ? undefined
        : (await this.options.store.getStacks(env.entityRef))?.data;
      collected = await collectHealthAndStacks(
        this.options.factory,
        env,
        this.now(),
        { previousStacks, versions: this.options.versions },
      );
    } catch (error) {
      return {
        health: await this.recordFailure(env, 'health', error),
        stacks: await this.recordFailure(env, 'stacks', error, {
          quiet: true,
        }),
      };
    }
    const { health, stacks } = collected;
    if (this.healthRuns.get(env.entityRef) !== run) {
      // A later collection of this environment is under way: its answer is the newer one.
      return { health: { ok: true }, stacks: { ok: true } };
    }
    return {
      health: await this.record<HealthReport>(
        env,
        'health',
        async () => health,
        ({ verdict, reasons, lifecycle }): HealthSummary => ({
          verdict,
          reasons,
          ...(lifecycle && { lifecycle: lifecycleSummary(lifecycle) }),
        }),
      ),
      stacks:
        'error' in stacks
          ? await this.recordFailure(env, 'stacks', stacks.error)
          : await this.saveStacks(env, stacks.details),
    };
  }

  private async saveStacks(
    env: EnvironmentTarget,
    stacks: StackDetail[],
  ): Promise<SectionOutcome> {
    try {
      const collectedAt = this.now();
      await this.options.store.saveStacks({
        entityRef: env.entityRef,
        stacks,
        collectedAt,
      });
      return { ok: true, collectedAt };
    } catch (error) {
      return this.recordFailure(env, 'stacks', error);
    }
  }

  /** Collects the health of every environment in the catalog, and forgets environments that left it. */
  async refreshHealth(): Promise<RefreshOutcome> {
    const environments = await this.currentEnvironments();
    await this.options.store.retainOnly(environments.map(e => e.entityRef));
    const results = await mapWithConcurrency(
      environments,
      this.options.config.concurrency,
      env => this.collectHealthOf(env),
    );
    return outcome(
      environments.length,
      results.map(r => r.health),
    );
  }

  /**
   * Collects costs per account, whatever the environment count: the whole 90 days when the account's last full read
   * is older than `fullRefreshInterval` (or never happened), otherwise only the recent days Cost Explorer may still
   * revise, merged into each environment's stored series.
   */
  async refreshCosts(): Promise<RefreshOutcome> {
    const environments = await this.currentEnvironments();
    const accounts = new Map(
      this.options.factory.listAccounts().map(a => [a.accountId, a]),
    );
    const { refreshWindowDays, fullRefreshIntervalMs } =
      this.options.config.costs;
    const results = await mapWithConcurrency(
      [...groupBy(environments, e => e.accountId).entries()],
      this.options.config.concurrency,
      async ([accountId, envs]) => {
        const region = accounts.get(accountId)?.defaultRegion ?? envs[0].region;
        const now = this.now();
        let reports: Map<string, CostsReport>;
        try {
          const lastFull = await this.options.store.getLastFullCostRefresh(
            accountId,
          );
          const fullDue =
            !lastFull ||
            now.getTime() - lastFull.getTime() >= fullRefreshIntervalMs;
          const previous = fullDue ? undefined : await this.storedCosts(envs);
          const collected = await collectAccountCostSeries(
            this.options.factory,
            { accountId, region },
            envs.map(e => e.name),
            now,
            { previous, refreshWindowDays },
          );
          reports = collected.reports;
          if (collected.fetch.mode === 'full') {
            await this.options.store.saveFullCostRefresh(accountId, now);
          }
          this.options.logger.debug(
            `Costs of account ${accountId}: ${collected.fetch.mode} read since ${collected.fetch.since} in ${collected.fetch.requests} Cost Explorer requests`,
          );
        } catch (error) {
          return Promise.all(
            envs.map(env => this.recordFailure(env, 'costs', error)),
          );
        }
        return Promise.all(
          envs.map(env =>
            this.record<CostsReport>(
              env,
              'costs',
              async () => reports.get(env.name) ?? EMPTY_COSTS,
              summarizeCosts,
            ),
          ),
        );
      },
    );
    return outcome(environments.length, results.flat());
  }

  /**
   * The costs of an environment just registered, read at once rather than at the next scheduled run: one Cost
   * Explorer query for it alone (today included), when nothing is stored for it yet. An environment with stored
   * costs keeps them until its schedule.
   */
  private async collectFirstCostsOf(
    env: EnvironmentTarget,
  ): Promise<SectionOutcome | undefined> {
    const stored = await this.options.store.get<CostsReport>(
      env.entityRef,
      'costs',
    );
    if (stored?.data?.daily?.length) {
      return undefined;
    }
    const account = this.options.factory
      .listAccounts()
      .find(a => a.accountId === env.accountId);
    let report: CostsReport;
    try {
      const collected = await collectEnvironmentCosts(
        this.options.factory,
        {
          accountId: env.accountId,
          region: account?.defaultRegion ?? env.region,
        },
        env.name,
        this.now(),
      );
      report = collected.report;
      this.options.logger.debug(
        `Costs of ${env.entityRef} on registration in ${collected.fetch.requests} Cost Explorer requests`,
      );
    } catch (error) {
      return this.recordFailure(env, 'costs', error);
    }
    return this.record<CostsReport>(
      env,
      'costs',
      async () => report,
      summarizeCosts,
    );
  }

  /** The stored daily cost series of the environments that have one. */
  private async storedCosts(
    envs: EnvironmentTarget[],
  ): Promise<Map<string, StoredCosts>> {
    const stored = new Map<string, StoredCosts>();
    for (const env of envs) {
      const costs = await this.options.store.get<CostsReport>(
        env.entityRef,
        'costs',
      );
      if (costs?.data?.daily?.length) {
        stored.set(env.name, costs.data);
      }
    }
    return stored;
  }

  private async collectFindingsOf(
    environments: EnvironmentTarget[],
  ): Promise<SectionOutcome[]> {
    const results = await mapWithConcurrency(
      [...groupBy(environments, e => `${e.accountId}/${e.region}`).values()],
      this.options.config.concurrency,
      async envs => {
        const { accountId, region } = envs[0];
        let reports: Map<string, FindingsReport>;
        try {
          reports = await collectAccountFindings(
            this.options.factory,
            { accountId, region },
            envs.map(e => e.name),
          );
        } catch (error) {
          return Promise.all(
            envs.map(env => this.recordFailure(env, 'findings', error)),
          );
        }
        return Promise.all(
          envs.map(env =>
            this.record<FindingsReport>(
              env,
              'findings',
              async () => reports.get(env.name) ?? EMPTY_FINDINGS,
              (findings): FindingsSummary => ({
                critical: findings.counts.CRITICAL,
                high: findings.counts.HIGH,
              }),
            ),
          ),
        );
      },
    );
    return results.flat();
  }

  /** Collects findings with a few paginated queries per account and Region. */
  async refreshFindings(): Promise<RefreshOutcome> {
    const environments = await this.currentEnvironments();
    return outcome(
      environments.length,
      await this.collectFindingsOf(environments),
    );
  }

  /**
   * Collects the given sections of one environment now: health with its stack details (all read again), and
   * findings. Costs are left to their schedule: Cost Explorer data changes a few times a day and every request is
   * paid.
   */
  async refreshEnvironment(
    env: EnvironmentTarget,
    sections: RefreshableSection[] = ['health', 'findings'],
  ): Promise<EnvironmentRefreshResponse> {
    const nextAt = (result: SectionOutcome) =>
      new Date(
        (result.collectedAt ?? this.now()).getTime() +
          this.options.config.manualRefreshIntervalMs,
      ).toISOString();
    const entry = (
      section: EnvironmentRefreshSection['section'],
      result: SectionOutcome,
    ): EnvironmentRefreshSection => ({
      section,
      ok: result.ok,
      ...(result.error !== undefined && { error: result.error }),
      state: 'refreshed',
      ...(result.collectedAt && {
        collectedAt: result.collectedAt.toISOString(),
      }),
      nextRefreshAt: nextAt(result),
    });
    const [health, findings] = await Promise.all([
      sections.includes('health')
        ? this.collectHealthOf(env, { rereadStacks: true })
        : undefined,
      sections.includes('findings')
        ? this.collectFindingsOf([env]).then(([result]) => result)
        : undefined,
    ]);
    return {
      entityRef: env.entityRef,
      sections: [
        ...(health
          ? [entry('health', health.health), entry('stacks', health.stacks)]
          : []),
        ...(findings ? [entry('findings', findings)] : []),
      ],
    };
  }

  /** How often the schedule collects the section, in milliseconds. */
  scheduleIntervalMs(section: InsightsSection): number {
    return this.cadenceMs(section);
  }

  /**
   * The VPC ranges of the environments in one account and Region, as their stacks reported them when last collected
   * (the `VpcCidr` output of the network stack); no AWS call. Environments with no stored range are left out.
   */
  async listVpcRanges(accountId: string, region: string): Promise<VpcRange[]> {
    const { environments } = await this.options.directory.list();
    const here = environments.filter(
      env => env.accountId === accountId && env.region === region,
    );
    const ranges = await mapWithConcurrency(
      here,
      this.options.config.concurrency,
      async env => {
        const stored = await this.options.store.getStacks(env.entityRef);
        const vpcCidr = vpcCidrOf(stored?.data ?? []);
        return vpcCidr
          ? { environment: env.name, entityRef: env.entityRef, vpcCidr }
          : undefined;
      },
    );
    return ranges.filter((r): r is VpcRange => r !== undefined);
  }

  /**
   * An environment was provisioned, updated or torn down through the portal: its health, stacks and findings are
   * collected at once (and its costs, when none are stored yet), so that every card and tab agrees as soon as the
   * task ends, instead of at the next scheduled run. A registered environment is waited for in the catalog; a
   * torn-down one leaves the overview at once and its stored data is dropped.
   */
  async onEnvironmentChanged(
    environment?: string,
    change: 'changed' | 'removed' = 'changed',
  ): Promise<void> {
    this.options.directory.invalidate();
    if (!environment) {
      return;
    }
    if (change === 'removed') {
      await this.forgetEnvironment(environment);
      return;
    }
    this.removed.delete(environment);
    const { timeoutMs, intervalMs } = this.options.catalogWait ?? {
      timeoutMs: 60_000,
      intervalMs: 2_000,
    };
    const deadline = Date.now() + timeoutMs;
    try {
      for (;;) {
        const { environments } = await this.options.directory.list();
        const env = environments.find(e => e.name === environment);
        const outOfTime = Date.now() + intervalMs > deadline;
        // The catalog may still hold the entity it discovered while the stacks were being created, without the
        // last ones: its stacks are waited for, so that the first health lists them all.
        if (env && (outOfTime || listsEveryLayer(env))) {
          this.firstCollections.add(env.entityRef);
          // Stacks read afresh: an earlier run may have seen the environment while it was still being created.
          await Promise.all([
            this.collectHealthOf(env, { rereadStacks: true }),
            this.collectFindingsOf([env]),
            this.collectFirstCostsOf(env),
          ]);
          return;
        }
        if (outOfTime) {
          this.options.logger.info(
            `${environment} changed but is not in the catalog; its insights follow with the next scheduled run`,
          );
          return;
        }
        await new Promise(resolve => setTimeout(resolve, intervalMs));
        this.options.directory.invalidate();
      }
    } catch (error) {
      this.options.logger.warn(
        `Could not refresh ${environment} after it changed: ${errorMessage(
          error,
        )}`,
      );
    }
  }

  private async forgetEnvironment(environment: string): Promise<void> {
    this.removed.set(environment, this.now().getTime());
    this.overview = undefined;
    try {
      const { environments } = await this.options.directory.list();
      await this.options.store.retainOnly(
        environments.filter(e => e.name !== environment).map(e => e.entityRef),
      );
    } catch (error) {
      this.options.logger.warn(
        `Could not drop the stored data of ${environment} after its teardown: ${errorMessage(
          error,
        )}`,
      );
    }
  }

  /** Whether the overview leaves the environment out because it was torn down and the catalog may still list it. */
  private isRemoved(env: EnvironmentTarget): boolean {
    const at = this.removed.get(env.name);
    if (at === undefined) return false;
    if (this.now().getTime() - at > REMOVED_MEMORY_MS) {
      this.removed.delete(env.name);
      return false;
    }
    return true;
  }

  /** The environment with the given ref, read with the caller's credentials; NotFoundError otherwise. */
  async findEnvironment(
    ref: { namespace: string; name: string },
    credentials: BackstageCredentials,
  ): Promise<EnvironmentTarget> {
    const entity = await this.options.catalog.getEntityByRef(
      { kind: 'resource', namespace: ref.namespace, name: ref.name },
      { credentials },
    );
    const env = entity && toEnvironmentTarget(entity);
    if (!env) {
      throw new NotFoundError(
        `No AWS environment resource:${ref.namespace}/${ref.name} in the catalog`,
      );
    }
    return env;
  }

  private cadenceMs(section: InsightsSection): number {
    return this.cadences[section];
  }

  private meta(
    section: InsightsSection,
    stored?: StoredSection | Omit<StoredSection, 'data'>,
  ): SectionMeta {
    if (!stored?.collectedAt) {
      return {
        stale: true,
        error: stored?.lastError,
        errorAt: stored?.lastErrorAt?.toISOString(),
      };
    }
    const age = this.now().getTime() - stored.collectedAt.getTime();
    // Twice the cadence leaves room for one slow or skipped run before the data counts as stale.
    return {
      collectedAt: stored.collectedAt.toISOString(),
      stale: Boolean(stored.lastError) || age > 2 * this.cadenceMs(section),
      error: stored.lastError,
      errorAt: stored.lastErrorAt?.toISOString(),
    };
  }

  async getHealth(env: EnvironmentTarget): Promise<EnvironmentHealth> {
    const stored = await this.options.store.get<HealthReport>(
      env.entityRef,
      'health',
    );
    return {
      ...(stored?.data ?? EMPTY_HEALTH),
      ...this.meta('health', stored),
    };
  }

  /** The stack details of the environment as last collected, with its account and template status. */
  async getStacks(env: EnvironmentTarget): Promise<EnvironmentStacks> {
    const [stored, snapshot] = await Promise.all([
      this.options.store.getStacks(env.entityRef),
      this.options.directory.list(),
    ]);
    return {
      accountId: env.accountId,
      accountName: this.options.factory
        .listAccounts()
        .find(a => a.accountId === env.accountId)?.name,
      region: env.region,
      template: templateStatus(env, snapshot.latestTemplateVersions),
      stacks: stored?.data ?? [],
      ...this.meta('stacks', stored),
    };
  }

  async getCosts(env: EnvironmentTarget): Promise<EnvironmentCosts> {
    const stored = await this.options.store.get<CostsReport>(
      env.entityRef,
      'costs',
    );
    return { ...(stored?.data ?? EMPTY_COSTS), ...this.meta('costs', stored) };
  }

  async getFindings(env: EnvironmentTarget): Promise<EnvironmentFindings> {
    const stored = await this.options.store.get<FindingsReport>(
      env.entityRef,
      'findings',
    );
    return {
      ...(stored?.data ?? EMPTY_FINDINGS),
      ...this.meta('findings', stored),
    };
  }

  /**
   * Every environment with its summary, served from the store. `findingsVisibility` decides, given all
   * environments, which ones' finding counts are included.
   */
  async listEnvironments(
    findingsVisibility: (
      environments: EnvironmentTarget[],
    ) => Promise<(env: EnvironmentTarget) => boolean>,
  ): Promise<EnvironmentSummary[]> {
    const { environments, overview } = await this.currentOverview();
    const canSeeFindings = await findingsVisibility(environments);
    const { items } = overview;
    return environments.flatMap((env, i) => {
      if (this.isRemoved(env)) return [];
      return [
        items[i].findings && !canSeeFindings(env)
          ? { ...items[i], findings: undefined }
          : items[i],
      ];
    });
  }

  /**
   * One page of the environments the query matches, with totals, summary counts and facets, served from the store.
   * `findingsVisibility` is asked only about the environments whose finding counts the answer needs: the page's,
   * or every matching one when the list is sorted by findings.
   */
  async listEnvironmentPage(
    query: EnvironmentListQuery,
    findingsVisibility: (
      environments: EnvironmentTarget[],
    ) => Promise<(env: EnvironmentTarget) => boolean>,
  ): Promise<Omit<EnvironmentListResponse, 'mode'>> {
    const { environments, overview } = await this.currentOverview();
    return selectEnvironmentPage(overview.items, query, {
      sortedBy: field => {
        let order = overview.orders.get(field);
        if (!order) {
          order = sortEnvironmentIndexes(overview.items, field);
          overview.orders.set(field, order);
        }
        return order;
      },
      exclude: index => this.isRemoved(environments[index]),
      findingsVisibility: async indexes => {
        const canSee = await findingsVisibility(
          indexes.map(index => environments[index]),
        );
        return index => canSee(environments[index]);
      },
    });
  }

  /** The overview of the current catalog snapshot, rebuilt from the store when either changed or it is old. */
  private async currentOverview(): Promise<{
    environments: EnvironmentTarget[];
    overview: NonNullable<InsightsService['overview']>;
  }> {
    const [snapshot, version] = await Promise.all([
      this.options.directory.list(),
      this.options.store.summariesVersion(),
    ]);
    const now = this.now().getTime();
    let overview = this.overview;
    if (
      !overview ||
      overview.environments !== snapshot.environments ||
      overview.latestTemplateVersions !== snapshot.latestTemplateVersions ||
      overview.version !== version ||
      now - overview.builtAt > OVERVIEW_REBUILD_MS
    ) {
      overview = {
        environments: snapshot.environments,
        latestTemplateVersions: snapshot.latestTemplateVersions,
        version,
        builtAt: now,
        items: await this.buildOverview(snapshot),
        orders: new Map(),
      };
      this.overview = overview;
    }
    if (this.removed.size) {
      const listed = new Set(snapshot.environments.map(env => env.name));
      for (const name of this.removed.keys()) {
        // The catalog has dropped it: nothing left to hide.
        if (!listed.has(name)) this.removed.delete(name);
      }
    }
    return { environments: overview.environments, overview };
  }

  /** The summaries of every environment, with every section; findings are filtered per caller afterwards. */
  private async buildOverview({
    environments,
    latestTemplateVersions,
  }: EnvironmentSnapshot): Promise<EnvironmentSummary[]> {
    const summaries = await this.options.store.listSummaries();
    const stored = new Map(
      summaries.map(s => [`${s.entityRef}|${s.section}`, s]),
    );
    const accountNames = new Map(
      this.options.factory.listAccounts().map(a => [a.accountId, a.name]),
    );
    // Before the first scheduled run has stored anything, that run collects everyone.
    const newcomers = environments.filter(
      env =>
        summaries.length > 0 &&
        !stored.has(`${env.entityRef}|health`) &&
        !this.firstCollections.has(env.entityRef),
    );
    this.collectFirstTime(newcomers);

    return environments.map(env => {
      const health = stored.get(`${env.entityRef}|health`);
      const costs = stored.get(`${env.entityRef}|costs`);
      const findings = stored.get(`${env.entityRef}|findings`);
      const healthSummary = health?.summary as HealthSummary | undefined;
      const costsSummary = costs?.summary as CostsSummary | undefined;
      const findingsSummary = findings?.summary as FindingsSummary | undefined;
      return {
        entityRef: env.entityRef,
        name: env.name,
        title: env.title,
        stage: env.stage,
        owner: env.owner,
        system: env.system,
        accountId: env.accountId,
        accountName: accountNames.get(env.accountId),
        region: env.region,
        template: templateStatus(env, latestTemplateVersions),
        health: {
          verdict: healthSummary?.verdict ?? 'unknown',
          reasons: healthSummary?.reasons ?? EMPTY_HEALTH.reasons,
          collectedAt: health?.collectedAt?.toISOString(),
          stale: this.meta('health', health).stale,
        },
        costs: costsSummary && {
          ...costsSummary,
          stale: this.meta('costs', costs).stale,
        },
        findings: findingsSummary && {
          ...findingsSummary,
          stale: this.meta('findings', findings).stale,
        },
        ...(healthSummary?.lifecycle && {
          lifecycle: healthSummary.lifecycle,
        }),
      };
    });
  }

  /** Environments that appeared in the catalog since the last scheduled run get their first health at once. */
  private collectFirstTime(environments: EnvironmentTarget[]): void {
    if (!environments.length) {
      return;
    }
    for (const env of environments) {
      this.firstCollections.add(env.entityRef);
    }
    void mapWithConcurrency(
      environments,
      this.options.config.concurrency,
      env => this.collectHealthOf(env),
    ).catch(error =>
      this.options.logger.warn(
        `First collection of new environments failed: ${errorMessage(error)}`,
      ),
    );
  }
}

/** The environment's template version and whether the catalog publishes a newer one. */
function templateStatus(
  env: EnvironmentTarget,
  latestTemplateVersions: Map<string, string>,
): EnvironmentSummary['template'] {
  if (!env.template) {
    return undefined;
  }
  const latestVersion = latestTemplateVersions.get(env.template.name);
  return {
    ...env.template,
    latestVersion,
    behind: Boolean(
      latestVersion && compareVersions(env.template.version, latestVersion) < 0,
    ),
  };
}

/** The `VpcCidr` output of the network stack, or of any stack when no network stack reports one. */
function vpcCidrOf(stacks: StackDetail[]): string | undefined {
  const output = (stack: StackDetail) =>
    stack.outputs?.find(o => o.key === 'VpcCidr')?.value?.trim() || undefined;
  const network = stacks.find(stack => stack.layer === 'network');
  return (network && output(network)) ?? stacks.map(output).find(Boolean);
}

function outcome(
  environments: number,
  results: Array<{ ok: boolean }>,
): RefreshOutcome {
  const succeeded = results.filter(r => r.ok).length;
  return { environments, succeeded, failed: results.length - succeeded };
}
