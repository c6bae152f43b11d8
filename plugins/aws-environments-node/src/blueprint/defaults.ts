import type { Stage } from '@internal/plugin-aws-environments-common';
import {
  snapshotDefaultKubernetesVersion,
  snapshotDefaultPostgresMajorVersion,
} from '../facts/versionSnapshot';
import type { EnvironmentSpec } from './types';

/**
 * The reference architecture's defaults for a stage: dev/staging run on 2 AZs with one NAT gateway and spot-heavy
 * nodes; prod runs on 3 AZs with a NAT gateway per AZ, on-demand nodes and a Multi-AZ database. The New AWS
 * environment form uses the same values, and so does the simulated organization's seeding.
 */
export function stageDefaults(
  stage: Stage,
): Omit<
  EnvironmentSpec,
  'name' | 'stage' | 'accountId' | 'region' | 'vpcCidr'
> {
  const prod = stage === 'prod';
  // Spot for dev, a mix for staging (frontend on spot), on-demand for prod.
  const nodeStrategies: Record<Stage, EnvironmentSpec['nodeStrategy']> = {
    dev: 'spot',
    staging: 'mixed',
    prod: 'on-demand',
  };
  return {
    owner: 'group:default/web-team',
    system: 'system:default/innovate-web',
    costCenter: 'web',
    azCount: prod ? 3 : 2,
    natGateways: prod ? 'per-az' : 'single',
    nodeStrategy: nodeStrategies[stage],
    frontendInstanceType: prod ? 'm7g.large' : 't4g.medium',
    backendInstanceType: prod ? 'm7g.xlarge' : 't4g.large',
    frontendNodes: prod
      ? { min: 3, max: 9, desired: 3 }
      : { min: 1, max: 3, desired: 2 },
    backendNodes: prod
      ? { min: 3, max: 12, desired: 3 }
      : { min: 1, max: 4, desired: 2 },
    // Versions from the dated snapshot, as the forms' defaults; the actions check them against AWS at run time.
    kubernetesVersion: snapshotDefaultKubernetesVersion(),
    databaseEngine: 'rds-postgresql',
    databaseEngineVersion: snapshotDefaultPostgresMajorVersion(),
    databaseInstanceClass: prod ? 'db.r7g.large' : 'db.t4g.medium',
    databaseStorageGb: prod ? 100 : 20,
    multiAz: prod,
    readReplica: false,
    backupRetentionDays: prod ? 14 : 3,
    drCopyRegion: '',
    enableWaf: prod,
    domainName: '',
    hostedZoneId: '',
    budgetMonthlyUsd: prod ? 5000 : 800,
    alertEmail: 'platform-team@innovate.example',
  };
}

/** A complete environment spec from the few fields that have no sensible default. */
export function createEnvironmentSpec(
  required: Pick<EnvironmentSpec, 'name' | 'stage' | 'accountId' | 'region'> &
    Partial<EnvironmentSpec>,
): EnvironmentSpec {
  return {
    vpcCidr: '10.0.0.0/16',
    ...stageDefaults(required.stage),
    ...required,
  };
}
