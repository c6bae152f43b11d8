/**
 * The versions the simulated organization offers: EKS `DescribeClusterVersions`, RDS `DescribeDBEngineVersions` and
 * `DescribeDBMajorEngineVersions`, answered from the dated snapshot of `@internal/plugin-aws-environments-node` on the
 * organization's clock, and the refusals EKS and RDS give when asked to create something on a version they do not
 * offer.
 */
import type { DatabaseEngine } from '@internal/plugin-aws-environments-common';
import {
  EKS_KUBERNETES_VERSIONS,
  SNAPSHOT_DATABASE_ENGINES as ENGINES,
  VERSION_SNAPSHOT,
  engineVersionRecords,
  snapshotClusterVersions,
  snapshotKubernetesPhase,
  toDbEngineVersion,
  toDbMajorEngineVersion,
  type DatabaseMajorVersionFact,
} from '@internal/plugin-aws-environments-node';
import type { EngineOptions } from './cloudformation/engine';
import { awsError } from './errors';
import { SeededRandom } from './random';
import type { CommandHandlers } from './types';

function page<T>(
  items: T[],
  token: string | undefined,
  size: number,
): { slice: T[]; next?: string } {
  const start = token
    ? Number(Buffer.from(token, 'base64').toString('utf8')) || 0
    : 0;
  const slice = items.slice(start, start + size);
  return {
    slice,
    next:
      start + size < items.length
        ? Buffer.from(String(start + size)).toString('base64')
        : undefined,
  };
}

/** RDS's `MaxRecords`: 20 to 100, 100 when absent. */
function rdsPageSize(service: string, maxRecords: unknown): number {
  if (maxRecords === undefined || maxRecords === null) return 100;
  const n = Number(maxRecords);
  if (!Number.isInteger(n) || n < 20 || n > 100) {
    throw awsError(
      service,
      'InvalidParameterValue',
      `Invalid value ${maxRecords} for MaxRecords. Must be between 20 and 100`,
    );
  }
  return n;
}

// ---------------------------------------------------------------- EKS

export function eksVersionHandlers(): CommandHandlers {
  return {
    DescribeClusterVersions: (
      ctx,
      input: {
        clusterType?: string;
        maxResults?: number;
        nextToken?: string;
        defaultOnly?: boolean;
        includeAll?: boolean;
        clusterVersions?: string[];
        status?: string;
        versionStatus?: string;
      },
    ) => {
      const size = input.maxResults ?? 100;
      if (!Number.isInteger(size) || size < 1 || size > 100) {
        throw awsError(
          'eks',
          'InvalidParameterException',
          'maxResults must be between 1 and 100.',
        );
      }
      let versions = snapshotClusterVersions(ctx.now());
      if (input.clusterType && input.clusterType !== 'eks') versions = [];
      // Without includeAll, EKS leaves out the versions it no longer supports.
      if (!input.includeAll) {
        versions = versions.filter(v => v.versionStatus !== 'UNSUPPORTED');
      }
      if (input.defaultOnly) versions = versions.filter(v => v.defaultVersion);
      if (input.clusterVersions?.length) {
        versions = versions.filter(v =>
          input.clusterVersions!.includes(v.clusterVersion),
        );
      }
      if (input.versionStatus) {
        versions = versions.filter(
          v => v.versionStatus === input.versionStatus,
        );
      }
      if (input.status) {
        versions = versions.filter(v => v.status === input.status);
      }
      const { slice, next } = page(versions, input.nextToken, size);
      return { clusterVersions: slice, ...(next ? { nextToken: next } : {}) };
    },
  };
}

// ---------------------------------------------------------------- RDS

/** `17` matches 17.x; `17.7` matches only itself. */
function matchesVersion(version: string, asked: string): boolean {
  return version === asked || version.startsWith(`${asked}.`);
}

export function rdsVersionHandlers(): CommandHandlers {
  return {
    DescribeDBEngineVersions: (
      ctx,
      input: {
        Engine?: string;
        EngineVersion?: string;
        DBParameterGroupFamily?: string;
        MaxRecords?: number;
        Marker?: string;
        DefaultOnly?: boolean;
        IncludeAll?: boolean;
      },
    ) => {
      const size = rdsPageSize(ctx.service, input.MaxRecords);
      let records = engineVersionRecords();
      if (input.Engine)
        records = records.filter(r => r.engine === input.Engine);
      if (input.EngineVersion) {
        records = records.filter(r =>
          matchesVersion(r.version, input.EngineVersion!),
        );
      }
      if (input.DBParameterGroupFamily) {
        records = records.filter(
          r => `${r.engine}${r.major}` === input.DBParameterGroupFamily,
        );
      }
      // Without IncludeAll, RDS lists only the versions it creates.
      if (!input.IncludeAll) records = records.filter(r => r.available);
      if (input.DefaultOnly) {
        // The default of each engine, or of the asked major version.
        const defaults = records.filter(r => r.isDefault);
        records = input.EngineVersion
          ? defaults.slice(0, 1)
          : ENGINES.flatMap(engine =>
              defaults.filter(r => r.engine === engine).slice(0, 1),
            );
      }
      const { slice, next } = page(records, input.Marker, size);
      return {
        DBEngineVersions: slice.map(toDbEngineVersion),
        ...(next ? { Marker: next } : {}),
      };
    },
    DescribeDBMajorEngineVersions: (
      ctx,
      input: {
        Engine?: string;
        MajorEngineVersion?: string;
        MaxRecords?: number;
        Marker?: string;
      },
    ) => {
      const size = rdsPageSize(ctx.service, input.MaxRecords);
      let majors: DatabaseMajorVersionFact[] = ENGINES.flatMap(
        engine => VERSION_SNAPSHOT.databases[engine],
      );
      if (input.Engine) majors = majors.filter(m => m.engine === input.Engine);
      if (input.MajorEngineVersion) {
        majors = majors.filter(
          m => m.majorVersion === input.MajorEngineVersion,
        );
      }
      const { slice, next } = page(majors, input.Marker, size);
      return {
        DBMajorEngineVersions: slice.map(toDbMajorEngineVersion),
        ...(next ? { Marker: next } : {}),
      };
    },
  };
}

// ---------------------------------------------------------------- refusals

/**
 * The full engine version RDS creates for `asked` (a minor version, or a major version RDS resolves to its
 * default minor version); undefined when RDS does not create it.
 */
export function resolveCreatableEngineVersion(
  engine: string,
  asked: string,
): string | undefined {
  const majors = VERSION_SNAPSHOT.databases[engine as DatabaseEngine];
  if (!majors) return undefined;
  const byMajor = majors.find(m => m.majorVersion === asked);
  if (byMajor) {
    return byMajor.creatableVersions.length
      ? byMajor.defaultVersion
      : undefined;
  }
  return majors.some(m => m.creatableVersions.includes(asked))
    ? asked
    : undefined;
}

/** The engine version RDS reports for a resource created with `asked` (RDS resolves a major version). */
export function reportedEngineVersion(engine: string, asked: string): string {
  return resolveCreatableEngineVersion(engine, asked) ?? asked;
}

/** What CloudFormation's resource handler reports when the service refused the request. */
export interface ServiceRefusal {
  service: 'Eks' | 'Rds';
  errorCode: 'InvalidParameterException' | 'InvalidParameterCombination';
  message: string;
}

/**
 * Whether EKS or RDS would refuse to create (or move) the resource to its version at `at` (epoch ms): EKS creates
 * clusters on versions in standard or extended support only, RDS instances and Aurora clusters only on versions it
 * lists as available. Undefined when the service accepts the resource.
 */
export function versionRefusal(
  type: string,
  properties: Record<string, unknown>,
  at: number,
): ServiceRefusal | undefined {
  if (type === 'AWS::EKS::Cluster') {
    // EKS picks its default version when none is given.
    if (properties.Version === undefined || properties.Version === '') {
      return undefined;
    }
    const version = String(properties.Version);
    const fact = EKS_KUBERNETES_VERSIONS.find(f => f.version === version);
    const phase = fact ? snapshotKubernetesPhase(fact, at) : undefined;
    if (phase === 'standard' || phase === 'extended') return undefined;
    return {
      service: 'Eks',
      errorCode: 'InvalidParameterException',
      message: `unsupported Kubernetes version ${version}`,
    };
  }
  if (type === 'AWS::RDS::DBCluster' || type === 'AWS::RDS::DBInstance') {
    // An Aurora cluster member takes the cluster's version; a replica takes its source's.
    if (
      properties.EngineVersion === undefined ||
      properties.EngineVersion === '' ||
      properties.DBClusterIdentifier !== undefined ||
      properties.SourceDBInstanceIdentifier !== undefined
    ) {
      return undefined;
    }
    const engine = String(
      properties.Engine ??
        (type === 'AWS::RDS::DBCluster' ? 'aurora-postgresql' : 'postgres'),
    );
    if (!(engine in VERSION_SNAPSHOT.databases)) return undefined;
    const version = String(properties.EngineVersion);
    if (resolveCreatableEngineVersion(engine, version)) return undefined;
    return {
      service: 'Rds',
      errorCode: 'InvalidParameterCombination',
      message: `Cannot find version ${version} for ${engine}`,
    };
  }
  return undefined;
}

/** The refusal as CloudFormation shows it in the resource's status reason. */
export function refusalStatusReason(
  refusal: ServiceRefusal,
  seed: number,
  ...keys: string[]
): string {
  const random = SeededRandom.for(seed, ...keys, 'refusal');
  const service = refusal.service === 'Eks' ? 'AmazonEKS' : 'AmazonRDS';
  return `Resource handler returned message: "${
    refusal.message
  } (Service: ${service}; Status Code: 400; Error Code: ${
    refusal.errorCode
  }; Request ID: ${random.uuid()}; Proxy: null)" (RequestToken: ${random.uuid()}, HandlerErrorCode: InvalidRequest)`;
}

const VERSION_PROPERTY: Record<string, string> = {
  'AWS::EKS::Cluster': 'Version',
  'AWS::RDS::DBCluster': 'EngineVersion',
  'AWS::RDS::DBInstance': 'EngineVersion',
};

/**
 * The simulated CloudFormation's `refuseResource`: a cluster, instance or Aurora cluster created, or moved to
 * another version, on a version its service does not offer on the organization's clock fails as AWS fails it. An
 * update that keeps the version is accepted, as AWS keeps running resources on retired versions.
 */
export function versionRefusalHook(
  seed: number,
  now: () => number,
): NonNullable<EngineOptions['refuseResource']> {
  return ({ stack, resource, previous }) => {
    const property = VERSION_PROPERTY[resource.type];
    if (!property) return undefined;
    if (
      previous &&
      String(previous.properties[property] ?? '') ===
        String(resource.properties[property] ?? '')
    ) {
      return undefined;
    }
    const refusal = versionRefusal(resource.type, resource.properties, now());
    return (
      refusal &&
      refusalStatusReason(refusal, seed, stack.stackId, resource.logicalId)
    );
  };
}
