/**
 * Shapes served by the insights backend (`/api/aws-environments`) and read by the frontend plugin.
 * Every section carries the time its data was taken from AWS and whether it is stale.
 */
import type { Stage } from './annotations';
import type { EnvironmentLifecycle, SupportPhase } from './lifecycle';

export type HealthVerdict = 'healthy' | 'degraded' | 'down' | 'unknown';
export type FindingSeverity =
  | 'CRITICAL'
  | 'HIGH'
  | 'MEDIUM'
  | 'LOW'
  | 'INFORMATIONAL';
export const FINDING_SEVERITIES: FindingSeverity[] = [
  'CRITICAL',
  'HIGH',
  'MEDIUM',
  'LOW',
  'INFORMATIONAL',
];

/** Where the portal's AWS data comes from. */
export type AwsMode = 'aws' | 'simulated';

export interface SectionMeta {
  /** ISO time the data was collected; absent when never collected. */
  collectedAt?: string;
  /** True when the last refresh failed or the data is older than its cadence allows. */
  stale: boolean;
  /** Message of the last failed refresh, when there was one. */
  error?: string;
  /** ISO time of the last failed refresh, when it failed after the data was collected. */
  errorAt?: string;
}

export interface StackHealth {
  stackName: string;
  layer?: string;
  status: string;
  statusReason?: string;
  driftStatus?: 'IN_SYNC' | 'DRIFTED' | 'NOT_CHECKED' | 'UNKNOWN';
  lastUpdated?: string;
  templateVersion?: string;
}

/** One resource of a stack, as `DescribeStackResources` reports it. */
export interface StackResource {
  logicalId: string;
  physicalId?: string;
  type: string;
  status: string;
  statusReason?: string;
  /** From the stack's last drift detection; absent where AWS has none. */
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

/** A stack with its resources, outputs and recent events, for the Infrastructure tab. */
export interface StackDetail extends StackHealth {
  stackId?: string;
  description?: string;
  createdAt?: string;
  /** ISO time of the stack's last drift detection. */
  driftCheckedAt?: string;
  resources: StackResource[];
  outputs: StackOutput[];
  /** Most recent first. */
  events: StackEvent[];
}

/** Answer of `GET /environments/:namespace/:name/stacks`. */
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
  /** In the environment's deployment order; a stack that does not exist has status `NOT_FOUND` and no details. */
  stacks: StackDetail[];
}

export interface EksHealth {
  clusterName: string;
  status: string;
  version?: string;
  nodegroups: Array<{
    name: string;
    status: string;
    capacityType?: string;
    desiredSize?: number;
    instanceTypes?: string[];
  }>;
}

export interface DatabaseHealth {
  identifier: string;
  engine: string;
  status: string;
  multiAz: boolean;
  storageEncrypted: boolean;
  backupRetentionDays: number;
  instanceClass?: string;
  /** Engine version the instance or Aurora cluster runs, e.g. `17.6`. */
  engineVersion?: string;
}

export interface AlarmState {
  name: string;
  state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  reason?: string;
  metric?: string;
  updatedAt?: string;
}

export interface EnvironmentHealth extends SectionMeta {
  verdict: HealthVerdict;
  reasons: string[];
  stacks: StackHealth[];
  eks?: EksHealth;
  databases: DatabaseHealth[];
  alarms: AlarmState[];
  /** Where the cluster's Kubernetes version and the databases' engine versions stand in AWS's support calendar. */
  lifecycle?: EnvironmentLifecycle;
}

export interface CostPoint {
  date: string; // YYYY-MM-DD
  amount: number;
  byService: Record<string, number>;
}

export interface EnvironmentCosts extends SectionMeta {
  currency: string;
  monthToDate: number;
  lastMonth: number;
  forecastMonthEnd?: number;
  /** How `forecastMonthEnd` was derived: month to date plus the last 7 days' average daily cost. */
  forecastMethod?: 'run-rate';
  budget?: {
    name: string;
    limit: number;
    actual: number;
    forecast?: number;
  };
  /** Daily series over the last 90 days, oldest first. */
  daily: CostPoint[];
  topServices: Array<{ service: string; amount: number }>;
}

export interface Finding {
  id: string;
  title: string;
  severity: FindingSeverity;
  product: string; // GuardDuty, Inspector, Security Hub
  resourceId: string;
  resourceType?: string;
  workflowState?: string;
  firstObservedAt?: string;
  updatedAt?: string;
  consoleUrl?: string;
}

export interface EnvironmentFindings extends SectionMeta {
  /** Where the findings came from: Security Hub, or GuardDuty and Inspector where Security Hub is not enabled. */
  source?: 'securityhub' | 'guardduty-inspector';
  counts: Record<FindingSeverity, number>;
  byProduct: Record<string, number>;
  top: Finding[];
}

export interface EnvironmentSummary {
  entityRef: string;
  name: string;
  title?: string;
  stage?: Stage;
  owner?: string;
  system?: string;
  accountId: string;
  accountName?: string;
  region: string;
  template?: {
    name: string;
    version: string;
    latestVersion?: string;
    behind: boolean;
  };
  health: {
    verdict: HealthVerdict;
    reasons: string[];
    collectedAt?: string;
    stale: boolean;
  };
  costs?: {
    monthToDate: number;
    forecastMonthEnd?: number;
    budgetLimit?: number;
    currency: string;
    stale: boolean;
  };
  findings?: { critical: number; high: number; stale: boolean };
  /** In short, the environment's lifecycle from its last health collection. */
  lifecycle?: {
    worst: SupportPhase | 'unknown';
    daysLeft?: number;
    extendedSupportMonthly?: number;
    /** One sentence a person reads, e.g. "Kubernetes 1.33 in extended support (+$365/month)". */
    summary: string;
  };
}

export interface AwsAccountSummary {
  accountId: string;
  name: string;
  stage?: Stage | 'shared';
  regions: string[];
  defaultRegion: string;
}

/**
 * Answer of `POST /environments/:namespace/:name/refresh[?section=health|findings]`: the sections asked for, each
 * collected again or left as it is because it is fresh (see `RefreshSectionState`).
 */
export interface EnvironmentRefreshResponse {
  entityRef: string;
  sections: EnvironmentRefreshSection[];
}

/** The sections a person can ask to be collected again now; costs stay on their schedule. */
export type RefreshableSection = 'health' | 'findings';

/**
 * What an on-demand refresh did with one section:
 * - `refreshed`: collected again by this request (`ok` and `error` tell how that went);
 * - `recent`: collected less than the refresh interval ago (by anyone, or by the schedule), so left as it is;
 * - `queued`: another refresh of it started moments ago and is still running; read the section again shortly.
 */
export type RefreshSectionState = 'refreshed' | 'recent' | 'queued';

/** One section in an `EnvironmentRefreshResponse`. */
export interface EnvironmentRefreshSection {
  section: 'health' | 'stacks' | 'findings';
  ok: boolean;
  error?: string;
  /** Absent in answers of older backends, which only ever collected. */
  state?: RefreshSectionState;
  /** ISO time the section's data now stored was collected, when it has been. */
  collectedAt?: string;
  /** ISO time from which the section may be refreshed on demand again. */
  nextRefreshAt?: string;
}

/**
 * Answer of `GET /environments/:namespace/:name/refresh`: whether the caller may ask for a refresh of the environment,
 * and when each section may be refreshed next, so that the UI can hide or disable its Refresh buttons.
 */
export interface EnvironmentRefreshAccess {
  entityRef: string;
  canRefresh: boolean;
  /** One sentence saying why not, when `canRefresh` is false. */
  reason?: string;
  sections: Array<{
    section: RefreshableSection;
    collectedAt?: string;
    /** ISO time from which the section may be refreshed again; absent when it may be now. */
    nextRefreshAt?: string;
    /** How often the schedule collects the section anyway, in milliseconds. */
    scheduleIntervalMs: number;
  }>;
  /** The caller's own budget of on-demand refreshes per rolling hour. */
  budget: { perHour: number; remaining: number; nextAt?: string };
}

/** Answer of `GET /environment-names/:name`: whether a new environment may take the name. */
export interface EnvironmentNameCheckResponse {
  name: string;
  available: boolean;
  /** One sentence a person reads: why the name cannot be used. */
  problem?: string;
  /** The environment that already has the name. */
  existing?: {
    entityRef: string;
    owner?: string;
    accountId?: string;
    region?: string;
  };
}

/** The VPC range of one environment, as its network stack reported it. */
export interface VpcRange {
  environment: string;
  entityRef: string;
  vpcCidr: string;
}

/** Answer of `GET /vpc-ranges?accountId=…&region=…`: the VPC ranges in use in that account and Region. */
export interface VpcRangeListResponse {
  items: VpcRange[];
}
