/**
 * A monthly cost estimate of an environment's options, shown in the New AWS environment form before anything is
 * created. It is a planning figure, not a quote: it prices what the options fix (clusters, nodes, NAT gateways,
 * databases, the load balancer, WAF, keys, secrets, alarms, backups) and leaves out what depends on traffic
 * (data transfer, CloudFront requests, LCUs beyond one, WAF requests, Aurora I/O).
 *
 * Prices are AWS on-demand list prices in USD (Linux, shared tenancy, RDS for PostgreSQL License Included = none).
 * The insights backend reads them daily from the AWS Price List API (`GET /prices/:region`); pass its answer as
 * `options.prices` to {@link estimateMonthlyCost}. Without it, or before the backend's first read, the estimate uses
 * {@link PRICE_TABLE}, a dated snapshot that is also what the simulated organization answers.
 */
import type {
  FactSource,
  RegionPricesResponse,
  SupportPhase,
} from './lifecycle';

/** Hours AWS bills in an average month (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;

/** List prices of one Region. Hourly prices in USD per hour, monthly ones in USD per month. */
export interface RegionPrices {
  /** EC2 on-demand Linux hourly price per instance type. */
  ec2Hourly: Record<string, number>;
  /** RDS for PostgreSQL single-AZ hourly price per instance class (Multi-AZ instances cost twice as much). */
  rdsPostgresHourly: Record<string, number>;
  /** Aurora PostgreSQL (Standard) hourly price per instance class. */
  auroraPostgresHourly: Record<string, number>;
  /** EKS control plane per cluster-hour on a Kubernetes version in standard support. */
  eksClusterHourly: number;
  /** EKS control plane per cluster-hour on a version in extended support (standard price plus the surcharge). */
  eksClusterExtendedHourly: number;
  natGatewayHourly: number;
  albHourly: number;
  /** One load balancer capacity unit: the minimum a lightly used ALB consumes. */
  albLcuHourly: number;
  /** RDS gp3 storage per GB-month, single-AZ (Multi-AZ doubles it). */
  rdsStorageGbMonth: number;
  auroraStorageGbMonth: number;
  /** EBS gp3 per GB-month (node root volumes). */
  ebsGp3GbMonth: number;
  /** AWS Backup warm storage for RDS snapshots per GB-month. */
  backupStorageGbMonth: number;
  /** Inter-Region data transfer out per GB (DR copies). */
  interRegionTransferGb: number;
}

export interface PriceTable {
  /** Month the figures were taken from AWS's published list prices (YYYY-MM). */
  asOf: string;
  currency: 'USD';
  /** Prices that are the same in every Region. */
  global: {
    wafWebAclMonth: number;
    wafRuleMonth: number;
    kmsKeyMonth: number;
    secretMonth: number;
    alarmMonth: number;
  };
  regions: Record<string, RegionPrices>;
}

/**
 * Price table for eu-central-1 (Frankfurt) and us-east-1 (N. Virginia). Regions not listed are priced as
 * {@link FALLBACK_PRICE_REGION}, and the estimate says so.
 *
 * Where the figures come from, as of `asOf` (2025-01):
 * - EC2, RDS, Aurora, NAT gateway, ALB and EBS prices: the AWS Price List API (`GetProducts`, service codes
 *   AmazonEC2, AmazonRDS and AWSELB), as `scripts/refresh-prices.ts` reads it; AWS publishes the same prices on
 *   https://aws.amazon.com/ec2/pricing/on-demand/, https://aws.amazon.com/rds/postgresql/pricing/,
 *   https://aws.amazon.com/rds/aurora/pricing/, https://aws.amazon.com/vpc/pricing/ and
 *   https://aws.amazon.com/elasticloadbalancing/pricing/.
 * - EKS control plane: https://aws.amazon.com/eks/pricing/ ($0.10 per cluster-hour in standard support; $0.60 in
 *   extended support since the April 2024 billing cycle, as announced at
 *   https://aws.amazon.com/blogs/containers/amazon-eks-extended-support-for-kubernetes-versions-pricing/).
 * - AWS Backup, inter-Region transfer, WAF, KMS, Secrets Manager and CloudWatch: https://aws.amazon.com/backup/pricing/,
 *   https://aws.amazon.com/ec2/pricing/on-demand/ (data transfer), https://aws.amazon.com/waf/pricing/,
 *   https://aws.amazon.com/kms/pricing/, https://aws.amazon.com/secrets-manager/pricing/ and
 *   https://aws.amazon.com/cloudwatch/pricing/.
 */
export const PRICE_TABLE: PriceTable = {
  asOf: '2025-01',
  currency: 'USD',
  global: {
    wafWebAclMonth: 5,
    wafRuleMonth: 1,
    kmsKeyMonth: 1,
    secretMonth: 0.4,
    alarmMonth: 0.1,
  },
  regions: {
    'us-east-1': {
      ec2Hourly: {
        't3.small': 0.0208,
        't3.medium': 0.0416,
        't3.large': 0.0832,
        't3.xlarge': 0.1664,
        'm5.large': 0.096,
        'm5.xlarge': 0.192,
        'm6i.large': 0.096,
        'm6i.xlarge': 0.192,
        'm6i.2xlarge': 0.384,
        'm7i.large': 0.1008,
        'm7i.xlarge': 0.2016,
        'c6i.large': 0.085,
        'c6i.xlarge': 0.17,
        'r6i.large': 0.126,
        'r6i.xlarge': 0.252,
        't4g.medium': 0.0336,
        't4g.large': 0.0672,
        't4g.xlarge': 0.1344,
        'm7g.large': 0.0816,
        'm7g.xlarge': 0.1632,
        'c7g.large': 0.0725,
        'c7g.xlarge': 0.145,
        'r7g.large': 0.1071,
      },
      rdsPostgresHourly: {
        'db.t3.micro': 0.018,
        'db.t3.small': 0.036,
        'db.t3.medium': 0.072,
        'db.t4g.micro': 0.016,
        'db.t4g.small': 0.032,
        'db.t4g.medium': 0.065,
        'db.m5.large': 0.178,
        'db.m6i.large': 0.178,
        'db.m6i.xlarge': 0.356,
        'db.m6g.large': 0.159,
        'db.r6g.large': 0.225,
        'db.r6i.large': 0.25,
        'db.t4g.large': 0.129,
        'db.r7g.large': 0.239,
        'db.r7g.xlarge': 0.478,
        'db.r7g.2xlarge': 0.956,
      },
      auroraPostgresHourly: {
        'db.t4g.medium': 0.073,
        'db.r6g.large': 0.26,
        'db.r6g.xlarge': 0.519,
        'db.r6i.large': 0.29,
        'db.t4g.large': 0.146,
        'db.r7g.large': 0.276,
        'db.r7g.xlarge': 0.552,
        'db.r7g.2xlarge': 1.104,
      },
      eksClusterHourly: 0.1,
      eksClusterExtendedHourly: 0.6,
      natGatewayHourly: 0.045,
      albHourly: 0.0225,
      albLcuHourly: 0.008,
      rdsStorageGbMonth: 0.115,
      auroraStorageGbMonth: 0.1,
      ebsGp3GbMonth: 0.08,
      backupStorageGbMonth: 0.095,
      interRegionTransferGb: 0.02,
    },
    'eu-central-1': {
      ec2Hourly: {
        't3.small': 0.024,
        't3.medium': 0.048,
        't3.large': 0.096,
        't3.xlarge': 0.192,
        'm5.large': 0.115,
        'm5.xlarge': 0.23,
        'm6i.large': 0.115,
        'm6i.xlarge': 0.23,
        'm6i.2xlarge': 0.46,
        'm7i.large': 0.121,
        'm7i.xlarge': 0.2415,
        'c6i.large': 0.097,
        'c6i.xlarge': 0.194,
        'r6i.large': 0.152,
        'r6i.xlarge': 0.304,
        't4g.medium': 0.0384,
        't4g.large': 0.0768,
        't4g.xlarge': 0.1536,
        'm7g.large': 0.0956,
        'm7g.xlarge': 0.1912,
        'c7g.large': 0.0858,
        'c7g.xlarge': 0.1716,
        'r7g.large': 0.127,
      },
      rdsPostgresHourly: {
        'db.t3.micro': 0.021,
        'db.t3.small': 0.042,
        'db.t3.medium': 0.084,
        'db.t4g.micro': 0.019,
        'db.t4g.small': 0.037,
        'db.t4g.medium': 0.076,
        'db.m5.large': 0.212,
        'db.m6i.large': 0.212,
        'db.m6i.xlarge': 0.424,
        'db.m6g.large': 0.189,
        'db.r6g.large': 0.268,
        'db.r6i.large': 0.298,
        'db.t4g.large': 0.152,
        'db.r7g.large': 0.285,
        'db.r7g.xlarge': 0.57,
        'db.r7g.2xlarge': 1.14,
      },
      auroraPostgresHourly: {
        'db.t4g.medium': 0.087,
        'db.r6g.large': 0.31,
        'db.r6g.xlarge': 0.62,
        'db.r6i.large': 0.345,
        'db.t4g.large': 0.174,
        'db.r7g.large': 0.33,
        'db.r7g.xlarge': 0.66,
        'db.r7g.2xlarge': 1.32,
      },
      eksClusterHourly: 0.1,
      eksClusterExtendedHourly: 0.6,
      natGatewayHourly: 0.052,
      albHourly: 0.027,
      albLcuHourly: 0.008,
      rdsStorageGbMonth: 0.137,
      auroraStorageGbMonth: 0.119,
      ebsGp3GbMonth: 0.0952,
      backupStorageGbMonth: 0.095,
      interRegionTransferGb: 0.02,
    },
  },
};

export const FALLBACK_PRICE_REGION = 'us-east-1';

/**
 * Spot instances are billed at the market price; this fraction of the on-demand price is a planning assumption
 * close to the long-run average discount for general-purpose types.
 */
export const SPOT_PRICE_FRACTION = 0.35;
/** Root volume of every EKS node (GB, gp3). */
export const NODE_ROOT_VOLUME_GB = 20;
/** Customer-managed KMS keys an environment creates (data, logs, EKS secrets). */
export const ENVIRONMENT_KMS_KEYS = 3;
/** Secrets an environment keeps in Secrets Manager (database credentials, origin header). */
export const ENVIRONMENT_SECRETS = 2;
/** CloudWatch alarms the observability layer creates. */
export const ENVIRONMENT_ALARMS = 8;
/** AWS managed rule groups in the WAF web ACL (each bills as a rule). */
export const WAF_MANAGED_RULE_GROUPS = 4;

/** The options of the New AWS environment form that move the bill. Every field is optional: forms fill in steps. */
export interface CostEstimateInput {
  /** dev, staging or prod; prod always runs a Multi-AZ standby, as the data layer enforces. */
  stage?: string;
  region?: string;
  azCount?: number;
  natGateways?: 'single' | 'per-az';
  /** `mixed` runs the frontend nodes on spot and the API (backend) nodes on-demand. */
  nodeStrategy?: 'on-demand' | 'spot' | 'mixed';
  frontendInstanceType?: string;
  backendInstanceType?: string;
  frontendNodes?: { min?: number; max?: number; desired?: number };
  backendNodes?: { min?: number; max?: number; desired?: number };
  databaseEngine?: 'rds-postgresql' | 'aurora-postgresql';
  databaseInstanceClass?: string;
  databaseStorageGb?: number;
  multiAz?: boolean;
  readReplica?: boolean;
  drCopyRegion?: string;
  enableWaf?: boolean;
  /** Kubernetes version of the cluster, e.g. `1.31`; only named in the control plane's line item. */
  kubernetesVersion?: string;
  /**
   * Support phase of that version today, as `GET /aws-versions` reports it. EKS bills a cluster on a version in
   * extended support at a higher hourly price; without a phase the control plane is priced as standard support.
   */
  kubernetesVersionPhase?: SupportPhase;
}

/** What the estimate is priced from. */
export interface CostEstimateOptions {
  /**
   * List prices of the environment's Region as the insights backend serves them (`GET /prices/:region`). Used only
   * when they are for the Region asked for; otherwise, or when absent, the estimate uses {@link PRICE_TABLE}.
   */
  prices?: RegionPricesResponse;
  /** The same for the disaster-recovery Region (`drCopyRegion`); without it that Region is priced from the table. */
  drCopyPrices?: RegionPricesResponse;
}

export type CostLineCategory =
  | 'network'
  | 'compute'
  | 'database'
  | 'edge'
  | 'security'
  | 'observability'
  | 'backup';

export interface CostLineItem {
  /** Stable key, e.g. `compute.frontend-nodes`. */
  key: string;
  category: CostLineCategory;
  label: string;
  /** How the figure was reached, e.g. `2 × t3.medium × 730 h × $0.048`. */
  detail: string;
  monthly: number;
}

export interface CostEstimate {
  currency: 'USD';
  /** Region asked for. */
  region: string;
  /** Region whose prices were used (differs from `region` when that one is not in the table). */
  pricedAs: string;
  /** Day (YYYY-MM-DD) or month (YYYY-MM) the prices were taken. */
  pricesAsOf: string;
  /**
   * Where the prices came from: `aws` (read from the Price List API by the backend), `simulated` (the simulated
   * organization's snapshot) or `snapshot` (the table shipped with the portal).
   */
  pricesSource: FactSource;
  lineItems: CostLineItem[];
  /** Sum of the line items, at the desired node counts. */
  total: number;
  /** Total with every node group at its maximum size. */
  totalAtMaxScale: number;
  /** Things the estimate could not price or had to assume. */
  notes: string[];
}

/** The New AWS environment template's defaults, used for options the form has not filled in yet. */
const DEFAULTS = {
  region: 'eu-central-1',
  azCount: 2,
  natGateways: 'single',
  nodeStrategy: 'mixed',
  frontendInstanceType: 't4g.medium',
  backendInstanceType: 't4g.large',
  frontendNodes: { min: 1, max: 4, desired: 2 },
  backendNodes: { min: 1, max: 4, desired: 2 },
  databaseEngine: 'rds-postgresql',
  databaseInstanceClass: 'db.t4g.medium',
  databaseStorageGb: 20,
  multiAz: false,
  readReplica: false,
  drCopyRegion: '',
  enableWaf: false,
} as const;

function roundCents(value: number): number {
  return Math.round(value * 100) / 100;
}

function usd(value: number): string {
  return `$${value.toLocaleString('en-US', { maximumFractionDigits: 4 })}`;
}

function nonNegative(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
    ? value
    : fallback;
}

interface PricesInUse {
  prices: RegionPrices;
  pricedAs: string;
  source: FactSource;
  asOf: string;
}

/** The shipped table's prices of a Region, or of the fallback Region when it has none. */
function tablePricesFor(region: string): PricesInUse {
  const prices = PRICE_TABLE.regions[region];
  const pricedAs = prices ? region : FALLBACK_PRICE_REGION;
  return {
    prices: prices ?? PRICE_TABLE.regions[FALLBACK_PRICE_REGION],
    pricedAs,
    source: 'snapshot',
    asOf: PRICE_TABLE.asOf,
  };
}

const SCALAR_PRICE_KEYS = [
  'eksClusterHourly',
  'eksClusterExtendedHourly',
  'natGatewayHourly',
  'albHourly',
  'albLcuHourly',
  'rdsStorageGbMonth',
  'auroraStorageGbMonth',
  'ebsGp3GbMonth',
  'backupStorageGbMonth',
  'interRegionTransferGb',
] as const;
const PER_TYPE_PRICE_KEYS = [
  'ec2Hourly',
  'rdsPostgresHourly',
  'auroraPostgresHourly',
] as const;

function isPrice(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** Whether prices that arrived over the network have every figure the estimate reads. */
function isCompleteRegionPrices(prices: unknown): prices is RegionPrices {
  if (!prices || typeof prices !== 'object') {
    return false;
  }
  const record = prices as Record<string, unknown>;
  return (
    SCALAR_PRICE_KEYS.every(key => isPrice(record[key])) &&
    PER_TYPE_PRICE_KEYS.every(key => {
      const perType = record[key];
      return (
        !!perType &&
        typeof perType === 'object' &&
        Object.values(perType).every(isPrice)
      );
    })
  );
}

/**
 * The prices to use for a Region: the backend's when they are for that Region and complete, else the table's.
 * Prices for another Region (a form whose Region changed while they loaded) are ignored rather than misapplied.
 */
function pricesFor(
  region: string,
  given: RegionPricesResponse | undefined,
  notes: string[],
): PricesInUse {
  if (given && given.region === region) {
    if (isCompleteRegionPrices(given.prices)) {
      return {
        prices: given.prices,
        pricedAs: given.pricedRegion || region,
        source: given.source,
        asOf: given.asOf,
      };
    }
    notes.push(
      `The prices read for ${region} were incomplete; the estimate uses the portal's price table of ${PRICE_TABLE.asOf}.`,
    );
  }
  return tablePricesFor(region);
}

/**
 * Estimates the monthly cost of an environment from the options of the New AWS environment form.
 * Pure: the same input and prices always give the same line items, so the form can recompute it on every change.
 *
 * @param input - the form's options; any may be missing.
 * @param options - the list prices to use (`GET /prices/:region`); without them the shipped {@link PRICE_TABLE}.
 */
export function estimateMonthlyCost(
  input: CostEstimateInput,
  options: CostEstimateOptions = {},
): CostEstimate {
  const region = input.region || DEFAULTS.region;
  const notes: string[] = [];
  const lineItems: CostLineItem[] = [];
  const { prices, pricedAs, source, asOf } = pricesFor(
    region,
    options.prices,
    notes,
  );
  const { global } = PRICE_TABLE;

  if (pricedAs !== region) {
    notes.push(
      `No prices recorded for ${region}; priced as ${pricedAs}. Actual prices differ by Region.`,
    );
  }

  const add = (item: CostLineItem) =>
    lineItems.push({ ...item, monthly: roundCents(item.monthly) });

  // Network
  const azCount =
    nonNegative(input.azCount, DEFAULTS.azCount) || DEFAULTS.azCount;
  const natCount =
    (input.natGateways ?? DEFAULTS.natGateways) === 'per-az' ? azCount : 1;
  add({
    key: 'network.nat-gateways',
    category: 'network',
    label: natCount === 1 ? 'NAT gateway' : `NAT gateways (one per AZ)`,
    detail: `${natCount} × ${HOURS_PER_MONTH} h × ${usd(
      prices.natGatewayHourly,
    )}`,
    monthly: natCount * HOURS_PER_MONTH * prices.natGatewayHourly,
  });

  // Compute: EKS bills the control plane per cluster-hour, at a higher price while its version is in extended support.
  const version = input.kubernetesVersion
    ? `Kubernetes ${input.kubernetesVersion}`
    : 'the Kubernetes version';
  const extended = input.kubernetesVersionPhase === 'extended';
  const controlPlaneHourly = extended
    ? prices.eksClusterExtendedHourly
    : prices.eksClusterHourly;
  if (input.kubernetesVersionPhase === 'unsupported') {
    notes.push(
      `EKS no longer supports ${version} and does not create clusters on it; the control plane is priced as standard support.`,
    );
  }
  add({
    key: 'compute.eks-cluster',
    category: 'compute',
    label: extended
      ? 'EKS control plane (extended support)'
      : 'EKS control plane',
    detail: `${HOURS_PER_MONTH} h × ${usd(controlPlaneHourly)}${
      extended
        ? ` (${version} is in extended support; standard support is ${usd(
            prices.eksClusterHourly,
          )})`
        : ''
    }`,
    monthly: HOURS_PER_MONTH * controlPlaneHourly,
  });

  const strategy = input.nodeStrategy ?? DEFAULTS.nodeStrategy;
  const onSpot = (group: 'frontend' | 'backend') =>
    strategy === 'spot' || (strategy === 'mixed' && group === 'frontend');
  if (strategy !== 'on-demand') {
    notes.push(
      `Spot capacity priced at ${Math.round(
        SPOT_PRICE_FRACTION * 100,
      )}% of on-demand; the market price varies.`,
    );
  }

  let maxScaleExtra = 0;
  const nodeGroup = (
    key: 'frontend' | 'backend',
    instanceType: string,
    nodes: CostEstimateInput['frontendNodes'],
    defaults: { min: number; max: number; desired: number },
  ) => {
    const desired = nonNegative(nodes?.desired, defaults.desired);
    const max = Math.max(nonNegative(nodes?.max, defaults.max), desired);
    const hourly = prices.ec2Hourly[instanceType];
    const priceFactor = onSpot(key) ? SPOT_PRICE_FRACTION : 1;
    if (hourly === undefined) {
      notes.push(
        `No price recorded for ${instanceType} in ${pricedAs}; the ${key} nodes are not included.`,
      );
      return;
    }
    const perNodeMonthly =
      HOURS_PER_MONTH * hourly * priceFactor +
      NODE_ROOT_VOLUME_GB * prices.ebsGp3GbMonth;
    const strategyLabel = onSpot(key) ? 'spot' : 'on-demand';
    add({
      key: `compute.${key}-nodes`,
      category: 'compute',
      label: `${
        key === 'frontend' ? 'Frontend' : 'Backend'
      } nodes (${strategyLabel})`,
      detail: `${desired} × ${instanceType} × ${HOURS_PER_MONTH} h × ${usd(
        hourly,
      )}${
        priceFactor < 1 ? ` × ${roundCents(priceFactor)}` : ''
      } + ${NODE_ROOT_VOLUME_GB} GB gp3 each`,
      monthly: desired * perNodeMonthly,
    });
    maxScaleExtra += (max - desired) * perNodeMonthly;
  };
  nodeGroup(
    'frontend',
    input.frontendInstanceType || DEFAULTS.frontendInstanceType,
    input.frontendNodes,
    DEFAULTS.frontendNodes,
  );
  nodeGroup(
    'backend',
    input.backendInstanceType || DEFAULTS.backendInstanceType,
    input.backendNodes,
    DEFAULTS.backendNodes,
  );

  // Database
  const engine = input.databaseEngine ?? DEFAULTS.databaseEngine;
  const instanceClass =
    input.databaseInstanceClass || DEFAULTS.databaseInstanceClass;
  const storageGb = nonNegative(
    input.databaseStorageGb,
    DEFAULTS.databaseStorageGb,
  );
  const multiAz = input.stage === 'prod' || (input.multiAz ?? DEFAULTS.multiAz);
  const readReplica = input.readReplica ?? DEFAULTS.readReplica;

  if (engine === 'aurora-postgresql') {
    const hourly = prices.auroraPostgresHourly[instanceClass];
    // An Aurora cluster is Multi-AZ by placing a second instance in another AZ; a read replica is one more.
    const instances = 1 + (multiAz ? 1 : 0) + (readReplica ? 1 : 0);
    if (hourly === undefined) {
      notes.push(
        `No Aurora PostgreSQL price recorded for ${instanceClass} in ${pricedAs}; the database instances are not included.`,
      );
    } else {
      add({
        key: 'database.instances',
        category: 'database',
        label: `Aurora PostgreSQL instances`,
        detail: `${instances} × ${instanceClass} × ${HOURS_PER_MONTH} h × ${usd(
          hourly,
        )}`,
        monthly: instances * HOURS_PER_MONTH * hourly,
      });
    }
    add({
      key: 'database.storage',
      category: 'database',
      label: 'Aurora storage',
      detail: `${storageGb} GB × ${usd(
        prices.auroraStorageGbMonth,
      )} (I/O not included)`,
      monthly: storageGb * prices.auroraStorageGbMonth,
    });
  } else {
    const hourly = prices.rdsPostgresHourly[instanceClass];
    const azFactor = multiAz ? 2 : 1;
    if (hourly === undefined) {
      notes.push(
        `No RDS PostgreSQL price recorded for ${instanceClass} in ${pricedAs}; the database instance is not included.`,
      );
    } else {
      add({
        key: 'database.primary',
        category: 'database',
        label: `RDS PostgreSQL${multiAz ? ' (Multi-AZ)' : ''}`,
        detail: `${instanceClass} × ${HOURS_PER_MONTH} h × ${usd(hourly)}${
          multiAz ? ' × 2' : ''
        }`,
        monthly: HOURS_PER_MONTH * hourly * azFactor,
      });
      if (readReplica) {
        add({
          key: 'database.read-replica',
          category: 'database',
          label: 'Read replica',
          detail: `${instanceClass} × ${HOURS_PER_MONTH} h × ${usd(hourly)}`,
          monthly: HOURS_PER_MONTH * hourly,
        });
      }
    }
    const storageCopies = azFactor + (readReplica ? 1 : 0);
    add({
      key: 'database.storage',
      category: 'database',
      label: 'Database storage (gp3)',
      detail: `${storageGb} GB × ${usd(prices.rdsStorageGbMonth)}${
        storageCopies > 1 ? ` × ${storageCopies}` : ''
      }`,
      monthly: storageGb * prices.rdsStorageGbMonth * storageCopies,
    });
  }

  // Backups: automated backups up to the database size are free; AWS Backup keeps about one full copy.
  add({
    key: 'backup.vault',
    category: 'backup',
    label: 'AWS Backup storage',
    detail: `~${storageGb} GB × ${usd(prices.backupStorageGbMonth)}`,
    monthly: storageGb * prices.backupStorageGbMonth,
  });
  const drRegion = input.drCopyRegion ?? DEFAULTS.drCopyRegion;
  if (drRegion) {
    const { prices: drPrices, pricedAs: drPricedAs } = pricesFor(
      drRegion,
      options.drCopyPrices,
      notes,
    );
    if (drPricedAs !== drRegion) {
      notes.push(
        `No prices recorded for ${drRegion}; its backup copy is priced as ${drPricedAs}.`,
      );
    }
    add({
      key: 'backup.dr-copy',
      category: 'backup',
      label: `Backup copy to ${drRegion}`,
      detail: `~${storageGb} GB × (${usd(
        drPrices.backupStorageGbMonth,
      )} storage + ${usd(prices.interRegionTransferGb)} transfer)`,
      monthly:
        storageGb *
        (drPrices.backupStorageGbMonth + prices.interRegionTransferGb),
    });
  }

  // Edge
  add({
    key: 'edge.alb',
    category: 'edge',
    label: 'Application Load Balancer',
    detail: `${HOURS_PER_MONTH} h × (${usd(prices.albHourly)} + 1 LCU × ${usd(
      prices.albLcuHourly,
    )})`,
    monthly: HOURS_PER_MONTH * (prices.albHourly + prices.albLcuHourly),
  });
  if (input.enableWaf ?? DEFAULTS.enableWaf) {
    add({
      key: 'edge.waf',
      category: 'edge',
      label: 'WAF web ACL',
      detail: `${usd(
        global.wafWebAclMonth,
      )} + ${WAF_MANAGED_RULE_GROUPS} managed rule groups × ${usd(
        global.wafRuleMonth,
      )} (requests not included)`,
      monthly:
        global.wafWebAclMonth + WAF_MANAGED_RULE_GROUPS * global.wafRuleMonth,
    });
  }

  // Security and observability
  add({
    key: 'security.kms-secrets',
    category: 'security',
    label: 'KMS keys and secrets',
    detail: `${ENVIRONMENT_KMS_KEYS} keys × ${usd(
      global.kmsKeyMonth,
    )} + ${ENVIRONMENT_SECRETS} secrets × ${usd(global.secretMonth)}`,
    monthly:
      ENVIRONMENT_KMS_KEYS * global.kmsKeyMonth +
      ENVIRONMENT_SECRETS * global.secretMonth,
  });
  add({
    key: 'observability.alarms',
    category: 'observability',
    label: 'CloudWatch alarms',
    detail: `${ENVIRONMENT_ALARMS} × ${usd(global.alarmMonth)}`,
    monthly: ENVIRONMENT_ALARMS * global.alarmMonth,
  });

  notes.push(
    'Not included: data transfer, CloudFront and WAF requests, logs, and load balancer capacity beyond one LCU.',
  );

  const total = roundCents(
    lineItems.reduce((sum, item) => sum + item.monthly, 0),
  );
  return {
    currency: PRICE_TABLE.currency,
    region,
    pricedAs,
    pricesAsOf: asOf,
    pricesSource: source,
    lineItems,
    total,
    totalAtMaxScale: roundCents(total + maxScaleExtra),
    notes,
  };
}
