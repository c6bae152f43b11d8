/**
 * The dated version snapshot (`versionSnapshot.ts`) in the shapes EKS `DescribeClusterVersions` and RDS
 * `DescribeDBEngineVersions` / `DescribeDBMajorEngineVersions` answer with: what the portal falls back to before
 * its first read of an account and Region, and the data the simulated organization answers from.
 */
import type { DatabaseEngine } from '@internal/plugin-aws-environments-common';
import {
  EKS_KUBERNETES_VERSIONS,
  VERSION_SNAPSHOT,
  snapshotDefaultKubernetesVersion,
  snapshotKubernetesPhase,
  startOfDay,
  type DatabaseMajorVersionFact,
} from './versionSnapshot';

export const SNAPSHOT_DATABASE_ENGINES: DatabaseEngine[] = ['postgres', 'aurora-postgresql'];

/** Orders dotted version numbers numerically (`1.9` before `1.10`). */
export function compareVersionNumbers(a: string, b: string): number {
  const pa = a.split(/[.-]/).map(p => Number.parseInt(p, 10));
  const pb = b.split(/[.-]/).map(p => Number.parseInt(p, 10));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = Number.isNaN(pa[i]) ? -1 : pa[i] ?? -1;
    const y = Number.isNaN(pb[i]) ? -1 : pb[i] ?? -1;
    if (x !== y) return x - y;
  }
  return 0;
}

const EKS_STATUS = {
  standard: { versionStatus: 'STANDARD_SUPPORT', status: 'standard-support' },
  extended: { versionStatus: 'EXTENDED_SUPPORT', status: 'extended-support' },
  unsupported: { versionStatus: 'UNSUPPORTED', status: 'unsupported' },
} as const;

/** The Kubernetes versions EKS has released by `at`, newest first, with their status that day. */
export function snapshotClusterVersions(at: number) {
  const defaultVersion = snapshotDefaultKubernetesVersion(at);
  return EKS_KUBERNETES_VERSIONS.flatMap(fact => {
    const phase = snapshotKubernetesPhase(fact, at);
    if (phase === 'unreleased') return [];
    return [
      {
        clusterVersion: fact.version,
        clusterType: 'eks',
        defaultVersion: fact.version === defaultVersion,
        releaseDate: new Date(startOfDay(fact.releaseDate)),
        endOfStandardSupportDate: new Date(
          startOfDay(fact.endOfStandardSupport),
        ),
        endOfExtendedSupportDate: new Date(
          startOfDay(fact.endOfExtendedSupport),
        ),
        ...EKS_STATUS[phase],
      },
    ];
  });
}

const ENGINE_DESCRIPTIONS: Record<DatabaseEngine, string> = {
  postgres: 'PostgreSQL',
  'aurora-postgresql': 'Aurora (PostgreSQL)',
};

export interface EngineVersionRecord {
  engine: DatabaseEngine;
  version: string;
  major: string;
  available: boolean;
  isDefault: boolean;
}

/** Every engine version the snapshot knows, per engine newest first: creatable ones and retired ones. */
export function engineVersionRecords(): EngineVersionRecord[] {
  return SNAPSHOT_DATABASE_ENGINES.flatMap(engine =>
    VERSION_SNAPSHOT.databases[engine]
      .flatMap(major => [
        ...major.creatableVersions.map(version => ({
          engine,
          version,
          major: major.majorVersion,
          available: true,
          isDefault: version === major.defaultVersion,
        })),
        ...major.deprecatedVersions.map(version => ({
          engine,
          version,
          major: major.majorVersion,
          available: false,
          isDefault: false,
        })),
      ])
      .sort((a, b) => compareVersionNumbers(b.version, a.version)),
  );
}

function upgradeTargets(record: EngineVersionRecord) {
  return engineVersionRecords()
    .filter(
      target =>
        target.engine === record.engine &&
        target.available &&
        compareVersionNumbers(target.version, record.version) > 0,
    )
    .sort((a, b) => compareVersionNumbers(a.version, b.version))
    .map(target => ({
      Engine: target.engine,
      EngineVersion: target.version,
      Description: `${ENGINE_DESCRIPTIONS[target.engine]} ${target.version}`,
      AutoUpgrade: false,
      IsMajorVersionUpgrade: target.major !== record.major,
    }));
}

export function toDbEngineVersion(record: EngineVersionRecord) {
  const family = `${record.engine}${record.major}`;
  return {
    Engine: record.engine,
    EngineVersion: record.version,
    MajorEngineVersion: record.major,
    DBParameterGroupFamily: family,
    DBEngineDescription: ENGINE_DESCRIPTIONS[record.engine],
    DBEngineVersionDescription: `${ENGINE_DESCRIPTIONS[record.engine]} ${
      record.version
    }${record.engine === 'postgres' ? `-R1` : ''}`,
    ValidUpgradeTarget: upgradeTargets(record),
    ExportableLogTypes: ['postgresql'],
    SupportsLogExportsToCloudwatchLogs: true,
    SupportsReadReplica: true,
    SupportedEngineModes: ['provisioned'],
    Status: record.available ? 'available' : 'deprecated',
    SupportsParallelQuery: false,
    SupportsGlobalDatabases: record.engine === 'aurora-postgresql',
    SupportsBabelfish: false,
    SupportsCertificateRotationWithoutRestart: true,
    SupportsLimitlessDatabase: false,
    SupportsIntegrations: false,
  };
}

/** A major version of the snapshot as RDS `DescribeDBMajorEngineVersions` lists it. */
export function toDbMajorEngineVersion(major: DatabaseMajorVersionFact) {
  return {
          Engine: major.engine,
          MajorEngineVersion: major.majorVersion,
          SupportedEngineLifecycles: [
            {
              LifecycleSupportName: 'open-source-rds-standard-support',
              // Standard support starts with the major's first release; the snapshot keeps only its end.
              LifecycleSupportStartDate: undefined,
              LifecycleSupportEndDate: new Date(
                startOfDay(major.endOfStandardSupport),
              ),
            },
            {
              LifecycleSupportName: 'open-source-rds-extended-support',
              LifecycleSupportStartDate: new Date(
                startOfDay(major.endOfStandardSupport),
              ),
              LifecycleSupportEndDate: new Date(
                startOfDay(major.endOfExtendedSupport),
              ),
            },
          ],
        };
}
