import {
  CloudFormationClient,
  DescribeStacksCommand,
  DetectStackDriftCommand,
  Stack,
  StackResource as CfnStackResource,
} from '@aws-sdk/client-cloudformation';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  MetricAlarm,
  paginateDescribeAlarms,
} from '@aws-sdk/client-cloudwatch';
import {
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  EKSClient,
  paginateListNodegroups,
} from '@aws-sdk/client-eks';
import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import {
  AlarmState,
  ComponentLifecycle,
  DatabaseEngine,
  DatabaseHealth,
  EksHealth,
  EnvironmentHealth,
  EnvironmentLifecycle,
  HealthVerdict,
  SectionMeta,
  StackDetail,
  StackHealth,
  TAG_LAYER,
  TAG_TEMPLATE_VERSION,
} from '@internal/plugin-aws-environments-common';
import {
  DATABASE_ENGINES,
  componentTitle,
  environmentLifecycle,
  extendedSupportMonthly,
  lifecycleOf,
  type AwsClientFactory,
  type AwsTarget,
  type AwsVersions,
  type LifecycleComponent,
} from '@internal/plugin-aws-environments-node';
import type { EnvironmentTarget } from '../types';
import {
  describeStackResources,
  hasNoNewOperations,
  isStackUnchanged,
  recentStackEvents,
  toStackDetail,
  toStackResource,
} from './stacks';

export type HealthReport = Omit<EnvironmentHealth, keyof SectionMeta>;

/** Drift detection is asynchronous and walks every resource: started at most once a day per stack. */
export const DRIFT_CHECK_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** Status of a stack, cluster or database that no longer exists (or never did). */
export const NOT_FOUND = 'NOT_FOUND';

const STACK_DOWN = new Set([
  'ROLLBACK_COMPLETE',
  'DELETE_COMPLETE',
  'DELETE_IN_PROGRESS',
  NOT_FOUND,
]);
const DB_OK = new Set(['available']);
const DB_DOWN = new Set([
  'failed',
  'stopped',
  'stopping',
  'deleting',
  'storage-full',
  'inaccessible-encryption-credentials',
  'inaccessible-encryption-credentials-recoverable',
  'incompatible-network',
  'incompatible-option-group',
  'incompatible-parameters',
  'incompatible-restore',
  'restore-error',
  NOT_FOUND,
]);
const EKS_DOWN = new Set(['FAILED', 'DELETING', NOT_FOUND]);

function layerOf(
  stack: Stack | undefined,
  stackName: string,
): string | undefined {
  const tagged = stack?.Tags?.find(t => t.Key === TAG_LAYER)?.Value;
  if (tagged) {
    return tagged;
  }
  const dash = stackName.lastIndexOf('-');
  return dash > 0 ? stackName.slice(dash + 1) : undefined;
}

function isNotFound(error: unknown, ...names: string[]): boolean {
  const e = error as { name?: string; message?: string } | undefined;
  if (!e) {
    return false;
  }
  if (names.includes(e.name ?? '')) {
    return true;
  }
  // CloudFormation reports a missing stack as a ValidationError.
  return (
    e.name === 'ValidationError' && /does not exist/i.test(e.message ?? '')
  );
}

/** Rolls the parts of an environment up into one verdict and the reasons that produced it. */
export function judgeHealth(
  parts: Pick<HealthReport, 'stacks' | 'eks' | 'databases' | 'alarms'>,
): { verdict: HealthVerdict; reasons: string[] } {
  const down: string[] = [];
  const degraded: string[] = [];
  for (const stack of parts.stacks) {
    if (stack.status === NOT_FOUND) {
      down.push(`Stack ${stack.stackName} does not exist`);
    } else if (
      stack.status.endsWith('_FAILED') ||
      STACK_DOWN.has(stack.status)
    ) {
      down.push(
        `Stack ${stack.stackName} is ${stack.status}${
          stack.statusReason ? `: ${stack.statusReason}` : ''
        }`,
      );
    } else if (stack.status === 'UPDATE_ROLLBACK_COMPLETE') {
      degraded.push(`Last update of stack ${stack.stackName} was rolled back`);
    } else if (stack.status.endsWith('_IN_PROGRESS')) {
      degraded.push(`Stack ${stack.stackName} is ${stack.status}`);
    }
    if (stack.driftStatus === 'DRIFTED') {
      degraded.push(`Stack ${stack.stackName} has drifted from its template`);
    }
  }
  if (parts.eks) {
    const { clusterName, status, nodegroups } = parts.eks;
    if (EKS_DOWN.has(status)) {
      down.push(
        status === NOT_FOUND
          ? `EKS cluster ${clusterName} does not exist`
          : `EKS cluster ${clusterName} is ${status}`,
      );
    } else if (status !== 'ACTIVE') {
      degraded.push(`EKS cluster ${clusterName} is ${status}`);
    }
    for (const nodegroup of nodegroups) {
      if (nodegroup.status !== 'ACTIVE') {
        degraded.push(`Node group ${nodegroup.name} is ${nodegroup.status}`);
      }
    }
  }
  for (const db of parts.databases) {
    if (DB_DOWN.has(db.status)) {
      down.push(
        db.status === NOT_FOUND
          ? `Database ${db.identifier} does not exist`
          : `Database ${db.identifier} is ${db.status}`,
      );
    } else if (!DB_OK.has(db.status)) {
      degraded.push(`Database ${db.identifier} is ${db.status}`);
    }
  }
  for (const alarm of parts.alarms) {
    if (alarm.state === 'ALARM') {
      degraded.push(
        `Alarm ${alarm.name} is in ALARM${
          alarm.reason ? `: ${alarm.reason}` : ''
        }`,
      );
    }
  }
  if (down.length) {
    return { verdict: 'down', reasons: [...down, ...degraded] };
  }
  if (degraded.length) {
    return { verdict: 'degraded', reasons: degraded };
  }
  if (!parts.stacks.length && !parts.eks && !parts.databases.length) {
    return {
      verdict: 'unknown',
      reasons: ['No stacks, cluster or database found'],
    };
  }
  return { verdict: 'healthy', reasons: [] };
}

/** Where the health collector finds what AWS offers in an account and Region (see `VersionService.versionsFor`). */
export interface VersionSource {
  versionsFor(target: AwsTarget): Promise<AwsVersions>;
}

/** A version closer than this to the end of its support phase adds a reason to the health (not to the verdict). */
export const LIFECYCLE_WARNING_DAYS = 90;

/**
 * The versioned parts of an environment: its EKS cluster and its databases. An Aurora cluster's instances run the
 * cluster's version, so the cluster stands for them.
 */
export function lifecycleComponents(
  eks: EksHealth | undefined,
  databases: DatabaseHealth[],
  clusterMembers: ReadonlySet<string> = new Set(),
): LifecycleComponent[] {
  const components: LifecycleComponent[] = [];
  if (eks?.version && eks.status !== NOT_FOUND) {
    components.push({
      kind: 'kubernetes',
      resource: eks.clusterName,
      version: eks.version,
    });
  }
  for (const db of databases) {
    if (
      !db.engineVersion ||
      clusterMembers.has(db.identifier) ||
      !DATABASE_ENGINES.includes(db.engine as DatabaseEngine)
    ) {
      continue;
    }
    components.push({
      kind: 'database',
      resource: db.identifier,
      engine: db.engine as DatabaseEngine,
      version: db.engineVersion,
    });
  }
  return components;
}

function dayCount(days: number): string {
  return days === 1 ? '1 day' : `${days} days`;
}

/**
 * Reasons a person should act on a version: past the end of support, or fewer than `LIFECYCLE_WARNING_DAYS` days
 * before its phase ends. They do not change the verdict: a version in extended support runs as well as before.
 */
export function lifecycleReasons(
  lifecycle: EnvironmentLifecycle,
  versions: Pick<AwsVersions, 'eksPricing'>,
): string[] {
  return lifecycle.components.flatMap(component => {
    const kubernetes = component.kind === 'kubernetes';
    const subject = `${componentTitle(component)} of ${
      kubernetes ? 'cluster' : 'database'
    } ${component.resource}`;
    const next = component.nextVersion
      ? ` to ${component.nextVersion}`
      : ' to a supported version';
    if (component.phase === 'unsupported') {
      return [
        kubernetes
          ? `${subject} is past the end of EKS support; EKS upgrades the control plane${next} automatically`
          : `${subject} is past the end of RDS Extended Support; RDS upgrades it${next}`,
      ];
    }
    const days = component.daysLeft;
    if (days === undefined || days >= LIFECYCLE_WARNING_DAYS) {
      return [];
    }
    if (component.phase === 'extended') {
      return [
        kubernetes
          ? `${subject} reaches the end of extended support on ${
              component.endOfExtendedSupport
            }, in ${dayCount(
              days,
            )}; EKS then upgrades the control plane${next} automatically`
          : `${subject} reaches the end of RDS Extended Support on ${
              component.endOfExtendedSupport
            }, in ${dayCount(days)}; RDS then upgrades it${next}`,
      ];
    }
    if (component.phase === 'standard') {
      return [
        kubernetes
          ? `${subject} leaves standard support on ${
              component.endOfStandardSupport
            }, in ${dayCount(
              days,
            )}; extended support then costs +$${extendedSupportMonthly(
              versions.eksPricing,
            ).toLocaleString('en-US')}/month`
          : `${subject} leaves RDS standard support on ${
              component.endOfStandardSupport
            }, in ${dayCount(
              days,
            )}; RDS Extended Support is then charged per vCPU-hour`,
      ];
    }
    return [];
  });
}

const PHASE_RANK: Record<ComponentLifecycle['phase'], number> = {
  standard: 0,
  unknown: 1,
  extended: 2,
  unsupported: 3,
};

/** The component that sets the environment's lifecycle: the worst phase, then the fewest days left. */
function decisiveComponent(
  lifecycle: EnvironmentLifecycle,
): ComponentLifecycle | undefined {
  return [...lifecycle.components].sort(
    (a, b) =>
      PHASE_RANK[b.phase] - PHASE_RANK[a.phase] ||
      (a.daysLeft ?? Infinity) - (b.daysLeft ?? Infinity),
  )[0];
}

/** The environment's lifecycle in short, for the Environments page. */
export function lifecycleSummary(lifecycle: EnvironmentLifecycle): {
  worst: EnvironmentLifecycle['worst'];
  daysLeft?: number;
  extendedSupportMonthly?: number;
  summary: string;
} {
  const decisive = decisiveComponent(lifecycle);
  return {
    worst: lifecycle.worst,
    ...(lifecycle.daysLeft !== undefined && { daysLeft: lifecycle.daysLeft }),
    ...(lifecycle.extendedSupportMonthly !== undefined && {
      extendedSupportMonthly: lifecycle.extendedSupportMonthly,
    }),
    summary: decisive
      ? `${componentTitle(decisive)}: ${decisive.summary}`
      : 'No versioned cluster or database found',
  };
}

/**
 * The lifecycle of the environment's cluster and databases from what AWS offers in its account and Region. Without
 * a version source there is none; a failure to find the versions leaves the health without a lifecycle rather than
 * failing it.
 */
async function collectLifecycle(
  target: AwsTarget,
  components: LifecycleComponent[],
  now: Date,
  source: VersionSource | undefined,
): Promise<{ lifecycle: EnvironmentLifecycle; reasons: string[] } | undefined> {
  if (!components.length || !source) {
    return undefined;
  }
  let versions: AwsVersions;
  try {
    versions = await source.versionsFor(target);
  } catch {
    return undefined;
  }
  const lifecycle = environmentLifecycle(
    components.map(component => lifecycleOf(component, versions, now)),
  );
  return { lifecycle, reasons: lifecycleReasons(lifecycle, versions) };
}

async function describeStack(
  cfn: CloudFormationClient,
  stackName: string,
): Promise<Stack | undefined> {
  try {
    const { Stacks } = await cfn.send(
      new DescribeStacksCommand({ StackName: stackName }),
    );
    return Stacks?.[0];
  } catch (error) {
    if (isNotFound(error)) {
      return undefined;
    }
    throw error;
  }
}

function toStackHealth(
  stackName: string,
  stack: Stack | undefined,
): StackHealth {
  if (!stack) {
    return {
      stackName,
      layer: layerOf(undefined, stackName),
      status: NOT_FOUND,
    };
  }
  const drift = stack.DriftInformation?.StackDriftStatus;
  const known = ['IN_SYNC', 'DRIFTED', 'NOT_CHECKED'] as const;
  let driftStatus: StackHealth['driftStatus'];
  if (drift) {
    driftStatus = (known as readonly string[]).includes(drift)
      ? (drift as StackHealth['driftStatus'])
      : 'UNKNOWN';
  }
  return {
    stackName,
    layer: layerOf(stack, stackName),
    status: stack.StackStatus ?? 'UNKNOWN',
    statusReason: stack.StackStatusReason,
    driftStatus,
    lastUpdated: (stack.LastUpdatedTime ?? stack.CreationTime)?.toISOString(),
    templateVersion: stack.Tags?.find(t => t.Key === TAG_TEMPLATE_VERSION)
      ?.Value,
  };
}

async function collectEks(
  eks: EKSClient,
  clusterName: string,
): Promise<EksHealth> {
  let cluster;
  try {
    ({ cluster } = await eks.send(
      new DescribeClusterCommand({ name: clusterName }),
    ));
  } catch (error) {
    if (isNotFound(error, 'ResourceNotFoundException')) {
      return { clusterName, status: NOT_FOUND, nodegroups: [] };
    }
    throw error;
  }
  const names: string[] = [];
  for await (const page of paginateListNodegroups(
    { client: eks },
    { clusterName },
  )) {
    names.push(...(page.nodegroups ?? []));
  }
  const nodegroups = await Promise.all(
    names.map(async nodegroupName => {
      const { nodegroup } = await eks.send(
        new DescribeNodegroupCommand({ clusterName, nodegroupName }),
      );
      return {
        name: nodegroupName,
        status: nodegroup?.status ?? 'UNKNOWN',
        capacityType: nodegroup?.capacityType,
        desiredSize: nodegroup?.scalingConfig?.desiredSize,
        instanceTypes: nodegroup?.instanceTypes,
      };
    }),
  );
  return {
    clusterName,
    status: cluster?.status ?? 'UNKNOWN',
    version: cluster?.version,
    nodegroups,
  };
}

/** The databases of an environment, and which of them are instances of an Aurora cluster (dated by their cluster). */
async function collectDatabases(
  rds: RDSClient,
  instanceIds: string[],
  clusterIds: string[],
): Promise<{ databases: DatabaseHealth[]; clusterMembers: Set<string> }> {
  const clusterMembers = new Set<string>();
  const instances = await Promise.all(
    instanceIds.map(async (identifier): Promise<DatabaseHealth> => {
      try {
        const { DBInstances } = await rds.send(
          new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }),
        );
        const db = DBInstances?.[0];
        if (db?.DBClusterIdentifier) {
          clusterMembers.add(identifier);
        }
        return {
          identifier,
          engine: db?.Engine ?? 'unknown',
          status: db?.DBInstanceStatus ?? 'unknown',
          multiAz: Boolean(db?.MultiAZ),
          storageEncrypted: Boolean(db?.StorageEncrypted),
          backupRetentionDays: db?.BackupRetentionPeriod ?? 0,
          instanceClass: db?.DBInstanceClass,
          ...(db?.EngineVersion && { engineVersion: db.EngineVersion }),
        };
      } catch (error) {
        if (isNotFound(error, 'DBInstanceNotFoundFault')) {
          return notFoundDatabase(identifier);
        }
        throw error;
      }
    }),
  );
  const clusters = await Promise.all(
    clusterIds.map(async (identifier): Promise<DatabaseHealth> => {
      try {
        const { DBClusters } = await rds.send(
          new DescribeDBClustersCommand({ DBClusterIdentifier: identifier }),
        );
        const db = DBClusters?.[0];
        return {
          identifier,
          engine: db?.Engine ?? 'unknown',
          status: db?.Status ?? 'unknown',
          multiAz: Boolean(db?.MultiAZ),
          storageEncrypted: Boolean(db?.StorageEncrypted),
          backupRetentionDays: db?.BackupRetentionPeriod ?? 0,
          instanceClass: db?.DBClusterInstanceClass,
          ...(db?.EngineVersion && { engineVersion: db.EngineVersion }),
        };
      } catch (error) {
        if (isNotFound(error, 'DBClusterNotFoundFault')) {
          return notFoundDatabase(identifier);
        }
        throw error;
      }
    }),
  );
  return { databases: [...clusters, ...instances], clusterMembers };
}

function notFoundDatabase(identifier: string): DatabaseHealth {
  return {
    identifier,
    engine: 'unknown',
    status: NOT_FOUND,
    multiAz: false,
    storageEncrypted: false,
    backupRetentionDays: 0,
  };
}

function toAlarmState(alarm: MetricAlarm): AlarmState {
  return {
    name: alarm.AlarmName ?? '',
    state: (alarm.StateValue ?? 'INSUFFICIENT_DATA') as AlarmState['state'],
    reason: alarm.StateReason,
    metric: alarm.MetricName,
    updatedAt: alarm.StateUpdatedTimestamp?.toISOString(),
  };
}

async function collectAlarms(
  cloudwatch: CloudWatchClient,
  prefix: string,
  namesFromStacks: string[],
): Promise<AlarmState[]> {
  const alarms = new Map<string, AlarmState>();
  for await (const page of paginateDescribeAlarms(
    { client: cloudwatch },
    { AlarmNamePrefix: prefix, AlarmTypes: ['MetricAlarm'] },
  )) {
    for (const alarm of page.MetricAlarms ?? []) {
      alarms.set(alarm.AlarmName ?? '', toAlarmState(alarm));
    }
  }
  const missing = namesFromStacks.filter(name => !alarms.has(name));
  // DescribeAlarms accepts at most 100 names per request.
  for (let i = 0; i < missing.length; i += 100) {
    const { MetricAlarms } = await cloudwatch.send(
      new DescribeAlarmsCommand({ AlarmNames: missing.slice(i, i + 100) }),
    );
    for (const alarm of MetricAlarms ?? []) {
      alarms.set(alarm.AlarmName ?? '', toAlarmState(alarm));
    }
  }
  return [...alarms.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Starts drift detection of the stable stacks not checked within a day. The result shows in `DescribeStacks` once
 * AWS has finished, i.e. in a later health run. A refused detection (missing IAM permission, stack busy) leaves the
 * drift status as AWS reports it, so it must not fail the health section.
 */
async function startDueDriftDetections(
  cfn: CloudFormationClient,
  stacks: Array<{ name: string; stack?: Stack }>,
  now: Date,
): Promise<void> {
  const due = stacks.filter(({ stack }) => {
    if (!stack?.StackStatus || stack.StackStatus.endsWith('_IN_PROGRESS')) {
      return false;
    }
    if (stack.StackStatus === 'DELETE_COMPLETE') {
      return false;
    }
    const checkedAt = stack.DriftInformation?.LastCheckTimestamp?.getTime();
    return !checkedAt || now.getTime() - checkedAt >= DRIFT_CHECK_INTERVAL_MS;
  });
  await Promise.allSettled(
    due.map(({ name }) =>
      cfn.send(new DetectStackDriftCommand({ StackName: name })),
    ),
  );
}

/** Layers whose resources the health report needs: the cluster, the databases and the alarms. */
const HEALTH_LAYERS = new Set(['compute', 'data', 'observability']);

/** What one health run collects: the health report, and the stacks' details or why they could not be read. */
export interface HealthCollection {
  health: HealthReport;
  /** A failure here (e.g. no `cloudformation:DescribeStackEvents`) leaves the health report unaffected. */
  stacks: { details: StackDetail[] } | { error: unknown };
}

/**
 * Collects the health of one environment: its stacks (status and drift), the EKS cluster named by the compute
 * stack, the databases of the data stack and its CloudWatch alarms. An error other than "not found" fails the whole
 * section, so that the last good report is kept rather than replaced by a partial one.
 */
export async function collectHealth(
  factory: AwsClientFactory,
  env: EnvironmentTarget,
  now: Date = new Date(),
  options: { versions?: VersionSource } = {},
): Promise<HealthReport> {
  return (await collect(factory, env, now, undefined, options.versions)).health;
}

/**
 * Collects the health of one environment like `collectHealth` and, with the same `DescribeStacks` answers, the
 * details of every stack: resources, outputs, recent events and drift. Resources and events of a stack unchanged
 * since `previousStacks` were collected are kept rather than read again.
 */
export async function collectHealthAndStacks(
  factory: AwsClientFactory,
  env: EnvironmentTarget,
  now: Date = new Date(),
  options: { previousStacks?: StackDetail[]; versions?: VersionSource } = {},
): Promise<HealthCollection> {
  const { health, stacks } = await collect(
    factory,
    env,
    now,
    { previous: options.previousStacks ?? [] },
    options.versions,
  );
  return { health, stacks: stacks! };
}

async function collect(
  factory: AwsClientFactory,
  env: EnvironmentTarget,
  now: Date,
  details?: { previous: StackDetail[] },
  versions?: VersionSource,
): Promise<{ health: HealthReport; stacks?: HealthCollection['stacks'] }> {
  const target = { accountId: env.accountId, region: env.region };
  const cfn = await factory.getClient(CloudFormationClient, target);

  const described = await Promise.all(
    env.stacks.map(async name => ({
      name,
      stack: await describeStack(cfn, name),
    })),
  );
  const stacks = described.map(({ name, stack }) => toStackHealth(name, stack));
  await startDueDriftDetections(cfn, described, now);

  const previous = new Map(
    (details?.previous ?? []).map(detail => [detail.stackName, detail]),
  );
  const existing = described.flatMap(({ name, stack }) =>
    stack && stack.StackStatus !== 'DELETE_COMPLETE'
      ? [
          {
            name,
            stack,
            forHealth: HEALTH_LAYERS.has(layerOf(stack, name) ?? ''),
            sameResources: isStackUnchanged(previous.get(name), stack),
            sameEvents: hasNoNewOperations(previous.get(name), stack),
          },
        ]
      : [],
  );
  const toRead = existing.filter(
    s => s.forHealth || (details && !s.sameResources),
  );
  const eventsToRead = details ? existing.filter(s => !s.sameEvents) : [];
  // Settled together so that a failed read of one stack does not leave the others' rejections unhandled.
  const [resourceReads, eventReads] = await Promise.all([
    Promise.allSettled(
      toRead.map(({ name }) => describeStackResources(cfn, name)),
    ),
    Promise.allSettled(
      eventsToRead.map(({ name }) => recentStackEvents(cfn, name)),
    ),
  ]);
  const resourcesByStack = new Map(
    toRead.map(({ name }, i) => [name, resourceReads[i]]),
  );
  const eventsByStack = new Map(
    eventsToRead.map(({ name }, i) => [name, eventReads[i]]),
  );

  const resources: Array<CfnStackResource & { layer?: string }> = [];
  for (const { name, stack, forHealth } of existing) {
    if (!forHealth) {
      continue;
    }
    const read = resourcesByStack.get(name)!;
    if (read.status === 'rejected') {
      throw read.reason;
    }
    for (const resource of read.value) {
      resources.push({ ...resource, layer: layerOf(stack, name) });
    }
  }
  const physicalIds = (type: string) =>
    resources
      .filter(r => r.ResourceType === type && r.PhysicalResourceId)
      .map(r => r.PhysicalResourceId!);

  const computeStack = described.find(
    ({ name, stack }) => stack && layerOf(stack, name) === 'compute',
  )?.stack;
  const clusterName =
    computeStack?.Outputs?.find(o => o.OutputKey === 'ClusterName')
      ?.OutputValue ?? physicalIds('AWS::EKS::Cluster')[0];

  const [eks, { databases, clusterMembers }, alarms] = await Promise.all([
    clusterName
      ? factory
          .getClient(EKSClient, target)
          .then(client => collectEks(client, clusterName))
      : Promise.resolve(undefined),
    factory
      .getClient(RDSClient, target)
      .then(client =>
        collectDatabases(
          client,
          physicalIds('AWS::RDS::DBInstance'),
          physicalIds('AWS::RDS::DBCluster'),
        ),
      ),
    factory
      .getClient(CloudWatchClient, target)
      .then(client =>
        collectAlarms(
          client,
          `${env.name}-`,
          physicalIds('AWS::CloudWatch::Alarm'),
        ),
      ),
  ]);

  const parts = { stacks, eks, databases, alarms };
  const judged = judgeHealth(parts);
  const dated = await collectLifecycle(
    target,
    lifecycleComponents(eks, databases, clusterMembers),
    now,
    versions,
  );
  const health: HealthReport = {
    ...judged,
    reasons: [...judged.reasons, ...(dated?.reasons ?? [])],
    ...parts,
    ...(dated && { lifecycle: dated.lifecycle }),
  };
  if (!details) {
    return { health };
  }
  try {
    const stackDetails = described.map(({ name, stack }, i) => {
      if (!stack || stack.StackStatus === 'DELETE_COMPLETE') {
        return toStackDetail(stacks[i], stack, [], []);
      }
      const kept = previous.get(name);
      const resourcesRead = resourcesByStack.get(name);
      const eventsRead = eventsByStack.get(name);
      return toStackDetail(
        stacks[i],
        stack,
        resourcesRead
          ? settledValue(resourcesRead, []).map(toStackResource)
          : kept?.resources ?? [],
        eventsRead ? settledValue(eventsRead, []) : kept?.events ?? [],
      );
    });
    return { health, stacks: { details: stackDetails } };
  } catch (error) {
    return { health, stacks: { error } };
  }
}

/** The value of a read; a stack deleted since `DescribeStacks` has nothing to show, other failures are thrown. */
function settledValue<T>(result: PromiseSettledResult<T>, missing: T): T {
  if (result.status === 'fulfilled') {
    return result.value;
  }
  if (isNotFound(result.reason)) {
    return missing;
  }
  throw result.reason;
}
