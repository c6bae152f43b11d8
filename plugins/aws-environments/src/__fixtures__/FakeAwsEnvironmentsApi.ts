import type {
  AwsAccountSummary,
  AwsMode,
  AwsVersionsResponse,
  EnvironmentCosts,
  EnvironmentFindings,
  EnvironmentHealth,
  EnvironmentHistoryResponse,
  EnvironmentListResponse,
  EnvironmentNameCheckResponse,
  EnvironmentRefreshAccess,
  EnvironmentRefreshResponse,
  EnvironmentSummary,
  RegionPricesResponse,
  VpcRange,
} from '@internal/plugin-aws-environments-common';
import {
  environmentNameProblem,
  selectEnvironmentPage,
} from '@internal/plugin-aws-environments-common';
import type {
  AwsEnvironmentsApi,
  EnvironmentListQuery,
  EnvironmentRef,
  EnvironmentStacks,
  FindingsQuery,
  HistoryQuery,
  RefreshOptions,
  VersionsQuery,
} from '../api/types';
import { historyPage, makeHistory } from './history';
import {
  makeAccounts,
  makeAwsVersions,
  makeRegionPrices,
  makeCosts,
  makeFindings,
  makeHealth,
  makeSeededSummaries,
  makeStacks,
} from './index';

/**
 * An in-memory insights API answering with the fixtures; replace any method to shape a case
 * (a never-settling promise for loading, a rejection for errors).
 */
export class FakeAwsEnvironmentsApi implements AwsEnvironmentsApi {
  mode: AwsMode = 'simulated';
  refreshed: EnvironmentRef[] = [];
  refreshOptions: RefreshOptions[] = [];
  findingsQueries: FindingsQuery[] = [];

  constructor(overrides: Partial<AwsEnvironmentsApi> = {}) {
    Object.assign(this, overrides);
  }

  async listEnvironments(
    query: EnvironmentListQuery = {},
  ): Promise<EnvironmentListResponse> {
    return environmentListOf(makeSeededSummaries(), query, this.mode);
  }
  async getHealth(ref: EnvironmentRef): Promise<EnvironmentHealth> {
    return makeHealth({}, ref.name);
  }
  async getCosts(_ref: EnvironmentRef): Promise<EnvironmentCosts> {
    return makeCosts();
  }
  async getFindings(
    _ref: EnvironmentRef,
    query: FindingsQuery = {},
  ): Promise<EnvironmentFindings> {
    this.findingsQueries.push(query);
    const findings = makeFindings();
    return {
      ...findings,
      top: findings.top.filter(
        finding =>
          (!query.severity?.length ||
            query.severity.includes(finding.severity)) &&
          (!query.product || finding.product === query.product),
      ),
    };
  }
  async getStacks(ref: EnvironmentRef): Promise<EnvironmentStacks> {
    return makeStacks({}, ref.name);
  }
  async refresh(
    ref: EnvironmentRef,
    options: RefreshOptions = {},
  ): Promise<EnvironmentRefreshResponse> {
    this.refreshed.push(ref);
    this.refreshOptions.push(options);
    const now = new Date();
    const refreshed = {
      ok: true,
      state: 'refreshed' as const,
      collectedAt: now.toISOString(),
      nextRefreshAt: new Date(now.getTime() + 60_000).toISOString(),
    };
    const sections = options.section
      ? [options.section]
      : ['health', 'findings'];
    return {
      entityRef: `resource:${ref.namespace}/${ref.name}`,
      sections: [
        ...(sections.includes('health')
          ? [
              { section: 'health' as const, ...refreshed },
              { section: 'stacks' as const, ...refreshed },
            ]
          : []),
        ...(sections.includes('findings')
          ? [{ section: 'findings' as const, ...refreshed }]
          : []),
      ],
    };
  }
  async getRefreshAccess(
    ref: EnvironmentRef,
  ): Promise<EnvironmentRefreshAccess> {
    return {
      entityRef: `resource:${ref.namespace}/${ref.name}`,
      canRefresh: true,
      sections: [
        { section: 'health', scheduleIntervalMs: 5 * 60_000 },
        { section: 'findings', scheduleIntervalMs: 60 * 60_000 },
      ],
      budget: { perHour: 30, remaining: 30 },
    };
  }
  historyQueries: HistoryQuery[] = [];
  async getHistory(
    ref: EnvironmentRef,
    query: HistoryQuery = {},
  ): Promise<EnvironmentHistoryResponse> {
    this.historyQueries.push(query);
    return historyPage(
      `resource:${ref.namespace}/${ref.name}`,
      makeHistory(ref.name),
      query.limit,
      query.offset,
    );
  }
  /** Names the fake treats as taken, by environment name. */
  takenNames: Record<
    string,
    NonNullable<EnvironmentNameCheckResponse['existing']>
  > = {
    'innovate-prod': {
      entityRef: 'resource:default/innovate-prod',
      owner: 'group:default/web-team',
      accountId: '333333333333',
      region: 'eu-central-1',
    },
  };
  async checkEnvironmentName(
    name: string,
  ): Promise<EnvironmentNameCheckResponse> {
    const problem = environmentNameProblem(name);
    if (problem) {
      return { name, available: false, problem };
    }
    const existing = this.takenNames[name];
    if (!existing) {
      return { name, available: true };
    }
    return {
      name,
      available: false,
      problem: `${name} already exists (owner ${existing.owner}, account ${existing.accountId} ${existing.region}). To change it, use the "Update an AWS environment" template.`,
      existing,
    };
  }
  /** VPC ranges the fake reports, per `accountId/region`. */
  vpcRanges: Record<string, VpcRange[]> = {
    '333333333333/eu-central-1': [
      {
        environment: 'innovate-prod',
        entityRef: 'resource:default/innovate-prod',
        vpcCidr: '10.30.0.0/16',
      },
    ],
  };
  async listVpcRanges(accountId: string, region: string): Promise<VpcRange[]> {
    return this.vpcRanges[`${accountId}/${region}`] ?? [];
  }
  async listAccounts(): Promise<AwsAccountSummary[]> {
    return makeAccounts();
  }
  versionQueries: VersionsQuery[] = [];
  async getAwsVersions(query: VersionsQuery): Promise<AwsVersionsResponse> {
    this.versionQueries.push(query);
    return makeAwsVersions({
      accountId: query.accountId,
      region: query.region,
    });
  }
  priceRegions: string[] = [];
  async getRegionPrices(region: string): Promise<RegionPricesResponse> {
    this.priceRegions.push(region);
    return makeRegionPrices(region);
  }
  async getMode(): Promise<AwsMode> {
    return this.mode;
  }
}

/** A promise that never settles: keeps a component in its loading state. */
export function pending<T>(): Promise<T> {
  return new Promise<T>(() => {});
}

/**
 * The answer the backend gives for `query` when it holds `items`: the page, its totals, summary counts and facets,
 * with every finding count shown.
 */
export async function environmentListOf(
  items: EnvironmentSummary[],
  query: EnvironmentListQuery = {},
  mode: AwsMode = 'simulated',
): Promise<EnvironmentListResponse> {
  return { mode, ...(await selectEnvironmentPage(items, query)) };
}
