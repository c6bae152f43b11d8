/**
 * The paged list of environments (`GET /environments`): its query, its answer, and how one is derived from the
 * other. The backend serves it from its cached overview; the frontend's test fakes answer with the same function, so
 * that filtering, sorting, totals and facets mean the same everywhere.
 */
import type { AwsMode, EnvironmentSummary, HealthVerdict } from './api';

/** The most environments one page holds, and how many a page holds when the query does not say. */
export const ENVIRONMENT_LIST_MAX_LIMIT = 100;

/** What the list can be sorted by (`orderBy=<field>` or `orderBy=<field>,desc`). */
export const ENVIRONMENT_ORDER_FIELDS = [
  'name',
  'owner',
  'account',
  'health',
  'monthToDate',
  'forecast',
  'findings',
  'template',
] as const;
export type EnvironmentOrderField = (typeof ENVIRONMENT_ORDER_FIELDS)[number];

/**
 * The dimensions the list filters by and counts (facets): each filter keeps the environments whose value is one of
 * those given. `behind` is `true` for an environment whose template has a newer version, `false` for an up-to-date
 * one; `lifecycle` is the worst support phase of its versions.
 */
export const ENVIRONMENT_FACETS = [
  'owner',
  'health',
  'stage',
  'accountId',
  'region',
  'lifecycle',
  'behind',
] as const;
export type EnvironmentFacet = (typeof ENVIRONMENT_FACETS)[number];

export type EnvironmentListFilter = Partial<Record<EnvironmentFacet, string[]>>;

/** The query of `GET /environments`. */
export interface EnvironmentListQuery extends EnvironmentListFilter {
  /** Only this environment (for a form that needs one environment's account and Region). */
  entityRef?: string;
  /** Environments whose name or title contains this text, in any case. */
  q?: string;
  /** Page size, 1 to `ENVIRONMENT_LIST_MAX_LIMIT` (the default). */
  limit?: number;
  /** How many matching environments come before the page. */
  offset?: number;
  orderBy?: { field: EnvironmentOrderField; order?: 'asc' | 'desc' };
}

/** One value of a facet with the number of environments that have it. */
export interface EnvironmentFacetCount {
  value: string;
  count: number;
  /** What to show instead of the value, where the value is an id (account names). */
  label?: string;
}

/** Counts over every environment that matches the query, whatever the page. */
export interface EnvironmentListSummaryCounts {
  health: Record<HealthVerdict, number>;
  /** Environments whose template has a newer version. */
  behindTemplate: number;
  /** Environments whose forecast exceeds their budget. */
  overBudget: number;
  /** Environments running a version in extended support or no longer supported. */
  lifecycleAttention: number;
}

/** The answer of `GET /environments`: one page of the matching environments, with totals and facets. */
export interface EnvironmentListResponse {
  mode: AwsMode;
  items: EnvironmentSummary[];
  /** Environments that match the query, over every page. */
  totalItems: number;
  offset: number;
  limit: number;
  summary: EnvironmentListSummaryCounts;
  /**
   * The values of each dimension, counted over the environments that match every other filter of the query and the
   * search text (so that a filter's options still offer the values it does not keep); sorted by value.
   */
  facets: Record<EnvironmentFacet, EnvironmentFacetCount[]>;
}

const VERDICT_RANK: Record<HealthVerdict, number> = {
  down: 0,
  degraded: 1,
  unknown: 2,
  healthy: 3,
};

const PHASE_RANK: Record<string, number> = {
  unsupported: 0,
  extended: 1,
  unknown: 2,
  standard: 3,
};

/** Most urgent first: unsupported, then extended support, then by the days left. */
function lifecycleWeight(item: EnvironmentSummary): number {
  if (!item.lifecycle) {
    return Number.MAX_SAFE_INTEGER;
  }
  return (
    (PHASE_RANK[item.lifecycle.worst] ?? 2) * 1_000_000 +
    Math.min(item.lifecycle.daysLeft ?? 999_999, 999_999)
  );
}

function forecastRatio(item: EnvironmentSummary): number {
  const { forecastMonthEnd, budgetLimit } = item.costs ?? {};
  if (forecastMonthEnd === undefined || !budgetLimit) {
    return -1;
  }
  return forecastMonthEnd / budgetLimit;
}

/** Critical findings first, then high ones; environments whose findings are not shown count least. */
function findingsWeight(item: EnvironmentSummary): number {
  return item.findings
    ? item.findings.critical * 10_000 + item.findings.high
    : -1;
}

const displayName = (item: EnvironmentSummary) =>
  (item.title ?? item.name).toLocaleLowerCase('en-US');

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** The text each text field sorts by, in lower case. */
const TEXT_KEYS: Partial<
  Record<EnvironmentOrderField, (item: EnvironmentSummary) => string>
> = {
  name: displayName,
  owner: item => (item.owner ?? '').toLocaleLowerCase('en-US'),
  account: item =>
    (item.accountName ?? item.accountId).toLocaleLowerCase('en-US'),
};

/** Ascending order of the other fields. */
const COMPARATORS: Partial<
  Record<
    EnvironmentOrderField,
    (a: EnvironmentSummary, b: EnvironmentSummary) => number
  >
> = {
  // The least healthy first and, among equally healthy ones, the versions that need attention.
  health: (a, b) =>
    VERDICT_RANK[a.health.verdict] - VERDICT_RANK[b.health.verdict] ||
    lifecycleWeight(a) - lifecycleWeight(b),
  monthToDate: (a, b) =>
    (a.costs?.monthToDate ?? -1) - (b.costs?.monthToDate ?? -1),
  forecast: (a, b) => forecastRatio(a) - forecastRatio(b),
  findings: (a, b) => findingsWeight(a) - findingsWeight(b),
  template: (a, b) =>
    Number(a.template?.behind ?? false) - Number(b.template?.behind ?? false) ||
    compareText(a.template?.version ?? '', b.template?.version ?? ''),
};

/** The positions of `items` in ascending order of `field`; ties in name order. */
export function sortEnvironmentIndexes(
  items: readonly EnvironmentSummary[],
  field: EnvironmentOrderField,
): number[] {
  // Keys computed once per item rather than once per comparison.
  const names = items.map(displayName);
  const textKey = TEXT_KEYS[field];
  const keys = textKey ? items.map(textKey) : undefined;
  const byField = COMPARATORS[field];
  const compare = (a: number, b: number) =>
    keys ? compareText(keys[a], keys[b]) : byField?.(items[a], items[b]) ?? 0;
  return items
    .map((_, index) => index)
    .sort((a, b) => compare(a, b) || compareText(names[a], names[b]) || a - b);
}

/** The value of an environment in each dimension, as filters and facets see it. */
const FACET_VALUES: Record<
  EnvironmentFacet,
  (item: EnvironmentSummary) => string | undefined
> = {
  owner: item => item.owner,
  health: item => item.health.verdict,
  stage: item => item.stage,
  accountId: item => item.accountId,
  region: item => item.region,
  lifecycle: item => item.lifecycle?.worst,
  behind: item => (item.template ? String(item.template.behind) : undefined),
};

export interface EnvironmentListOptions {
  /**
   * The positions of `items` in ascending order of a field, as `sortEnvironmentIndexes` computes them; a caller that
   * serves many pages of the same items passes a cached one.
   */
  sortedBy?: (field: EnvironmentOrderField) => readonly number[];
  /** Positions left out of the list altogether (e.g. environments being torn down). */
  exclude?: (index: number) => boolean;
  /**
   * Which of the given positions' finding counts the caller may see. It is asked only about the page's environments,
   * or, when the list is sorted by findings, about every matching one. Without it every count is shown.
   */
  findingsVisibility?: (
    indexes: number[],
  ) => Promise<(index: number) => boolean>;
}

/** The page of `items` the query asks for, with its totals, summary counts and facets (without `mode`). */
export async function selectEnvironmentPage(
  items: readonly EnvironmentSummary[],
  query: EnvironmentListQuery,
  options: EnvironmentListOptions = {},
): Promise<Omit<EnvironmentListResponse, 'mode'>> {
  const limit = Math.min(
    Math.max(1, query.limit ?? ENVIRONMENT_LIST_MAX_LIMIT),
    ENVIRONMENT_LIST_MAX_LIMIT,
  );
  const offset = Math.max(0, query.offset ?? 0);
  const wantedRef = query.entityRef?.toLocaleLowerCase('en-US');
  const text = query.q?.trim().toLocaleLowerCase('en-US');
  const filters = ENVIRONMENT_FACETS.flatMap(facet => {
    const values = query[facet];
    return values?.length
      ? [
          {
            facet,
            values: new Set(values.map(v => v.toLocaleLowerCase('en-US'))),
          },
        ]
      : [];
  });

  const facetCounts = Object.fromEntries(
    ENVIRONMENT_FACETS.map(facet => [facet, new Map<string, number>()]),
  ) as Record<EnvironmentFacet, Map<string, number>>;
  const count = (facet: EnvironmentFacet, item: EnvironmentSummary) => {
    const value = FACET_VALUES[facet](item);
    if (value !== undefined) {
      facetCounts[facet].set(value, (facetCounts[facet].get(value) ?? 0) + 1);
    }
  };

  const order = query.orderBy?.field ?? 'name';
  const ascending = options.sortedBy
    ? options.sortedBy(order)
    : sortEnvironmentIndexes(items, order);
  const matching: number[] = [];
  for (const index of ascending) {
    if (options.exclude?.(index)) continue;
    const item = items[index];
    if (wantedRef && item.entityRef.toLocaleLowerCase('en-US') !== wantedRef) {
      continue;
    }
    if (
      text &&
      !item.name.toLocaleLowerCase('en-US').includes(text) &&
      !item.title?.toLocaleLowerCase('en-US').includes(text)
    ) {
      continue;
    }
    // A facet counts the environments that every other filter keeps: with one filter failing, only its own facet.
    let failed: EnvironmentFacet | undefined;
    let failures = 0;
    for (const { facet, values } of filters) {
      const value = FACET_VALUES[facet](item)?.toLocaleLowerCase('en-US');
      if (value === undefined || !values.has(value)) {
        failed = facet;
        if (++failures > 1) break;
      }
    }
    if (failures === 0) {
      for (const facet of ENVIRONMENT_FACETS) count(facet, item);
      matching.push(index);
    } else if (failures === 1) {
      count(failed!, item);
    }
  }

  const summary: EnvironmentListSummaryCounts = {
    health: { down: 0, degraded: 0, unknown: 0, healthy: 0 },
    behindTemplate: 0,
    overBudget: 0,
    lifecycleAttention: 0,
  };
  for (const index of matching) {
    const item = items[index];
    summary.health[item.health.verdict] += 1;
    if (item.template?.behind) summary.behindTemplate += 1;
    if (forecastRatio(item) > 1) summary.overBudget += 1;
    if (
      item.lifecycle?.worst === 'extended' ||
      item.lifecycle?.worst === 'unsupported'
    ) {
      summary.lifecycleAttention += 1;
    }
  }

  let visible: (index: number) => boolean = () => true;
  let ordered = matching;
  if (order === 'findings' && options.findingsVisibility) {
    // The order depends on which counts the caller sees: decide for every matching environment, then sort.
    visible = await options.findingsVisibility(matching);
    const weight = (index: number) =>
      visible(index) ? findingsWeight(items[index]) : -1;
    ordered = [...matching].sort((a, b) => weight(a) - weight(b));
  }
  if (query.orderBy?.order === 'desc') {
    ordered =
      ordered === matching ? [...matching].reverse() : ordered.reverse();
  }
  const page = ordered.slice(offset, offset + limit);
  if (order !== 'findings' && options.findingsVisibility) {
    visible = await options.findingsVisibility(page);
  }

  const accountNames = new Map(
    items.map(item => [item.accountId, item.accountName]),
  );
  const facets = Object.fromEntries(
    ENVIRONMENT_FACETS.map(facet => [
      facet,
      [...facetCounts[facet].entries()]
        .sort(([a], [b]) => compareText(a, b))
        .map(([value, n]): EnvironmentFacetCount => {
          const label =
            facet === 'accountId' ? accountNames.get(value) : undefined;
          return { value, count: n, ...(label && { label }) };
        }),
    ]),
  ) as Record<EnvironmentFacet, EnvironmentFacetCount[]>;

  return {
    items: page.map(index =>
      items[index].findings && !visible(index)
        ? { ...items[index], findings: undefined }
        : items[index],
    ),
    totalItems: matching.length,
    offset,
    limit,
    summary,
    facets,
  };
}
