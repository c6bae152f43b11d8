import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  awsDatabaseEngine,
  checkDatabaseVersion,
  checkKubernetesVersion,
  readAwsVersions,
  snapshotAwsVersions,
  type AwsClientFactory,
  type AwsVersions,
  type EnvironmentSpec,
  stageDefaults,
} from '@internal/plugin-aws-environments-node';
import type { EffectiveSetting } from './currentSettings';
import type { EnvironmentRequest } from './environmentSpec';

/** Settings whose value the stacks already run with: AWS keeps running resources on versions it no longer creates. */
const RUNNING = new Set<EffectiveSetting['status']>(['kept', 'unchanged']);

function asksFor(settings: EffectiveSetting[], field: string): boolean {
  const setting = settings.find(s => s.field === field);
  return !setting || !RUNNING.has(setting.status);
}

/**
 * Refuses, before any change set, a Kubernetes or PostgreSQL version that EKS or RDS will not create in the
 * environment's account and Region, with a sentence listing the versions they offer. Only versions the request
 * sets or defaults are checked: a version the stacks run today is kept as it is, and so is a database whose engine
 * and version both stay (a new engine replaces the database, so its version is checked).
 *
 * The versions are read from AWS through the factory (the simulated organization answers in simulated mode). When
 * they cannot be read, the dated snapshot decides, and the log says so.
 */
export async function assertVersionsOffered(
  awsClients: AwsClientFactory,
  spec: Pick<
    EnvironmentSpec,
    | 'accountId'
    | 'region'
    | 'kubernetesVersion'
    | 'databaseEngine'
    | 'databaseEngineVersion'
  >,
  settings: EffectiveSetting[],
  logger: Pick<LoggerService, 'warn'>,
  now: Date = new Date(),
): Promise<void> {
  const kubernetes = asksFor(settings, 'kubernetesVersion');
  const database =
    asksFor(settings, 'databaseEngineVersion') ||
    asksFor(settings, 'databaseEngine');
  if (!kubernetes && !database) {
    return;
  }
  const target = { accountId: spec.accountId, region: spec.region };
  let versions: AwsVersions;
  let fromSnapshot: string | undefined;
  try {
    versions = await readAwsVersions(awsClients, target, { now });
  } catch (error) {
    versions = snapshotAwsVersions(target, { now });
    fromSnapshot = `The versions EKS and RDS offer in account ${
      spec.accountId
    } ${spec.region} could not be read (${(error as Error).message.replace(
      /\.$/,
      '',
    )}), so the portal's snapshot of ${versions.snapshotDate} was used.`;
    logger.warn(fromSnapshot);
  }
  const problems = [
    kubernetes
      ? checkKubernetesVersion(spec.kubernetesVersion, versions, now)
      : undefined,
    database
      ? checkDatabaseVersion(
          awsDatabaseEngine(spec.databaseEngine),
          spec.databaseEngineVersion,
          versions,
          now,
        )
      : undefined,
  ].filter((p): p is string => Boolean(p));
  if (problems.length) {
    throw new InputError(
      fromSnapshot
        ? `${problems.join(' ')} ${fromSnapshot}`
        : problems.join(' '),
    );
  }
}

/**
 * `assertVersionsOffered` for a new environment, before anything is read from CloudFormation: the versions asked for,
 * or the stage defaults where the request leaves them blank.
 */
export async function assertNewEnvironmentVersionsOffered(
  awsClients: AwsClientFactory,
  request: EnvironmentRequest,
  logger: Pick<LoggerService, 'warn'>,
  now: Date = new Date(),
): Promise<void> {
  const defaults = stageDefaults(request.stage);
  await assertVersionsOffered(
    awsClients,
    {
      accountId: request.accountId,
      region: request.region,
      kubernetesVersion:
        request.kubernetesVersion || defaults.kubernetesVersion,
      databaseEngine: request.databaseEngine || defaults.databaseEngine,
      databaseEngineVersion:
        request.databaseEngineVersion || defaults.databaseEngineVersion,
    },
    [],
    logger,
    now,
  );
}
