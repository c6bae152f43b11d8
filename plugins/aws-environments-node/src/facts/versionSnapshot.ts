/**
 * The dated snapshot of the Kubernetes and PostgreSQL versions AWS offers, with their support dates. It is the
 * simulated organization's data (its EKS `DescribeClusterVersions` and RDS `DescribeDBEngineVersions` /
 * `DescribeDBMajorEngineVersions` answer from it) and the insights backend's fallback before its first successful
 * read of an account and Region. Everywhere else the portal reads these facts from AWS at run time.
 *
 * Every fact names the AWS documentation page it was taken from. Where the stored copy of a page was older than
 * {@link VERSION_SNAPSHOT_DATE}, or did not show the fact, the value is derived from the rule the page documents,
 * and the comment says so. Derivations are conservative: a version is listed as creatable only where a page shows
 * it exists and nothing suggests it was retired by the snapshot date, so the snapshot may miss versions AWS added
 * since, never the other way round.
 */
import type { DatabaseEngine } from '@internal/plugin-aws-environments-common';

/** The day the snapshot describes (YYYY-MM-DD). */
export const VERSION_SNAPSHOT_DATE = '2026-12-03';

/** One Kubernetes minor version of EKS and its support calendar (dates are UTC days, YYYY-MM-DD). */
export interface KubernetesVersionFact {
  version: string;
  /** The day EKS made the version available. */
  releaseDate: string;
  /** From this day EKS bills the version's clusters at the extended-support price. */
  endOfStandardSupport: string;
  /** From this day EKS creates no cluster on the version and upgrades existing control planes. */
  endOfExtendedSupport: string;
}

/** One PostgreSQL major version of an RDS engine: its support calendar and the minor versions RDS creates. */
export interface DatabaseMajorVersionFact {
  engine: DatabaseEngine;
  majorVersion: string;
  /** RDS (or Aurora) end of standard support; RDS Extended Support (paid) begins that day. */
  endOfStandardSupport: string;
  /** End of RDS Extended Support. */
  endOfExtendedSupport: string;
  /** Minor versions new instances (clusters) can be created on, newest first. */
  creatableVersions: string[];
  /** The minor version RDS picks when asked for the major version only. */
  defaultVersion: string;
  /** Minor versions RDS still knows but no longer creates (`Status: deprecated`), newest first. */
  deprecatedVersions: string[];
}

/**
 * EKS Kubernetes release calendar, newest first, from
 * https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html#kubernetes-release-calendar (source of
 * that page: awsdocs/amazon-eks-user-guide, `latest/ug/versioning/kubernetes-versions.adoc`, stored copy listing
 * 1.29 to 1.34). That page documents the rule used where a row is missing: standard support lasts 14 months from the
 * EKS release, extended support the 12 months after, and billing for extended support starts on the day standard
 * support ends (UTC).
 *
 * Kubernetes 1.36 and later are not in the snapshot: no stored AWS page gives their EKS release date.
 */
export const EKS_KUBERNETES_VERSIONS: KubernetesVersionFact[] = [
  {
    // Release: "Kubernetes 1.35 is now available in Amazon EKS", with the upstream announcement of 2026-01-27, at
    // https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions-standard.html. The calendar row was not
    // in the stored copy; both end dates are derived with the 14 + 12 months rule above.
    version: '1.35',
    releaseDate: '2026-01-27',
    endOfStandardSupport: '2027-03-27',
    endOfExtendedSupport: '2028-03-27',
  },
  {
    // Calendar row: EKS release October 2, 2025; end of standard support December 2, 2026; end of extended
    // support December 2, 2027.
    version: '1.34',
    releaseDate: '2025-10-02',
    endOfStandardSupport: '2026-12-02',
    endOfExtendedSupport: '2027-12-02',
  },
  {
    // Calendar row: May 29, 2025; July 29, 2026; July 29, 2027.
    version: '1.33',
    releaseDate: '2025-05-29',
    endOfStandardSupport: '2026-07-29',
    endOfExtendedSupport: '2027-07-29',
  },
  {
    // Calendar row: January 23, 2025; March 23, 2026; March 23, 2027.
    version: '1.32',
    releaseDate: '2025-01-23',
    endOfStandardSupport: '2026-03-23',
    endOfExtendedSupport: '2027-03-23',
  },
  {
    // Calendar row: September 26, 2024; November 26, 2025; November 26, 2026.
    version: '1.31',
    releaseDate: '2024-09-26',
    endOfStandardSupport: '2025-11-26',
    endOfExtendedSupport: '2026-11-26',
  },
  {
    // Calendar row: May 23, 2024; July 23, 2025; July 23, 2026.
    version: '1.30',
    releaseDate: '2024-05-23',
    endOfStandardSupport: '2025-07-23',
    endOfExtendedSupport: '2026-07-23',
  },
  {
    // Calendar row: January 23, 2024; March 23, 2025; March 23, 2026.
    version: '1.29',
    releaseDate: '2024-01-23',
    endOfStandardSupport: '2025-03-23',
    endOfExtendedSupport: '2026-03-23',
  },
];

/**
 * RDS for PostgreSQL, newest major first.
 *
 * Support dates per major version belong to the release calendar at
 * https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html, whose table
 * the stored copies did not show. They are derived from the rule the dated examples document: RDS ends standard
 * support of a major version on the last day of the February after the PostgreSQL community's end of life (five
 * years after the major release, in November; https://www.postgresql.org/support/versioning/), as it did for 11
 * (February 29, 2024) and 12 (February 28, 2025) per
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/extended-support-charges.html. The end of RDS Extended
 * Support is taken as three years after the end of standard support, the term RDS offers Extended Support for; the
 * stored pages did not show these dates, and they are the least certain facts here (they matter from 2030 on).
 *
 * Creatable minor versions: RDS stopped creating 14.14-14.17, 15.9-15.12, 16.5-16.8 and 17.1-17.4 on May 1, 2026
 * and upgrades them to 14.20, 15.15, 16.11 and 17.7 (RDS notice of 2026 about the end of standard support of those
 * minor versions on May 31, 2026; see the minor version calendar on the release calendar page above). Only those
 * upgrade targets are listed per major, as the other minor versions' end dates could not be read. 18.1 is the
 * PostgreSQL 18 version of https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-extensions.html.
 * PostgreSQL 13, past RDS standard support since February 28, 2026, is left out (its Extended Support minor
 * versions could not be read).
 */
export const RDS_POSTGRES_MAJOR_VERSIONS: DatabaseMajorVersionFact[] = [
  {
    engine: 'postgres',
    majorVersion: '18',
    endOfStandardSupport: '2031-02-28',
    endOfExtendedSupport: '2034-02-28',
    creatableVersions: ['18.1'],
    defaultVersion: '18.1',
    deprecatedVersions: [],
  },
  {
    engine: 'postgres',
    majorVersion: '17',
    endOfStandardSupport: '2030-02-28',
    endOfExtendedSupport: '2033-02-28',
    creatableVersions: ['17.7'],
    defaultVersion: '17.7',
    deprecatedVersions: ['17.4', '17.3', '17.2', '17.1'],
  },
  {
    engine: 'postgres',
    majorVersion: '16',
    endOfStandardSupport: '2029-02-28',
    endOfExtendedSupport: '2032-02-29',
    creatableVersions: ['16.11'],
    defaultVersion: '16.11',
    deprecatedVersions: ['16.8', '16.7', '16.6', '16.5'],
  },
  {
    engine: 'postgres',
    majorVersion: '15',
    endOfStandardSupport: '2028-02-29',
    endOfExtendedSupport: '2031-02-28',
    creatableVersions: ['15.15'],
    defaultVersion: '15.15',
    deprecatedVersions: ['15.12', '15.11', '15.10', '15.9'],
  },
  {
    engine: 'postgres',
    majorVersion: '14',
    endOfStandardSupport: '2027-02-28',
    endOfExtendedSupport: '2030-02-28',
    creatableVersions: ['14.20'],
    defaultVersion: '14.20',
    deprecatedVersions: ['14.17', '14.16', '14.15', '14.14'],
  },
];

/**
 * Aurora PostgreSQL, newest major first.
 *
 * Aurora's end of standard support matches RDS for PostgreSQL's per major version (the Aurora PostgreSQL 11 and 12
 * dates at https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/extended-support-charges.html are RDS's), so
 * the dates are RDS's above. Minor versions: Aurora PostgreSQL 17.4 to 17.7 are listed at
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraPostgreSQLReleaseNotes/AuroraPostgreSQL.Extensions.html; 17.4
 * and 17.5 are left out as they share the release quarters of the RDS minor versions retired in 2026. Other majors'
 * Aurora minor versions could not be read from the stored pages (see
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraPostgreSQLReleaseNotes/aurorapostgresql-release-calendar.html).
 */
export const AURORA_POSTGRES_MAJOR_VERSIONS: DatabaseMajorVersionFact[] = [
  {
    engine: 'aurora-postgresql',
    majorVersion: '17',
    endOfStandardSupport: '2030-02-28',
    endOfExtendedSupport: '2033-02-28',
    creatableVersions: ['17.7', '17.6'],
    defaultVersion: '17.7',
    deprecatedVersions: ['17.4'],
  },
];

/** The snapshot as one value. */
export const VERSION_SNAPSHOT = {
  date: VERSION_SNAPSHOT_DATE,
  kubernetes: EKS_KUBERNETES_VERSIONS,
  databases: {
    postgres: RDS_POSTGRES_MAJOR_VERSIONS,
    'aurora-postgresql': AURORA_POSTGRES_MAJOR_VERSIONS,
  } as Record<DatabaseEngine, DatabaseMajorVersionFact[]>,
};

const DAY_MS = 86_400_000;

/** Epoch ms of the start (00:00 UTC) of a YYYY-MM-DD day. */
export function startOfDay(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

/** The support phase of a Kubernetes version of the snapshot at `at` (epoch ms). */
export function snapshotKubernetesPhase(
  fact: KubernetesVersionFact,
  at: number,
): 'unreleased' | 'standard' | 'extended' | 'unsupported' {
  if (at < startOfDay(fact.releaseDate)) return 'unreleased';
  if (at >= startOfDay(fact.endOfExtendedSupport)) return 'unsupported';
  if (at >= startOfDay(fact.endOfStandardSupport)) return 'extended';
  return 'standard';
}

/**
 * The Kubernetes version the portal's blueprint and simulation default to: the newest version of the snapshot in
 * standard support at `at` (the snapshot date unless given).
 */
export function snapshotDefaultKubernetesVersion(
  at: number = startOfDay(VERSION_SNAPSHOT_DATE),
): string {
  const standard = EKS_KUBERNETES_VERSIONS.find(
    fact => snapshotKubernetesPhase(fact, at) === 'standard',
  );
  // Past the snapshot's horizon, the newest known version is still the best guess.
  return (standard ?? EKS_KUBERNETES_VERSIONS[0]).version;
}

/**
 * The PostgreSQL major version the blueprint defaults to: the newest one both RDS for PostgreSQL and Aurora
 * PostgreSQL create in the snapshot, so that switching the engine keeps it valid. RDS resolves a major version to
 * its default minor version, so the default never names a minor version that RDS retires.
 */
export function snapshotDefaultPostgresMajorVersion(): string {
  const aurora = new Set(
    AURORA_POSTGRES_MAJOR_VERSIONS.filter(
      f => f.creatableVersions.length > 0,
    ).map(f => f.majorVersion),
  );
  const shared = RDS_POSTGRES_MAJOR_VERSIONS.find(
    f => f.creatableVersions.length > 0 && aurora.has(f.majorVersion),
  );
  return (shared ?? RDS_POSTGRES_MAJOR_VERSIONS[0]).majorVersion;
}

/** Whole days from `from` to `to` (epoch ms), rounded down; negative when `to` is earlier. */
export function wholeDaysBetween(from: number, to: number): number {
  return Math.floor((to - from) / DAY_MS);
}
