import type {
  AwsAccountSummary,
  AwsMode,
  EnvironmentCosts,
  EnvironmentFindings,
  EnvironmentHealth,
  EnvironmentListResponse,
  EnvironmentRefreshResponse,
  EnvironmentStacks,
  FindingSeverity,
} from '@internal/plugin-aws-environments-common';

/** Identifies an environment the way the insights API does: by its catalog entity's namespace and name. */
export interface EnvironmentRef {
  namespace: string;
  name: string;
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

/** The insights backend, as the frontend uses it. */
export interface AwsEnvironmentsApi {
  listEnvironments(): Promise<EnvironmentListResponse>;
  getHealth(ref: EnvironmentRef): Promise<EnvironmentHealth>;
  getCosts(ref: EnvironmentRef): Promise<EnvironmentCosts>;
  getFindings(
    ref: EnvironmentRef,
    query?: FindingsQuery,
  ): Promise<EnvironmentFindings>;
  getStacks(ref: EnvironmentRef): Promise<EnvironmentStacks>;
  /** Asks the backend to collect the environment's insights again now; says which sections failed. */
  refresh(ref: EnvironmentRef): Promise<EnvironmentRefreshResponse>;
  listAccounts(): Promise<AwsAccountSummary[]>;
  getMode(): Promise<AwsMode>;
}
