/**
 * Versions AWS offers and how long it supports them, as the insights backend reads them per account and Region
 * (EKS `DescribeClusterVersions`, RDS `DescribeDBEngineVersions` and `DescribeDBMajorEngineVersions`), and the list
 * prices it reads from the AWS Price List API. The frontend's version pickers, the Health card, the Environments
 * page and the cost estimate all read these shapes; the scaffolder actions check versions against them.
 */
import type { RegionPrices } from './pricing';
import type { SectionMeta } from './api';

/**
 * Where a fact came from:
 * - `aws`: read from AWS by this backend;
 * - `simulated`: answered by the simulated organization (the embedded default), from its dated snapshot;
 * - `snapshot`: the dated snapshot shipped with the portal, used because AWS could not be read yet.
 */
export type FactSource = 'aws' | 'simulated' | 'snapshot';

/** Support phase of a version on a given day. */
export type SupportPhase = 'standard' | 'extended' | 'unsupported';

/** One Kubernetes version of EKS, as `DescribeClusterVersions` reports it. */
export interface KubernetesVersionInfo {
  /** `1.34` */
  version: string;
  /** EKS's own status word: `STANDARD_SUPPORT`, `EXTENDED_SUPPORT` or `UNSUPPORTED`. */
  status: string;
  /** The phase on the day the list was read; EKS creates clusters in `standard` and `extended` only. */
  phase: SupportPhase;
  /** YYYY-MM-DD */
  releaseDate?: string;
  /** YYYY-MM-DD */
  endOfStandardSupport?: string;
  /** YYYY-MM-DD */
  endOfExtendedSupport?: string;
  /** EKS's default version for new clusters. */
  defaultVersion?: boolean;
}

export type DatabaseEngine = 'postgres' | 'aurora-postgresql';

/** One engine version RDS lets anyone create today, as `DescribeDBEngineVersions` reports it. */
export interface DatabaseEngineVersionInfo {
  engine: DatabaseEngine;
  /** `17.6` (PostgreSQL) or `16.8` (Aurora PostgreSQL) */
  version: string;
  /** `17` */
  majorVersion: string;
  /** RDS's default minor version of its major version for new instances. */
  defaultForMajor?: boolean;
  /** Engine versions this one can be upgraded to in place, as RDS lists them (`ValidUpgradeTarget`). */
  upgradeTargets: string[];
  /** From `DescribeDBMajorEngineVersions` (RDS standard support); YYYY-MM-DD. */
  endOfStandardSupport?: string;
  /** From `DescribeDBMajorEngineVersions` (RDS Extended Support); YYYY-MM-DD. */
  endOfExtendedSupport?: string;
}

/** Answer of `GET /aws-versions?accountId=…&region=…`. */
export interface AwsVersionsResponse extends SectionMeta {
  accountId: string;
  region: string;
  source: FactSource;
  /** Date of the shipped snapshot (YYYY-MM-DD) when `source` is `simulated` or `snapshot`. */
  snapshotDate?: string;
  /** Newest first. Versions EKS will not create (`unsupported`) are left out. */
  kubernetes: KubernetesVersionInfo[];
  /** Newest first, per engine; only versions RDS lets anyone create today. */
  databases: Record<DatabaseEngine, DatabaseEngineVersionInfo[]>;
  /** Hourly EKS control-plane prices of the Region, so that pickers can label the extended-support surcharge. */
  eksPricing: EksControlPlanePrices;
}

/** EKS charges per cluster-hour; a cluster on a version in extended support costs more. */
export interface EksControlPlanePrices {
  standardHourly: number;
  extendedHourly: number;
  source: FactSource;
  /** YYYY-MM-DD the prices were read (or the snapshot's date). */
  asOf: string;
}

/** The version of one part of an environment and where it stands in AWS's support calendar. */
export interface ComponentLifecycle {
  kind: 'kubernetes' | 'database';
  /** Cluster name or DB instance/cluster identifier. */
  resource: string;
  engine?: DatabaseEngine;
  version: string;
  phase: SupportPhase | 'unknown';
  /** YYYY-MM-DD */
  endOfStandardSupport?: string;
  /** YYYY-MM-DD */
  endOfExtendedSupport?: string;
  /** Whole days until the current phase ends (standard, else extended); absent when unknown. */
  daysLeft?: number;
  /** Extra cost per month of extended support in USD, when in extended support and priced. */
  extendedSupportMonthly?: number;
  /** The version the Update template proposes next: the next minor/major AWS lets this one move to. */
  nextVersion?: string;
  /** One sentence a person reads, e.g. "In extended support (+$365/month); support ends in 112 days". */
  summary: string;
}

/** Lifecycle of an environment: on the Health section and, in short, in each environment's summary. */
export interface EnvironmentLifecycle {
  components: ComponentLifecycle[];
  /** The worst phase of its components. */
  worst: SupportPhase | 'unknown';
  /** Fewest days left of any component. */
  daysLeft?: number;
  /** Sum of the components' extended-support surcharges per month, USD. */
  extendedSupportMonthly?: number;
}

/** Answer of `GET /prices/:region`: the list prices the cost estimate uses, and where they came from. */
export interface RegionPricesResponse {
  region: string;
  /** The Region whose prices are shown, when the asked one is not priced (then `fallback` is true). */
  pricedRegion: string;
  fallback: boolean;
  source: FactSource;
  /** YYYY-MM-DD the prices were read from the Price List API, or the snapshot's date. */
  asOf: string;
  currency: 'USD';
  prices: RegionPrices;
  /**
   * Figures the Price List API did not price in the last read (`natGatewayHourly`, `ec2Hourly.t3.small`), which
   * show the shipped snapshot's value instead. Absent when every figure was read, or when `source` is `snapshot`.
   */
  snapshotFigures?: string[];
}
