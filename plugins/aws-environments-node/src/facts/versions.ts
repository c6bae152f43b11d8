/**
 * The Kubernetes and PostgreSQL versions AWS offers in one account and Region, read at run time: EKS
 * `DescribeClusterVersions`, RDS `DescribeDBEngineVersions` and `DescribeDBMajorEngineVersions`. With them:
 * where a running version stands in AWS's support calendar (`lifecycleOf`), and the sentence that refuses a version
 * AWS will not create (`checkKubernetesVersion`, `checkDatabaseVersion`).
 */
import {
  EKSClient,
  paginateDescribeClusterVersions,
  type ClusterVersionInformation,
} from '@aws-sdk/client-eks';
import {
  DescribeDBEngineVersionsCommand,
  RDSClient,
  paginateDescribeDBEngineVersions,
  paginateDescribeDBMajorEngineVersions,
  type DBEngineVersion,
  type DBMajorEngineVersion,
} from '@aws-sdk/client-rds';
import {
  FALLBACK_PRICE_REGION,
  HOURS_PER_MONTH,
  PRICE_TABLE,
  type AwsVersionsResponse,
  type ComponentLifecycle,
  type DatabaseEngine,
  type DatabaseEngineVersionInfo,
  type EksControlPlanePrices,
  type EnvironmentLifecycle,
  type FactSource,
  type KubernetesVersionInfo,
  type SectionMeta,
  type SupportPhase,
} from '@internal/plugin-aws-environments-common';
import type { AwsClientFactory, AwsTarget } from '../types';
import {
  SNAPSHOT_DATABASE_ENGINES,
  engineVersionRecords,
  snapshotClusterVersions,
  toDbEngineVersion,
  toDbMajorEngineVersion,
} from './snapshotResponses';
import {
  VERSION_SNAPSHOT,
  VERSION_SNAPSHOT_DATE,
  startOfDay,
} from './versionSnapshot';

/** What AWS offers in one account and Region: the `GET /aws-versions` answer without its collection metadata. */
export type AwsVersions = Omit<AwsVersionsResponse, keyof SectionMeta>;

export const DATABASE_ENGINES: DatabaseEngine[] = [
  'postgres',
  'aurora-postgresql',
];

const DAY_MS = 86_400_000;

/** Orders dotted version numbers numerically (`1.9` before `1.10`, `9.6` before `10`). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map(p => Number.parseInt(p, 10));
  const pb = b.split(/[.-]/).map(p => Number.parseInt(p, 10));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = Number.isNaN(pa[i]) ? -1 : pa[i] ?? -1;
    const y = Number.isNaN(pb[i]) ? -1 : pb[i] ?? -1;
    if (x !== y) return x - y;
  }
  return 0;
}

const newestFirst = <T extends { version: string }>(items: T[]) =>
  [...items].sort((a, b) => compareVersions(b.version, a.version));

/** `2026-11-26` from a date; EKS and RDS dates are read as UTC days, as their calendars state them. */
function toDay(value: Date | string | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime())
    ? undefined
    : date.toISOString().slice(0, 10);
}

function dayStart(day: string | undefined): number | undefined {
  return day ? startOfDay(day) : undefined;
}

/**
 * The support phase on `now` from the two end dates: extended support is billed from the start of the day standard
 * support ends, and nothing is created from the day extended support ends.
 */
function phaseOn(
  now: Date,
  endOfStandardSupport: string | undefined,
  endOfExtendedSupport: string | undefined,
  fallback: SupportPhase | 'unknown',
): SupportPhase | 'unknown' {
  const at = now.getTime();
  const extendedEnd = dayStart(endOfExtendedSupport);
  const standardEnd = dayStart(endOfStandardSupport);
  if (extendedEnd !== undefined && at >= extendedEnd) return 'unsupported';
  if (standardEnd !== undefined && at >= standardEnd) return 'extended';
  if (standardEnd !== undefined) return 'standard';
  return fallback;
}

const EKS_STATUS_PHASES: Record<string, SupportPhase> = {
  STANDARD_SUPPORT: 'standard',
  EXTENDED_SUPPORT: 'extended',
  UNSUPPORTED: 'unsupported',
  'standard-support': 'standard',
  'extended-support': 'extended',
  unsupported: 'unsupported',
};

/** One entry of `DescribeClusterVersions` as the portal keeps it, its phase computed for `now`. */
export function toKubernetesVersionInfo(
  entry: ClusterVersionInformation,
  now: Date,
): KubernetesVersionInfo | undefined {
  if (!entry.clusterVersion) return undefined;
  const status = String(entry.versionStatus ?? entry.status ?? 'UNKNOWN');
  const endOfStandardSupport = toDay(entry.endOfStandardSupportDate);
  const endOfExtendedSupport = toDay(entry.endOfExtendedSupportDate);
  const phase = phaseOn(
    now,
    endOfStandardSupport,
    endOfExtendedSupport,
    EKS_STATUS_PHASES[status] ?? 'unsupported',
  );
  return {
    version: entry.clusterVersion,
    status,
    phase: phase === 'unknown' ? 'unsupported' : phase,
    releaseDate: toDay(entry.releaseDate),
    endOfStandardSupport,
    endOfExtendedSupport,
    ...(entry.defaultVersion ? { defaultVersion: true } : {}),
  };
}

/** The Kubernetes versions EKS creates clusters on, newest first (`unsupported` ones left out). */
export function kubernetesVersionsFrom(
  entries: ClusterVersionInformation[],
  now: Date,
): KubernetesVersionInfo[] {
  const byVersion = new Map<string, KubernetesVersionInfo>();
  for (const entry of entries) {
    const info = toKubernetesVersionInfo(entry, now);
    if (info && info.phase !== 'unsupported') byVersion.set(info.version, info);
  }
  return newestFirst([...byVersion.values()]);
}

/** The engine versions RDS creates, newest first, with their major version's support dates. */
export function databaseVersionsFrom(
  engine: DatabaseEngine,
  versions: DBEngineVersion[],
  majors: DBMajorEngineVersion[],
  defaults: ReadonlySet<string>,
): DatabaseEngineVersionInfo[] {
  const lifecycle = new Map(
    majors
      .filter(m => m.Engine === engine && m.MajorEngineVersion)
      .map(m => {
        const end = (name: string) =>
          toDay(
            m.SupportedEngineLifecycles?.find(
              l => l.LifecycleSupportName === name,
            )?.LifecycleSupportEndDate,
          );
        return [
          m.MajorEngineVersion!,
          {
            endOfStandardSupport: end('open-source-rds-standard-support'),
            endOfExtendedSupport: end('open-source-rds-extended-support'),
          },
        ] as const;
      }),
  );
  const byVersion = new Map<string, DatabaseEngineVersionInfo>();
  for (const v of versions) {
    // Only what RDS lets anyone create today: `available`, not `deprecated`.
    if (!v.EngineVersion || v.Engine !== engine) continue;
    if (v.Status && v.Status !== 'available') continue;
    const majorVersion = v.MajorEngineVersion ?? v.EngineVersion.split('.')[0];
    const dates = lifecycle.get(majorVersion);
    byVersion.set(v.EngineVersion, {
      engine,
      version: v.EngineVersion,
      majorVersion,
      ...(defaults.has(v.EngineVersion) ? { defaultForMajor: true } : {}),
      upgradeTargets: (v.ValidUpgradeTarget ?? [])
        .map(t => t.EngineVersion)
        .filter((t): t is string => Boolean(t)),
      ...(dates?.endOfStandardSupport && {
        endOfStandardSupport: dates.endOfStandardSupport,
      }),
      ...(dates?.endOfExtendedSupport && {
        endOfExtendedSupport: dates.endOfExtendedSupport,
      }),
    });
  }
  return newestFirst([...byVersion.values()]);
}

/**
 * The EKS control-plane prices of the shipped price table for a Region (its fallback Region when not priced), until
 * the Price List API's prices are passed in.
 */
export function snapshotEksPrices(
  region: string,
  source: FactSource = 'snapshot',
): EksControlPlanePrices {
  const prices =
    PRICE_TABLE.regions[region] ?? PRICE_TABLE.regions[FALLBACK_PRICE_REGION];
  return {
    standardHourly: prices.eksClusterHourly,
    extendedHourly: prices.eksClusterExtendedHourly,
    source,
    asOf: /^\d{4}-\d{2}$/.test(PRICE_TABLE.asOf)
      ? `${PRICE_TABLE.asOf}-01`
      : PRICE_TABLE.asOf,
  };
}

export interface ReadAwsVersionsOptions {
  /** The day the phases are computed for; now when absent. */
  now?: Date;
  /** EKS control-plane prices of the Region (e.g. from the Price List API); the shipped price table when absent. */
  eksPricing?: EksControlPlanePrices;
}

/**
 * Reads what AWS offers in one account and Region through the factory: every page of EKS `DescribeClusterVersions`,
 * RDS `DescribeDBEngineVersions` (creatable versions of `postgres` and `aurora-postgresql`, and each major version's
 * default minor version) and `DescribeDBMajorEngineVersions` (standard and extended support end dates). In simulated
 * mode the simulated organization answers from the dated snapshot, and the answer says so (`source`).
 */
export async function readAwsVersions(
  factory: AwsClientFactory,
  target: AwsTarget,
  options: ReadAwsVersionsOptions = {},
): Promise<AwsVersions> {
  const now = options.now ?? new Date();
  const [eks, rds] = await Promise.all([
    factory.getClient(EKSClient, target),
    factory.getClient(RDSClient, target),
  ]);
  const [clusterVersions, postgres, aurora] = await Promise.all([
    readClusterVersions(eks),
    readEngine(rds, 'postgres'),
    readEngine(rds, 'aurora-postgresql'),
  ]);
  const source: FactSource = factory.mode === 'simulated' ? 'simulated' : 'aws';
  return {
    accountId: target.accountId,
    region: target.region,
    source,
    ...(source === 'simulated' ? { snapshotDate: VERSION_SNAPSHOT_DATE } : {}),
    kubernetes: kubernetesVersionsFrom(clusterVersions, now),
    databases: { postgres, 'aurora-postgresql': aurora },
    eksPricing:
      options.eksPricing ??
      snapshotEksPrices(
        target.region,
        source === 'simulated' ? 'simulated' : 'snapshot',
      ),
  };
}

async function readClusterVersions(
  client: EKSClient,
): Promise<ClusterVersionInformation[]> {
  const entries: ClusterVersionInformation[] = [];
  for await (const page of paginateDescribeClusterVersions(
    { client },
    { clusterType: 'eks' },
  )) {
    entries.push(...(page.clusterVersions ?? []));
  }
  return entries;
}

async function readEngine(
  client: RDSClient,
  engine: DatabaseEngine,
): Promise<DatabaseEngineVersionInfo[]> {
  const versions: DBEngineVersion[] = [];
  for await (const page of paginateDescribeDBEngineVersions(
    { client },
    { Engine: engine, IncludeAll: false },
  )) {
    versions.push(...(page.DBEngineVersions ?? []));
  }
  const majors: DBMajorEngineVersion[] = [];
  for await (const page of paginateDescribeDBMajorEngineVersions(
    { client },
    { Engine: engine },
  )) {
    majors.push(...(page.DBMajorEngineVersions ?? []));
  }
  // RDS marks no version as default in the list; it answers the default of a major version when asked for it.
  const majorVersions = [
    ...new Set(
      versions
        .filter(v => !v.Status || v.Status === 'available')
        .map(v => v.MajorEngineVersion ?? v.EngineVersion?.split('.')[0])
        .filter((m): m is string => Boolean(m)),
    ),
  ];
  const defaults = new Set<string>();
  await Promise.all(
    majorVersions.map(async major => {
      const { DBEngineVersions } = await client.send(
        new DescribeDBEngineVersionsCommand({
          Engine: engine,
          EngineVersion: major,
          DefaultOnly: true,
        }),
      );
      const version = DBEngineVersions?.[0]?.EngineVersion;
      if (version) defaults.add(version);
    }),
  );
  return databaseVersionsFrom(engine, versions, majors, defaults);
}

// ---------------------------------------------------------------- checks

/** How the portal names an engine to a person. */
export const DATABASE_ENGINE_TITLES: Record<DatabaseEngine, string> = {
  postgres: 'PostgreSQL',
  'aurora-postgresql': 'Aurora PostgreSQL',
};

/** The AWS engine of the blueprint's `databaseEngine` choice. */
export function awsDatabaseEngine(
  databaseEngine: 'rds-postgresql' | 'aurora-postgresql' | string,
): DatabaseEngine {
  return databaseEngine === 'aurora-postgresql'
    ? 'aurora-postgresql'
    : 'postgres';
}

/** Extra cost per month of a cluster in extended support, in USD (cents rounded). */
export function extendedSupportMonthly(prices: EksControlPlanePrices): number {
  return (
    Math.round(
      (prices.extendedHourly - prices.standardHourly) * HOURS_PER_MONTH * 100,
    ) / 100
  );
}

function usd(amount: number): string {
  return Number.isInteger(amount)
    ? `$${amount.toLocaleString('en-US')}`
    : `$${amount.toLocaleString('en-US', {
        minimumFractionDigits: 2,
        maximumFractionDigits: 2,
      })}`;
}

function kubernetesPhaseNow(
  info: KubernetesVersionInfo,
  now: Date,
): SupportPhase {
  const phase = phaseOn(
    now,
    info.endOfStandardSupport,
    info.endOfExtendedSupport,
    info.phase,
  );
  return phase === 'unknown' ? info.phase : phase;
}

function joinList(items: string[]): string {
  return items.join(', ');
}

/**
 * Undefined when EKS creates clusters on `version` in the account and Region of `versions`; otherwise the sentence a
 * person reads, listing the versions EKS offers, e.g. "Kubernetes 1.31 cannot be created in eu-central-1: EKS offers
 * 1.35, 1.34 (extended support, +$365/month), 1.33 (extended support, +$365/month)."
 */
export function checkKubernetesVersion(
  version: string,
  versions: Pick<AwsVersions, 'region' | 'kubernetes' | 'eksPricing'>,
  now: Date = new Date(),
): string | undefined {
  const offered = versions.kubernetes
    .map(info => ({ info, phase: kubernetesPhaseNow(info, now) }))
    .filter(({ phase }) => phase !== 'unsupported');
  if (offered.some(({ info }) => info.version === version)) return undefined;
  if (offered.length === 0) {
    return `Kubernetes ${version} cannot be created in ${versions.region}: EKS lists no version it creates clusters on there.`;
  }
  const surcharge = usd(extendedSupportMonthly(versions.eksPricing));
  const listed = offered.map(({ info, phase }) =>
    phase === 'extended'
      ? `${info.version} (extended support, +${surcharge}/month)`
      : info.version,
  );
  return `Kubernetes ${version} cannot be created in ${
    versions.region
  }: EKS offers ${joinList(listed)}.`;
}

/** Whether `version` asks for a major version only (`17`), which RDS resolves to its default minor version. */
function isMajorOnly(version: string): boolean {
  return /^\d+$/.test(version);
}

/**
 * Undefined when RDS creates a database of `engine` on `version` (a minor version it lists, or a major version it
 * has a creatable minor version of) in the account and Region of `versions`; otherwise the sentence a person reads,
 * listing what RDS offers, e.g. "PostgreSQL 16.6 cannot be created in eu-central-1: RDS offers 18.1, 17.7, 16.11."
 */
export function checkDatabaseVersion(
  engine: DatabaseEngine,
  version: string,
  versions: Pick<AwsVersions, 'region' | 'databases'>,
  now: Date = new Date(),
): string | undefined {
  const offered = versions.databases[engine] ?? [];
  const accepted = isMajorOnly(version)
    ? offered.some(v => v.majorVersion === version)
    : offered.some(v => v.version === version);
  if (accepted) return undefined;
  const title = DATABASE_ENGINE_TITLES[engine];
  const service = engine === 'aurora-postgresql' ? 'Aurora' : 'RDS';
  if (offered.length === 0) {
    return `${title} ${version} cannot be created in ${versions.region}: ${service} lists no version it creates there.`;
  }
  const listed = offered.map(v =>
    phaseOn(now, v.endOfStandardSupport, v.endOfExtendedSupport, 'standard') ===
    'extended'
      ? `${v.version} (RDS Extended Support, charged extra)`
      : v.version,
  );
  return `${title} ${version} cannot be created in ${
    versions.region
  }: ${service} offers ${joinList(listed)}.`;
}

// ---------------------------------------------------------------- lifecycle

/** The version of one part of an environment: its cluster or one of its databases. */
export type LifecycleComponent =
  | { kind: 'kubernetes'; resource: string; version: string }
  | {
      kind: 'database';
      resource: string;
      engine: DatabaseEngine;
      version: string;
    };

function daysUntil(now: Date, day: string | undefined): number | undefined {
  const end = dayStart(day);
  return end === undefined
    ? undefined
    : Math.max(0, Math.floor((end - now.getTime()) / DAY_MS));
}

function dayCount(days: number): string {
  return days === 1 ? '1 day' : `${days} days`;
}

/** The next newer Kubernetes minor version EKS offers, for the Update template to propose. */
function nextKubernetesVersion(
  version: string,
  offered: KubernetesVersionInfo[],
): string | undefined {
  return offered
    .map(v => v.version)
    .filter(v => compareVersions(v, version) > 0)
    .sort(compareVersions)[0];
}

function kubernetesLifecycle(
  component: Extract<LifecycleComponent, { kind: 'kubernetes' }>,
  versions: Pick<AwsVersions, 'kubernetes' | 'eksPricing'>,
  now: Date,
): ComponentLifecycle {
  const { resource, version } = component;
  const info = versions.kubernetes.find(v => v.version === version);
  const nextVersion = nextKubernetesVersion(version, versions.kubernetes);
  const base = {
    kind: 'kubernetes' as const,
    resource,
    version,
    ...(nextVersion ? { nextVersion } : {}),
  };
  if (!info) {
    // EKS lists every version it still supports; an older one is past the end of extended support.
    const oldest = versions.kubernetes[versions.kubernetes.length - 1];
    if (oldest && compareVersions(version, oldest.version) < 0) {
      return {
        ...base,
        phase: 'unsupported',
        daysLeft: 0,
        summary: `Past the end of EKS support; EKS upgrades the control plane to ${
          nextVersion ?? 'a supported version'
        } automatically`,
      };
    }
    return {
      ...base,
      phase: 'unknown',
      summary: `EKS does not list Kubernetes ${version}, so its support dates are unknown`,
    };
  }
  const phase = kubernetesPhaseNow(info, now);
  const dates = {
    endOfStandardSupport: info.endOfStandardSupport,
    endOfExtendedSupport: info.endOfExtendedSupport,
  };
  if (phase === 'standard') {
    const daysLeft = daysUntil(now, info.endOfStandardSupport);
    return {
      ...base,
      ...dates,
      phase,
      ...(daysLeft !== undefined ? { daysLeft } : {}),
      summary:
        daysLeft === undefined
          ? 'In standard support'
          : `In standard support until ${info.endOfStandardSupport} (${dayCount(
              daysLeft,
            )} left)`,
    };
  }
  if (phase === 'extended') {
    const monthly = extendedSupportMonthly(versions.eksPricing);
    const daysLeft = daysUntil(now, info.endOfExtendedSupport);
    return {
      ...base,
      ...dates,
      phase,
      ...(daysLeft !== undefined ? { daysLeft } : {}),
      extendedSupportMonthly: monthly,
      summary: `In extended support (+${usd(monthly)}/month)${
        daysLeft === undefined
          ? ''
          : `; support ends on ${info.endOfExtendedSupport}, in ${dayCount(
              daysLeft,
            )}`
      }`,
    };
  }
  return {
    ...base,
    ...dates,
    phase,
    daysLeft: 0,
    summary: `Past the end of EKS support on ${
      info.endOfExtendedSupport
    }; EKS upgrades the control plane to ${
      nextVersion ?? 'a supported version'
    } automatically`,
  };
}

/** The version the Update template proposes for a database: the newest upgrade target of the same major, else the next major's. */
function nextDatabaseVersion(
  version: string,
  offered: DatabaseEngineVersionInfo[],
): string | undefined {
  const major = version.split('.')[0];
  const own = offered.find(v => v.version === version);
  const candidates = own
    ? own.upgradeTargets
    : offered.map(v => v.version).filter(v => compareVersions(v, version) > 0);
  const sameMajor = candidates
    .filter(v => v.split('.')[0] === major && compareVersions(v, version) > 0)
    .sort(compareVersions);
  if (sameMajor.length) return sameMajor[sameMajor.length - 1];
  const majors = candidates
    .map(v => v.split('.')[0])
    .filter(m => compareVersions(m, major) > 0)
    .sort(compareVersions);
  const nextMajor = majors[0];
  if (!nextMajor) return undefined;
  const inNextMajor = candidates
    .filter(v => v.split('.')[0] === nextMajor)
    .sort(compareVersions);
  return inNextMajor[inNextMajor.length - 1];
}

function databaseLifecycle(
  component: Extract<LifecycleComponent, { kind: 'database' }>,
  versions: Pick<AwsVersions, 'databases'>,
  now: Date,
): ComponentLifecycle {
  const { resource, engine, version } = component;
  const offered = versions.databases[engine] ?? [];
  const major = version.split('.')[0];
  const ofMajor = offered.find(
    v =>
      v.majorVersion === major &&
      (v.endOfStandardSupport || v.endOfExtendedSupport),
  );
  const nextVersion = nextDatabaseVersion(version, offered);
  const base = {
    kind: 'database' as const,
    resource,
    engine,
    version,
    ...(nextVersion ? { nextVersion } : {}),
  };
  if (!ofMajor) {
    return {
      ...base,
      phase: 'unknown',
      summary: `RDS lists no support dates for ${DATABASE_ENGINE_TITLES[engine]} ${major}`,
    };
  }
  const dates = {
    endOfStandardSupport: ofMajor.endOfStandardSupport,
    endOfExtendedSupport: ofMajor.endOfExtendedSupport,
  };
  const phase = phaseOn(
    now,
    ofMajor.endOfStandardSupport,
    ofMajor.endOfExtendedSupport,
    'unknown',
  );
  if (phase === 'standard') {
    const daysLeft = daysUntil(now, ofMajor.endOfStandardSupport)!;
    return {
      ...base,
      ...dates,
      phase,
      daysLeft,
      summary: `In standard support until ${
        ofMajor.endOfStandardSupport
      } (${dayCount(daysLeft)} left)`,
    };
  }
  if (phase === 'extended') {
    const daysLeft = daysUntil(now, ofMajor.endOfExtendedSupport);
    return {
      ...base,
      ...dates,
      phase,
      ...(daysLeft !== undefined ? { daysLeft } : {}),
      // RDS Extended Support is charged per vCPU-hour of the instances, which the portal does not price.
      summary: `In RDS Extended Support, charged per vCPU-hour${
        daysLeft === undefined
          ? ''
          : `; support ends on ${ofMajor.endOfExtendedSupport}, in ${dayCount(
              daysLeft,
            )}`
      }`,
    };
  }
  if (phase === 'unsupported') {
    return {
      ...base,
      ...dates,
      phase,
      daysLeft: 0,
      summary: `Past the end of RDS Extended Support on ${
        ofMajor.endOfExtendedSupport
      }; RDS upgrades it to ${nextVersion ?? 'a supported version'}`,
    };
  }
  return {
    ...base,
    ...dates,
    phase,
    summary: `RDS lists no support dates for ${DATABASE_ENGINE_TITLES[engine]} ${major}`,
  };
}

/**
 * Where a cluster's Kubernetes version or a database's engine version stands on `now`, from what AWS offers in its
 * account and Region: its phase, the days until that phase ends, the extended-support surcharge per month of a
 * cluster ((extended - standard hourly price) × 730 hours) and the version the Update template proposes next (the
 * next newer Kubernetes minor version; for a database the newest upgrade target within its major version, else the
 * next major version's).
 */
export function lifecycleOf(
  component: LifecycleComponent,
  versions: Pick<AwsVersions, 'kubernetes' | 'databases' | 'eksPricing'>,
  now: Date = new Date(),
): ComponentLifecycle {
  return component.kind === 'kubernetes'
    ? kubernetesLifecycle(component, versions, now)
    : databaseLifecycle(component, versions, now);
}

const PHASE_ORDER: Array<SupportPhase | 'unknown'> = [
  'standard',
  'unknown',
  'extended',
  'unsupported',
];

/** The lifecycle of an environment: its components, the worst phase, the fewest days left and the total surcharge. */
export function environmentLifecycle(
  components: ComponentLifecycle[],
): EnvironmentLifecycle {
  const worst = components.reduce<SupportPhase | 'unknown'>(
    (acc, c) =>
      PHASE_ORDER.indexOf(c.phase) > PHASE_ORDER.indexOf(acc) ? c.phase : acc,
    components.length ? 'standard' : 'unknown',
  );
  const days = components
    .map(c => c.daysLeft)
    .filter((d): d is number => d !== undefined);
  const surcharges = components
    .map(c => c.extendedSupportMonthly)
    .filter((m): m is number => m !== undefined);
  return {
    components,
    worst,
    ...(days.length ? { daysLeft: Math.min(...days) } : {}),
    ...(surcharges.length
      ? {
          extendedSupportMonthly:
            Math.round(surcharges.reduce((a, b) => a + b, 0) * 100) / 100,
        }
      : {}),
  };
}

/** How a component is named in a sentence: "Kubernetes 1.33" or "PostgreSQL 17.7". */
export function componentTitle(component: ComponentLifecycle): string {
  return component.kind === 'kubernetes'
    ? `Kubernetes ${component.version}`
    : `${DATABASE_ENGINE_TITLES[component.engine ?? 'postgres']} ${
        component.version
      }`;
}

/**
 * What the dated snapshot says AWS offers on `now`, in the shape `readAwsVersions` returns (source `snapshot`): the
 * fallback before the first successful read of an account and Region. It is built from the same snapshot responses
 * the simulated organization answers with, so both agree.
 */
export function snapshotAwsVersions(
  target: AwsTarget,
  options: ReadAwsVersionsOptions = {},
): AwsVersions {
  const now = options.now ?? new Date();
  // As EKS lists them without includeAll: the versions it still supports.
  const clusterVersions = snapshotClusterVersions(now.getTime()).filter(
    version => version.versionStatus !== 'UNSUPPORTED',
  ) as ClusterVersionInformation[];
  const databases = Object.fromEntries(
    SNAPSHOT_DATABASE_ENGINES.map(engine => {
      const records = engineVersionRecords().filter(
        record => record.engine === engine && record.available,
      );
      const versions = records.map(toDbEngineVersion) as DBEngineVersion[];
      const majors = VERSION_SNAPSHOT.databases[engine].map(
        toDbMajorEngineVersion,
      ) as DBMajorEngineVersion[];
      const defaults = new Set(
        records.filter(record => record.isDefault).map(record => record.version),
      );
      return [engine, databaseVersionsFrom(engine, versions, majors, defaults)];
    }),
  ) as AwsVersions['databases'];
  return {
    accountId: target.accountId,
    region: target.region,
    source: 'snapshot',
    snapshotDate: VERSION_SNAPSHOT_DATE,
    kubernetes: kubernetesVersionsFrom(clusterVersions, now),
    databases,
    eksPricing: options.eksPricing ?? snapshotEksPrices(target.region),
  };
}

/**
 * Versions read on an earlier day, as they stand on `now`: each Kubernetes version's phase computed again from its
 * dates, and versions EKS no longer creates clusters on left out.
 */
export function versionsOn<T extends Pick<AwsVersions, 'kubernetes'>>(
  versions: T,
  now: Date,
): T {
  return {
    ...versions,
    kubernetes: versions.kubernetes
      .map(info => ({ ...info, phase: kubernetesPhaseNow(info, now) }))
      .filter(info => info.phase !== 'unsupported'),
  };
}
