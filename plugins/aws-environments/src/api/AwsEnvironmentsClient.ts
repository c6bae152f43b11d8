import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { ENVIRONMENT_FACETS } from '@internal/plugin-aws-environments-common';
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
  RegionPricesResponse,
  VpcRange,
  VpcRangeListResponse,
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
} from './types';

/**
 * How long an answer about versions or prices is reused. The backend reads both from AWS at most daily, and one form
 * asks for them from several fields at once (both version pickers, the cost estimate and their validations).
 */
const REFERENCE_DATA_TTL_MS = 5 * 60_000;

/** Talks to the insights backend at discovery id `aws-environments`. */
export class AwsEnvironmentsClient implements AwsEnvironmentsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;
  // The mode is fixed for the lifetime of the backend, so every card can share one answer.
  private modePromise?: Promise<AwsMode>;
  private readonly referenceData = new Map<
    string,
    { readAt: number; promise: Promise<unknown> }
  >();

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async listEnvironments(
    query: EnvironmentListQuery = {},
  ): Promise<EnvironmentListResponse> {
    const params = new URLSearchParams();
    if (query.entityRef) params.set('entityRef', query.entityRef);
    if (query.q?.trim()) params.set('q', query.q.trim());
    for (const facet of ENVIRONMENT_FACETS) {
      for (const value of query[facet] ?? []) {
        params.append(facet, value);
      }
    }
    if (query.orderBy) {
      params.set(
        'orderBy',
        `${query.orderBy.field},${query.orderBy.order ?? 'asc'}`,
      );
    }
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.offset) params.set('offset', String(query.offset));
    const search = params.toString();
    return this.get(`/environments${search ? `?${search}` : ''}`);
  }

  async getHealth(ref: EnvironmentRef): Promise<EnvironmentHealth> {
    return this.get(`${environmentPath(ref)}/health`);
  }

  async getCosts(ref: EnvironmentRef): Promise<EnvironmentCosts> {
    return this.get(`${environmentPath(ref)}/costs`);
  }

  async getFindings(
    ref: EnvironmentRef,
    query: FindingsQuery = {},
  ): Promise<EnvironmentFindings> {
    const params = new URLSearchParams();
    for (const severity of query.severity ?? []) {
      params.append('severity', severity);
    }
    if (query.product) {
      params.set('product', query.product);
    }
    if (query.limit !== undefined) {
      params.set('limit', String(query.limit));
    }
    const search = params.toString();
    return this.get(
      `${environmentPath(ref)}/findings${search ? `?${search}` : ''}`,
    );
  }

  async getStacks(ref: EnvironmentRef): Promise<EnvironmentStacks> {
    return this.get(`${environmentPath(ref)}/stacks`);
  }

  async refresh(
    ref: EnvironmentRef,
    options: RefreshOptions = {},
  ): Promise<EnvironmentRefreshResponse> {
    const search = options.section
      ? `?${new URLSearchParams({ section: options.section })}`
      : '';
    const response = await this.request(
      `${environmentPath(ref)}/refresh${search}`,
      { method: 'POST' },
    );
    return (await response.json()) as EnvironmentRefreshResponse;
  }

  async getRefreshAccess(
    ref: EnvironmentRef,
  ): Promise<EnvironmentRefreshAccess> {
    return this.get(`${environmentPath(ref)}/refresh`);
  }

  async getHistory(
    ref: EnvironmentRef,
    query: HistoryQuery = {},
  ): Promise<EnvironmentHistoryResponse> {
    const params = new URLSearchParams();
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.offset) params.set('offset', String(query.offset));
    const search = params.toString();
    return this.get(
      `${environmentPath(ref)}/history${search ? `?${search}` : ''}`,
    );
  }

  async checkEnvironmentName(
    name: string,
  ): Promise<EnvironmentNameCheckResponse> {
    return this.get(`/environment-names/${encodeURIComponent(name)}`);
  }

  async listVpcRanges(accountId: string, region: string): Promise<VpcRange[]> {
    const params = new URLSearchParams({ accountId, region });
    const body = await this.get<VpcRangeListResponse>(`/vpc-ranges?${params}`);
    return body.items;
  }

  async listAccounts(): Promise<AwsAccountSummary[]> {
    const body = await this.get<
      { items: AwsAccountSummary[] } | AwsAccountSummary[]
    >('/accounts');
    return Array.isArray(body) ? body : body.items;
  }

  getAwsVersions(query: VersionsQuery): Promise<AwsVersionsResponse> {
    const params = new URLSearchParams({
      accountId: query.accountId,
      region: query.region,
    });
    return this.getReferenceData(`/aws-versions?${params}`);
  }

  getRegionPrices(region: string): Promise<RegionPricesResponse> {
    return this.getReferenceData(`/prices/${encodeURIComponent(region)}`);
  }

  getMode(): Promise<AwsMode> {
    if (!this.modePromise) {
      this.modePromise = this.get<{ mode: AwsMode }>('/mode').then(
        body => body.mode,
      );
      this.modePromise.catch(() => {
        this.modePromise = undefined;
      });
    }
    return this.modePromise;
  }

  /** Shares one request per path for a few minutes; a failed one is forgotten at once, so the next call asks again. */
  private getReferenceData<T>(path: string): Promise<T> {
    const now = Date.now();
    const cached = this.referenceData.get(path);
    if (cached && now - cached.readAt < REFERENCE_DATA_TTL_MS) {
      return cached.promise as Promise<T>;
    }
    const promise = this.get<T>(path);
    this.referenceData.set(path, { readAt: now, promise });
    promise.catch(() => {
      if (this.referenceData.get(path)?.promise === promise) {
        this.referenceData.delete(path);
      }
    });
    return promise;
  }

  private async get<T>(path: string): Promise<T> {
    const response = await this.request(path);
    return (await response.json()) as T;
  }

  private async request(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('aws-environments');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}

function environmentPath(ref: EnvironmentRef): string {
  return `/environments/${encodeURIComponent(
    ref.namespace,
  )}/${encodeURIComponent(ref.name)}`;
}
