import type {
  AwsAccountSummary,
  AwsMode,
  EnvironmentCosts,
  EnvironmentFindings,
  EnvironmentHealth,
  EnvironmentListResponse,
  EnvironmentRefreshResponse,
} from '@internal/plugin-aws-environments-common';
import type {
  AwsEnvironmentsApi,
  EnvironmentRef,
  EnvironmentStacks,
  FindingsQuery,
} from '../api/types';
import {
  makeAccounts,
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
  findingsQueries: FindingsQuery[] = [];

  constructor(overrides: Partial<AwsEnvironmentsApi> = {}) {
    Object.assign(this, overrides);
  }

  async listEnvironments(): Promise<EnvironmentListResponse> {
    return { mode: this.mode, items: makeSeededSummaries() };
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
          (!query.severity?.length || query.severity.includes(finding.severity)) &&
          (!query.product || finding.product === query.product),
      ),
    };
  }
  async getStacks(ref: EnvironmentRef): Promise<EnvironmentStacks> {
    return makeStacks({}, ref.name);
  }
  async refresh(ref: EnvironmentRef): Promise<EnvironmentRefreshResponse> {
    this.refreshed.push(ref);
    return {
      entityRef: `resource:${ref.namespace}/${ref.name}`,
      sections: [
        { section: 'health', ok: true },
        { section: 'findings', ok: true },
      ],
    };
  }
  async listAccounts(): Promise<AwsAccountSummary[]> {
    return makeAccounts();
  }
  async getMode(): Promise<AwsMode> {
    return this.mode;
  }
}

/** A promise that never settles: keeps a component in its loading state. */
export function pending<T>(): Promise<T> {
  return new Promise<T>(() => {});
}
