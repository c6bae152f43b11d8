import type {
  AwsAccountSummary,
  AwsMode,
  EnvironmentCosts,
  EnvironmentFindings,
  EnvironmentHealth,
  EnvironmentListResponse,
  EnvironmentRefreshResponse,
  FindingSeverity,
  SectionMeta,
  StackHealth,
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

/*
 * The Infrastructure tab's shapes. They are served by `GET /environments/:namespace/:name/stacks`; they live here
 * until the backend publishes them in -common's api.ts.
 */
export interface StackResource {
  logicalId: string;
  physicalId?: string;
  type: string;
  status: string;
  statusReason?: string;
  driftStatus?: 'IN_SYNC' | 'MODIFIED' | 'DELETED' | 'NOT_CHECKED';
}

export interface StackOutput {
  key: string;
  value: string;
  description?: string;
  exportName?: string;
}

export interface StackEvent {
  timestamp: string;
  logicalId: string;
  resourceType?: string;
  status: string;
  reason?: string;
}

export interface StackDetail extends StackHealth {
  stackId?: string;
  description?: string;
  createdAt?: string;
  resources: StackResource[];
  outputs: StackOutput[];
  /** Most recent first. */
  events: StackEvent[];
}

export interface EnvironmentStacks extends SectionMeta {
  accountId: string;
  accountName?: string;
  region: string;
  template?: {
    name: string;
    version: string;
    latestVersion?: string;
    behind: boolean;
  };
  stacks: StackDetail[];
}

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
