/** EKS, RDS and CloudWatch answers, derived from the resources of the simulated stacks. */
import type { CloudFormationEngine } from './cloudformation/engine';
import { arnFor, attributeFor } from './cloudformation/resourceTypes';
import { awsError } from './errors';
import { liveResources, serviceStatus, type LiveResource } from './inventory';
import { hashSeed, SeededRandom } from './random';
import type { CommandContext, CommandHandlers } from './types';
import {
  snapshotDefaultKubernetesVersion,
  snapshotDefaultPostgresMajorVersion,
} from '@internal/plugin-aws-environments-node';
import { reportedEngineVersion } from './versions';

function paginate<T>(items: T[], token: string | undefined, size: number) {
  const start = token
    ? Number(Buffer.from(token, 'base64').toString('utf8')) || 0
    : 0;
  const slice = items.slice(start, start + size);
  const next =
    start + size < items.length
      ? Buffer.from(String(start + size)).toString('base64')
      : undefined;
  return { slice, next };
}

const tagMap = (tags: Array<{ Key: string; Value: string }>) =>
  Object.fromEntries(tags.map(t => [t.Key, t.Value]));

function asStringArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' && value ? value.split(',') : [];
}

export function eksHandlers(
  engine: CloudFormationEngine,
  seed: number,
): CommandHandlers {
  const clusters = (ctx: CommandContext) =>
    liveResources(engine, ctx.accountId, ctx.region, 'AWS::EKS::Cluster');
  const findCluster = (
    ctx: CommandContext,
    name: string | undefined,
  ): LiveResource => {
    const cluster = clusters(ctx).find(c => c.resource.physicalId === name);
    if (!cluster) {
      throw awsError(
        'eks',
        'ResourceNotFoundException',
        `No cluster found for name: ${name}.`,
        404,
      );
    }
    return cluster;
  };
  const nodegroupsOf = (ctx: CommandContext, clusterName: string) =>
    liveResources(
      engine,
      ctx.accountId,
      ctx.region,
      'AWS::EKS::Nodegroup',
    ).filter(n => n.resource.physicalId!.split('/')[0] === clusterName);
  const statusWords = {
    creating: 'CREATING',
    active: 'ACTIVE',
    updating: 'UPDATING',
    deleting: 'DELETING',
    failed: 'FAILED',
  };

  return {
    ListClusters: (ctx, input: { nextToken?: string; maxResults?: number }) => {
      const names = clusters(ctx).map(c => c.resource.physicalId!);
      const { slice, next } = paginate(
        names,
        input.nextToken,
        input.maxResults ?? 100,
      );
      return { clusters: slice, ...(next ? { nextToken: next } : {}) };
    },
    DescribeCluster: (ctx, input: { name?: string }) => {
      const { resource, stack } = findCluster(ctx, input.name);
      const p = resource.properties as Record<string, any>;
      const att = (name: string) => liveAttribute(resource, name, ctx, seed);
      const vpc = (p.ResourcesVpcConfig ?? {}) as Record<string, unknown>;
      return {
        cluster: {
          name: resource.physicalId,
          arn: arnFor(
            resource.type,
            resource.physicalId!,
            ctx.accountId,
            ctx.region,
          ),
          createdAt: new Date(resource.timestamp || stack.creationTime),
          version: String(
            p.Version ?? snapshotDefaultKubernetesVersion(ctx.now()),
          ),
          endpoint: att('Endpoint'),
          roleArn: p.RoleArn,
          resourcesVpcConfig: {
            subnetIds: asStringArray(vpc.SubnetIds),
            securityGroupIds: asStringArray(vpc.SecurityGroupIds),
            clusterSecurityGroupId: att('ClusterSecurityGroupId'),
            vpcId: `vpc-${SeededRandom.for(seed, stack.stackId, 'vpc').hex(
              17,
            )}`,
            endpointPublicAccess:
              vpc.EndpointPublicAccess !== false &&
              vpc.EndpointPublicAccess !== 'false',
            endpointPrivateAccess:
              vpc.EndpointPrivateAccess === true ||
              vpc.EndpointPrivateAccess === 'true',
            publicAccessCidrs: asStringArray(
              vpc.PublicAccessCidrs ?? ['0.0.0.0/0'],
            ),
          },
          kubernetesNetworkConfig: {
            serviceIpv4Cidr: '172.20.0.0/16',
            ipFamily: 'ipv4',
          },
          logging: {
            clusterLogging: [
              { types: ['api', 'audit', 'authenticator'], enabled: true },
            ],
          },
          identity: { oidc: { issuer: att('OpenIdConnectIssuerUrl') } },
          status: serviceStatus(resource.status, statusWords),
          certificateAuthority: { data: att('CertificateAuthorityData') },
          platformVersion: 'eks.12',
          tags: tagMap(resource.tags),
          accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' },
          health: { issues: [] },
        },
      };
    },
    ListNodegroups: (
      ctx,
      input: { clusterName?: string; nextToken?: string; maxResults?: number },
    ) => {
      findCluster(ctx, input.clusterName);
      const names = nodegroupsOf(ctx, input.clusterName!).map(
        n => n.resource.physicalId!.split('/')[1],
      );
      const { slice, next } = paginate(
        names,
        input.nextToken,
        input.maxResults ?? 100,
      );
      return { nodegroups: slice, ...(next ? { nextToken: next } : {}) };
    },
    DescribeNodegroup: (
      ctx,
      input: { clusterName?: string; nodegroupName?: string },
    ) => {
      const cluster = findCluster(ctx, input.clusterName);
      const found = nodegroupsOf(ctx, input.clusterName!).find(
        n => n.resource.physicalId!.split('/')[1] === input.nodegroupName,
      );
      if (!found) {
        throw awsError(
          'eks',
          'ResourceNotFoundException',
          `No node group found for name: ${input.nodegroupName}.`,
          404,
        );
      }
      const { resource } = found;
      const p = resource.properties as Record<string, any>;
      const scaling = (p.ScalingConfig ?? {}) as Record<string, unknown>;
      const clusterVersion = String(
        (cluster.resource.properties as any).Version ??
          snapshotDefaultKubernetesVersion(ctx.now()),
      );
      const random = SeededRandom.for(seed, resource.physicalId!, 'asg');
      return {
        nodegroup: {
          nodegroupName: input.nodegroupName,
          nodegroupArn: arnFor(
            resource.type,
            resource.physicalId!,
            ctx.accountId,
            ctx.region,
          ),
          clusterName: input.clusterName,
          version: clusterVersion,
          releaseVersion: `${clusterVersion}.0-20250101`,
          createdAt: new Date(resource.timestamp),
          modifiedAt: new Date(resource.timestamp),
          status: serviceStatus(resource.status, {
            ...statusWords,
            failed: 'CREATE_FAILED',
          }),
          capacityType: String(p.CapacityType ?? 'ON_DEMAND'),
          scalingConfig: {
            minSize: Number(scaling.MinSize ?? 1),
            maxSize: Number(scaling.MaxSize ?? 3),
            desiredSize: Number(scaling.DesiredSize ?? scaling.MinSize ?? 2),
          },
          instanceTypes: asStringArray(p.InstanceTypes ?? ['t4g.medium']),
          subnets: asStringArray(p.Subnets),
          amiType: String(p.AmiType ?? 'AL2023_ARM_64_STANDARD'),
          nodeRole: p.NodeRole,
          labels: (p.Labels ?? {}) as Record<string, string>,
          diskSize: Number(p.DiskSize ?? 20),
          resources: {
            autoScalingGroups: [
              {
                name: `eks-${input.nodegroupName}-${random.hex(8)}-${random.hex(
                  4,
                )}`,
              },
            ],
          },
          health: { issues: [] },
          updateConfig: { maxUnavailable: 1 },
          tags: tagMap(resource.tags),
        },
      };
    },
  };
}

/** GetAtt-style attributes of a live resource, computed once and kept on the record. */
function liveAttribute(
  resource: LiveResource['resource'],
  attribute: string,
  ctx: CommandContext,
  seed: number,
): unknown {
  if (!(attribute in resource.attributes)) {
    // Attributes not referenced by the template are generated on first read; stable afterwards.
    const random = SeededRandom.for(seed, resource.physicalId ?? '', attribute);
    resource.attributes[attribute] = attributeFor(
      resource.type,
      attribute,
      resource.physicalId!,
      resource.properties,
      {
        accountId: ctx.accountId,
        region: ctx.region,
        random,
      },
    );
  }
  return resource.attributes[attribute];
}

export function rdsHandlers(
  engine: CloudFormationEngine,
  seed: number,
): CommandHandlers {
  const words = {
    creating: 'creating',
    active: 'available',
    updating: 'modifying',
    deleting: 'deleting',
    failed: 'failed',
  };
  /** As RDS reports it: the full version, also when the template asked for a major version only. */
  const engineVersionOf = (
    defaultEngine: string,
    p: Record<string, any>,
  ): string => {
    const engineName = String(p.Engine ?? defaultEngine);
    return reportedEngineVersion(
      engineName,
      String(p.EngineVersion ?? snapshotDefaultPostgresMajorVersion()),
    );
  };
  /** An Aurora cluster's instances run the cluster's version, a read replica its source's. */
  const instanceEngineVersion = (
    ctx: CommandContext,
    p: Record<string, any>,
  ): string => {
    if (p.EngineVersion === undefined) {
      const [type, id] = p.DBClusterIdentifier
        ? ['AWS::RDS::DBCluster', p.DBClusterIdentifier]
        : ['AWS::RDS::DBInstance', p.SourceDBInstanceIdentifier];
      const source =
        id &&
        liveResources(engine, ctx.accountId, ctx.region, type).find(
          r => r.resource.physicalId === String(id).toLocaleLowerCase('en-US'),
        );
      if (source) {
        return engineVersionOf(
          type === 'AWS::RDS::DBCluster' ? 'aurora-postgresql' : 'postgres',
          source.resource.properties as Record<string, any>,
        );
      }
    }
    return engineVersionOf('postgres', p);
  };
  const instanceView = (
    ctx: CommandContext,
    { resource, stack }: LiveResource,
  ) => {
    const p = resource.properties as Record<string, any>;
    const multiAz = p.MultiAZ === true || p.MultiAZ === 'true';
    const random = SeededRandom.for(seed, resource.physicalId!, 'rds');
    const azs = ['a', 'b', 'c'].map(s => `${ctx.region}${s}`);
    const primary = azs[hashSeed(seed, resource.physicalId!) % 2];
    return {
      DBInstanceIdentifier: resource.physicalId,
      DBInstanceClass: String(p.DBInstanceClass ?? 'db.t4g.medium'),
      Engine: String(p.Engine ?? 'postgres'),
      EngineVersion: instanceEngineVersion(ctx, p),
      DBInstanceStatus: serviceStatus(resource.status, words),
      MasterUsername: String(p.MasterUsername ?? 'postgres'),
      DBName: p.DBName,
      Endpoint: {
        Address: liveAttribute(resource, 'Endpoint.Address', ctx, seed),
        Port: Number(p.Port ?? 5432),
        HostedZoneId: 'Z1RLNUO7B9Q6NB',
      },
      AllocatedStorage: Number(p.AllocatedStorage ?? 20),
      InstanceCreateTime: new Date(resource.timestamp || stack.creationTime),
      PreferredBackupWindow: String(p.PreferredBackupWindow ?? '02:00-03:00'),
      BackupRetentionPeriod: Number(p.BackupRetentionPeriod ?? 1),
      MultiAZ: multiAz,
      AvailabilityZone: primary,
      ...(multiAz
        ? { SecondaryAvailabilityZone: azs.find(a => a !== primary) }
        : {}),
      StorageType: String(p.StorageType ?? 'gp3'),
      StorageEncrypted:
        p.StorageEncrypted === true || p.StorageEncrypted === 'true',
      ...(p.KmsKeyId ? { KmsKeyId: String(p.KmsKeyId) } : {}),
      DbiResourceId: `db-${random.upperAlnum(26)}`,
      DBInstanceArn: arnFor(
        resource.type,
        resource.physicalId!,
        ctx.accountId,
        ctx.region,
      ),
      ...(p.DBClusterIdentifier
        ? {
            DBClusterIdentifier: String(
              p.DBClusterIdentifier,
            ).toLocaleLowerCase('en-US'),
          }
        : {}),
      ...(p.SourceDBInstanceIdentifier
        ? {
            ReadReplicaSourceDBInstanceIdentifier: String(
              p.SourceDBInstanceIdentifier,
            ),
          }
        : {}),
      DeletionProtection:
        p.DeletionProtection === true || p.DeletionProtection === 'true',
      PerformanceInsightsEnabled:
        p.EnablePerformanceInsights === true ||
        p.EnablePerformanceInsights === 'true',
      AutoMinorVersionUpgrade: true,
      PubliclyAccessible: false,
      TagList: resource.tags,
    };
  };
  const clusterView = (
    ctx: CommandContext,
    { resource, stack }: LiveResource,
    members: LiveResource[],
  ) => {
    const p = resource.properties as Record<string, any>;
    return {
      DBClusterIdentifier: resource.physicalId,
      DBClusterArn: arnFor(
        resource.type,
        resource.physicalId!,
        ctx.accountId,
        ctx.region,
      ),
      Engine: String(p.Engine ?? 'aurora-postgresql'),
      EngineVersion: engineVersionOf('aurora-postgresql', p),
      Status: serviceStatus(resource.status, words),
      Endpoint: liveAttribute(resource, 'Endpoint.Address', ctx, seed),
      ReaderEndpoint: liveAttribute(
        resource,
        'ReadEndpoint.Address',
        ctx,
        seed,
      ),
      Port: Number(p.Port ?? 5432),
      MultiAZ: members.length > 1,
      StorageEncrypted:
        p.StorageEncrypted === true || p.StorageEncrypted === 'true',
      BackupRetentionPeriod: Number(p.BackupRetentionPeriod ?? 1),
      ClusterCreateTime: new Date(resource.timestamp || stack.creationTime),
      DBClusterMembers: members.map((m, i) => ({
        DBInstanceIdentifier: m.resource.physicalId,
        IsClusterWriter: i === 0,
        DBClusterParameterGroupStatus: 'in-sync',
        PromotionTier: 1,
      })),
      AvailabilityZones: ['a', 'b', 'c'].map(s => `${ctx.region}${s}`),
      DeletionProtection:
        p.DeletionProtection === true || p.DeletionProtection === 'true',
      TagList: resource.tags,
    };
  };
  return {
    DescribeDBInstances: (
      ctx,
      input: {
        DBInstanceIdentifier?: string;
        Marker?: string;
        MaxRecords?: number;
        Filters?: Array<{ Name: string; Values: string[] }>;
      },
    ) => {
      let instances = liveResources(
        engine,
        ctx.accountId,
        ctx.region,
        'AWS::RDS::DBInstance',
      );
      if (input.DBInstanceIdentifier) {
        instances = instances.filter(
          i =>
            i.resource.physicalId ===
            input.DBInstanceIdentifier!.toLocaleLowerCase('en-US'),
        );
        if (instances.length === 0) {
          throw awsError(
            'rds',
            'DBInstanceNotFoundFault',
            `DBInstance ${input.DBInstanceIdentifier} not found.`,
            404,
          );
        }
      }
      for (const filter of input.Filters ?? []) {
        if (filter.Name === 'db-cluster-id') {
          instances = instances.filter(i =>
            filter.Values.includes(
              String((i.resource.properties as any).DBClusterIdentifier ?? ''),
            ),
          );
        } else if (filter.Name === 'db-instance-id') {
          instances = instances.filter(i =>
            filter.Values.includes(i.resource.physicalId!),
          );
        } else if (filter.Name === 'engine') {
          instances = instances.filter(i =>
            filter.Values.includes(
              String((i.resource.properties as any).Engine ?? 'postgres'),
            ),
          );
        }
      }
      const { slice, next } = paginate(
        instances,
        input.Marker,
        input.MaxRecords ?? 100,
      );
      return {
        DBInstances: slice.map(i => instanceView(ctx, i)),
        ...(next ? { Marker: next } : {}),
      };
    },
    DescribeDBClusters: (
      ctx,
      input: {
        DBClusterIdentifier?: string;
        Marker?: string;
        MaxRecords?: number;
      },
    ) => {
      let clusters = liveResources(
        engine,
        ctx.accountId,
        ctx.region,
        'AWS::RDS::DBCluster',
      );
      if (input.DBClusterIdentifier) {
        clusters = clusters.filter(
          c =>
            c.resource.physicalId ===
            input.DBClusterIdentifier!.toLocaleLowerCase('en-US'),
        );
        if (clusters.length === 0) {
          throw awsError(
            'rds',
            'DBClusterNotFoundFault',
            `DBCluster ${input.DBClusterIdentifier} not found.`,
            404,
          );
        }
      }
      const instances = liveResources(
        engine,
        ctx.accountId,
        ctx.region,
        'AWS::RDS::DBInstance',
      );
      const { slice, next } = paginate(
        clusters,
        input.Marker,
        input.MaxRecords ?? 100,
      );
      return {
        DBClusters: slice.map(c =>
          clusterView(
            ctx,
            c,
            instances.filter(
              i =>
                String(
                  (i.resource.properties as any).DBClusterIdentifier ?? '',
                ).toLocaleLowerCase('en-US') === c.resource.physicalId,
            ),
          ),
        ),
        ...(next ? { Marker: next } : {}),
      };
    },
  };
}

export interface AlarmOverrides {
  /** Alarm names (physical ids) that are in ALARM, with the reason CloudWatch gives. */
  inAlarm: Map<string, string>;
}

export function cloudWatchHandlers(
  engine: CloudFormationEngine,
  seed: number,
  timeScale: number,
  overrides: () => AlarmOverrides,
): CommandHandlers {
  const alarmView = (ctx: CommandContext, { resource }: LiveResource) => {
    const p = resource.properties as Record<string, any>;
    const name = resource.physicalId!;
    const alarmReason = overrides().inAlarm.get(name);
    // A new alarm has no data until its first evaluation periods have passed.
    const settled =
      ctx.now() - resource.timestamp > 300_000 * Math.max(timeScale, 0.001);
    let state = settled ? 'OK' : 'INSUFFICIENT_DATA';
    if (alarmReason) state = 'ALARM';
    const threshold = Number(p.Threshold ?? 80);
    const reason =
      alarmReason ??
      (state === 'OK'
        ? `Threshold Crossed: 3 datapoints were not greater than or equal to the threshold (${threshold.toFixed(
            1,
          )}).`
        : 'Unchecked: Initial alarm creation');
    return {
      AlarmName: name,
      AlarmArn: arnFor(resource.type, name, ctx.accountId, ctx.region),
      ...(p.AlarmDescription
        ? { AlarmDescription: String(p.AlarmDescription) }
        : {}),
      AlarmConfigurationUpdatedTimestamp: new Date(resource.timestamp),
      ActionsEnabled: p.ActionsEnabled !== false,
      OKActions: asStringArray(p.OKActions),
      AlarmActions: asStringArray(p.AlarmActions),
      InsufficientDataActions: [],
      StateValue: state,
      StateReason: reason,
      StateUpdatedTimestamp: new Date(
        alarmReason ? ctx.now() - 42 * 60_000 : resource.timestamp,
      ),
      StateTransitionedTimestamp: new Date(
        alarmReason ? ctx.now() - 42 * 60_000 : resource.timestamp,
      ),
      MetricName: p.MetricName,
      Namespace: p.Namespace,
      Statistic: p.Statistic ?? 'Average',
      Dimensions: Array.isArray(p.Dimensions) ? p.Dimensions : [],
      Period: Number(p.Period ?? 300),
      EvaluationPeriods: Number(p.EvaluationPeriods ?? 3),
      DatapointsToAlarm: Number(
        p.DatapointsToAlarm ?? p.EvaluationPeriods ?? 3,
      ),
      Threshold: threshold,
      ComparisonOperator:
        p.ComparisonOperator ?? 'GreaterThanOrEqualToThreshold',
      TreatMissingData: p.TreatMissingData ?? 'missing',
    };
  };

  return {
    DescribeAlarms: (
      ctx,
      input: {
        AlarmNames?: string[];
        AlarmNamePrefix?: string;
        StateValue?: string;
        MaxRecords?: number;
        NextToken?: string;
        AlarmTypes?: string[];
      },
    ) => {
      let alarms = liveResources(
        engine,
        ctx.accountId,
        ctx.region,
        'AWS::CloudWatch::Alarm',
      ).map(a => alarmView(ctx, a));
      if (input.AlarmNames?.length)
        alarms = alarms.filter(a => input.AlarmNames!.includes(a.AlarmName));
      if (input.AlarmNamePrefix)
        alarms = alarms.filter(a =>
          a.AlarmName.startsWith(input.AlarmNamePrefix!),
        );
      if (input.StateValue)
        alarms = alarms.filter(a => a.StateValue === input.StateValue);
      if (input.AlarmTypes?.length && !input.AlarmTypes.includes('MetricAlarm'))
        alarms = [];
      const { slice, next } = paginate(
        alarms,
        input.NextToken,
        input.MaxRecords ?? 50,
      );
      return {
        MetricAlarms: slice,
        CompositeAlarms: [],
        ...(next ? { NextToken: next } : {}),
      };
    },
    GetMetricData: (
      ctx,
      input: {
        MetricDataQueries?: Array<{
          Id: string;
          Label?: string;
          Expression?: string;
          ReturnData?: boolean;
          MetricStat?: {
            Metric?: {
              Namespace?: string;
              MetricName?: string;
              Dimensions?: Array<{ Name: string; Value: string }>;
            };
            Period?: number;
            Stat?: string;
          };
        }>;
        StartTime?: Date;
        EndTime?: Date;
        ScanBy?: string;
      },
    ) => {
      const start = new Date(
        input.StartTime ?? ctx.now() - 3 * 3600_000,
      ).getTime();
      const end = new Date(input.EndTime ?? ctx.now()).getTime();
      const inAlarm = overrides();
      const results = (input.MetricDataQueries ?? [])
        .filter(q => q.ReturnData !== false)
        .map(q => {
          const period = (q.MetricStat?.Period ?? 300) * 1000;
          const metric = q.MetricStat?.Metric ?? {};
          const identity = `${metric.Namespace}/${
            metric.MetricName
          }/${JSON.stringify(metric.Dimensions ?? [])}`;
          const hot =
            [...inAlarm.inAlarm.keys()].some(name => identity.includes(name)) ||
            (metric.Dimensions ?? []).some(d =>
              [...inAlarm.inAlarm.values()].some(r => r.includes(d.Value)),
            );
          const base = baseline(metric.MetricName ?? '', hot);
          const timestamps: Date[] = [];
          const values: number[] = [];
          const first = Math.ceil(start / period) * period;
          for (
            let t = first;
            t < end && timestamps.length < 1440;
            t += period
          ) {
            const random = SeededRandom.for(seed, identity, t);
            const daily =
              1 + 0.25 * Math.sin((((t / 3600_000) % 24) / 24) * 2 * Math.PI);
            timestamps.push(new Date(t));
            values.push(
              Number((base * daily * random.between(0.85, 1.15)).toFixed(2)),
            );
          }
          const newestFirst = input.ScanBy !== 'TimestampAscending';
          if (newestFirst) {
            timestamps.reverse();
            values.reverse();
          }
          return {
            Id: q.Id,
            Label: q.Label ?? metric.MetricName ?? q.Id,
            Timestamps: timestamps,
            Values: values,
            StatusCode: 'Complete',
          };
        });
      return { MetricDataResults: results, Messages: [] };
    },
  };
}

function baseline(metricName: string, hot: boolean): number {
  if (metricName === 'CPUUtilization') return hot ? 88 : 28;
  if (metricName === 'FreeStorageSpace') return 15_000_000_000;
  if (metricName === 'DatabaseConnections') return 42;
  if (metricName.includes('5XX') || metricName.includes('5xx'))
    return hot ? 12 : 0.4;
  if (metricName === 'Requests' || metricName === 'RequestCount') return 1800;
  if (metricName.includes('Latency') || metricName === 'TargetResponseTime')
    return 0.12;
  if (
    metricName === 'MemoryUtilization' ||
    metricName === 'node_memory_utilization'
  )
    return 55;
  return 10;
}
