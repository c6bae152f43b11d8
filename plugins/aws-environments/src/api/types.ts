import type {
  AwsAccountSummary,
  AwsMode,
  AwsVersionsResponse,
  EnvironmentCosts,
  EnvironmentFindings,
  EnvironmentHealth,
  EnvironmentHistoryResponse,
  EnvironmentListQuery,
  EnvironmentListResponse,
  EnvironmentNameCheckResponse,
  EnvironmentRefreshAccess,
  EnvironmentRefreshResponse,
  EnvironmentStacks,
  FindingSeverity,
  RefreshableSection,
  RegionPricesResponse,
  VpcRange,
} from '@internal/plugin-aws-environments-common';

/** Identifies an environment the way the insights API does: by its catalog entity's namespace and name. */
export interface EnvironmentRef {
  namespace: string;
  name: string;
}

export interface RefreshOptions {
  /** The section to collect again; both health and findings when absent. Costs stay on their schedule. */
  section?: RefreshableSection;
}

/** The account and Region whose versions are asked for. */
export interface VersionsQuery {
  accountId: string;
  region: string;
}

/** Which page of an environment's history to read: `limit` entries (20 by default) from `offset`, newest first. */
export interface HistoryQuery {
  limit?: number;
  offset?: number;
}

export interface FindingsQuery {
  severity?: FindingSeverity[];
  product?: string;
  limit?: number;
}

// The Infrastructure tab's shapes live in -common with the other API shapes; re-exported for existing imports.
export type {
  EnvironmentStacks,
  StackDetail,
  StackEvent,
  StackOutput,
  StackResource,
} from '@internal/plugin-aws-environments-common';

// Which page of the environments `listEnvironments` answers with, or only the one with `entityRef`.
export type { EnvironmentListQuery } from '@internal/plugin-aws-environments-common';

/** The insights backend, as the frontend uses it. */
export interface AwsEnvironmentsApi {
  listEnvironments(
    query?: EnvironmentListQuery,
  ): Promise<EnvironmentListResponse>;
  getHealth(ref: EnvironmentRef): Promise<EnvironmentHealth>;
  getCosts(ref: EnvironmentRef): Promise<EnvironmentCosts>;
  getFindings(
    ref: EnvironmentRef,
    query?: FindingsQuery,
  ): Promise<EnvironmentFindings>;
  getStacks(ref: EnvironmentRef): Promise<EnvironmentStacks>;
  /**
   * Asks the backend to collect the environment's insights (or one section) again now. Each section of the answer
   * says whether it was collected (`refreshed`, with `ok`), left alone because it is fresh (`recent`), or is being
   * refreshed by someone else (`queued`). Rejects with a ResponseError of 403 when the caller may not refresh the
   * environment and 429 when their hourly budget is used up; the body's message is a sentence to show.
   */
  refresh(
    ref: EnvironmentRef,
    options?: RefreshOptions,
  ): Promise<EnvironmentRefreshResponse>;
  /** Whether the caller may refresh the environment, and when each section may be refreshed next. */
  getRefreshAccess(ref: EnvironmentRef): Promise<EnvironmentRefreshAccess>;
  /** What was done to the environment (create, update, teardown, ...), by whom and how it ended, newest first. */
  getHistory(
    ref: EnvironmentRef,
    query?: HistoryQuery,
  ): Promise<EnvironmentHistoryResponse>;
  /**
   * Whether a new environment may be called `name`: `available`, or a `problem` sentence to show (an invalid name,
   * or one an existing environment has, even one the caller may not see).
   */
  checkEnvironmentName(name: string): Promise<EnvironmentNameCheckResponse>;
  /**
   * The VPC ranges of the environments in the account and Region, as their network stacks last reported them
   * (environments with no stored range are left out); for the overlap check of the New environment form.
   */
  listVpcRanges(accountId: string, region: string): Promise<VpcRange[]>;
  listAccounts(): Promise<AwsAccountSummary[]>;
  /**
   * The Kubernetes and database engine versions AWS lets anyone create today in the account and Region, newest
   * first, with their support phase and end dates, and the Region's EKS control-plane prices
   * (`GET /aws-versions`). The answer is reused for a few minutes: one form asks for it from several fields.
   */
  getAwsVersions(query: VersionsQuery): Promise<AwsVersionsResponse>;
  /**
   * The list prices of a Region as the backend last read them from the AWS Price List API, or its dated snapshot,
   * with where they came from and when (`GET /prices/:region`). Reused for a few minutes like the versions.
   */
  getRegionPrices(region: string): Promise<RegionPricesResponse>;
  getMode(): Promise<AwsMode>;
}
