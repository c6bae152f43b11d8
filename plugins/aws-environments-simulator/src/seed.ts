/**
 * The environments the simulated organization starts with, built from the environment blueprint through the
 * simulated CloudFormation, as the provisioning actions would build them, but back-dated so they are complete.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  AwsAccountSummary,
  Stage,
} from '@internal/plugin-aws-environments-common';
import {
  loadBlueprint,
  planEnvironment,
  resolveParameters,
  stackTags,
} from '@internal/plugin-aws-environments-node';
import { createEnvironmentSpec } from '@internal/plugin-aws-environments-node';
import type { EnvironmentBlueprint, EnvironmentSpec } from '@internal/plugin-aws-environments-node';
import {
  EKS_KUBERNETES_VERSIONS,
  snapshotKubernetesPhase,
} from '@internal/plugin-aws-environments-node';
import type { CloudFormationEngine } from './cloudformation/engine';
import { requiredCapabilities } from './cloudformation/template';
import { compareVersionNumbers } from '@internal/plugin-aws-environments-node';

const DAY = 86_400_000;

/** Account stages whose accounts hold environments (not, e.g., the shared-services account). */
const ENVIRONMENT_STAGES = new Set<string>(['dev', 'staging', 'prod']);

/** Where the blueprint lives when config does not say: the repository's templates, from the root or a package. */
export function defaultBlueprintDir(cwd = process.cwd()): string | undefined {
  const candidates = [
    path.resolve(cwd, 'templates/aws-environment/cloudformation'),
    path.resolve(cwd, '../../templates/aws-environment/cloudformation'),
  ];
  return candidates.find(dir =>
    fs.existsSync(path.join(dir, 'blueprint.yaml')),
  );
}

/** An environment of a stage with the reference architecture's defaults (the New AWS environment form's). */
export function specForStage(
  name: string,
  stage: Stage,
  accountId: string,
  region: string,
  cidrIndex: number,
): EnvironmentSpec {
  return createEnvironmentSpec({
    name,
    stage,
    accountId,
    region,
    vpcCidr: `10.${cidrIndex % 256}.0.0/16`,
  });
}

/**
 * The Kubernetes version of the seeded staging environment: it lags two minor versions behind the default, as a
 * team that upgrades late would, so that the portal has a cluster to show in extended support. It is the newest
 * version EKS still creates at `at` that is at least two minor versions older than `defaultVersion`.
 */
export function laggingKubernetesVersion(
  defaultVersion: string,
  at: number,
): string {
  const [major, minor] = defaultVersion.split('.').map(Number);
  const ceiling = `${major}.${minor - 2}`;
  const lagging = EKS_KUBERNETES_VERSIONS.filter(fact => {
    const phase = snapshotKubernetesPhase(fact, at);
    return (
      (phase === 'standard' || phase === 'extended') &&
      compareVersionNumbers(fact.version, ceiling) <= 0
    );
  }).sort((a, b) => compareVersionNumbers(b.version, a.version))[0];
  return lagging?.version ?? defaultVersion;
}

export interface SeedPlan {
  spec: EnvironmentSpec;
  /** How long ago the environment was created. */
  ageDays: number;
}

/**
 * The seeded environments: innovate-dev/staging in the dev account, innovate-prod in prod, plus N extra. All run the
 * default versions except innovate-staging, whose cluster lags behind (see `laggingKubernetesVersion`).
 */
export function seedPlans(
  accounts: AwsAccountSummary[],
  extraEnvironments: number,
  now: number = Date.now(),
): SeedPlan[] {
  const dev =
    accounts.find(a => a.stage === 'dev') ??
    accounts.find(a => a.stage === 'staging');
  const prod = accounts.find(a => a.stage === 'prod');
  const plans: SeedPlan[] = [];
  if (dev) {
    plans.push({
      spec: specForStage(
        'innovate-dev',
        'dev',
        dev.accountId,
        dev.defaultRegion,
        10,
      ),
      ageDays: 150,
    });
    const staging = specForStage(
      'innovate-staging',
      'staging',
      dev.accountId,
      dev.defaultRegion,
      20,
    );
    plans.push({
      spec: {
        ...staging,
        kubernetesVersion: laggingKubernetesVersion(
          staging.kubernetesVersion,
          now,
        ),
      },
      ageDays: 140,
    });
  }
  if (prod) {
    plans.push({
      spec: specForStage(
        'innovate-prod',
        'prod',
        prod.accountId,
        prod.defaultRegion,
        30,
      ),
      ageDays: 130,
    });
  }
  // Every account that holds environments, in each of its Regions, takes its turn.
  const targets = accounts
    .filter(a => ENVIRONMENT_STAGES.has(a.stage ?? ''))
    .flatMap(account =>
      (account.regions.length > 0 ? account.regions : [account.defaultRegion]).map(
        region => ({ account, region }),
      ),
    );
  for (let i = 1; i <= extraEnvironments && targets.length > 0; i++) {
    const { account, region } = targets[i % targets.length];
    let stage: Stage = i % 3 === 0 ? 'staging' : 'dev';
    if (account.stage === 'prod' || account.stage === 'staging')
      stage = account.stage;
    const name = `sim-env-${String(i).padStart(4, '0')}`;
    plans.push({
      spec: specForStage(name, stage, account.accountId, region, 40 + i),
      ageDays: 100 + (i % 30),
    });
  }
  return plans;
}

/** Creates every layer of every planned environment, each layer after the layers it needs. */
export async function seedEnvironments(
  engine: CloudFormationEngine,
  blueprint: EnvironmentBlueprint,
  plans: SeedPlan[],
  now: number,
  logger?: LoggerService,
): Promise<void> {
  const warned = new Set<string>();
  for (const [index, { spec, ageDays }] of plans.entries()) {
    // Hundreds of environments take seconds to build; yield so the backend keeps serving meanwhile.
    if (index > 0 && index % 10 === 0)
      await new Promise(resolve => setImmediate(resolve));
    const state = engine.region(spec.accountId, spec.region);
    const outputsByLayer: Record<string, Record<string, string>> = {};
    let at = now - ageDays * DAY;
    for (const planned of planEnvironment(blueprint, spec)) {
      // A blueprint that forgets a capability would fail every real deployment; seeding still builds the
      // environment so the portal starts, and says loudly what the blueprint must declare.
      const required = requiredCapabilities(
        engine.parsed(planned.templateBody),
      );
      const missing = required.filter(
        c =>
          !planned.capabilities.includes(c) &&
          !(
            c === 'CAPABILITY_IAM' &&
            planned.capabilities.includes('CAPABILITY_NAMED_IAM')
          ),
      );
      if (missing.length > 0 && !warned.has(planned.layer)) {
        warned.add(planned.layer);
        logger?.warn(
          `Blueprint ${blueprint.name}@${blueprint.version}: layer ${
            planned.layer
          } needs capabilities [${missing.join(
            ', ',
          )}] that blueprint.yaml does not declare; CreateStack would fail with InsufficientCapabilitiesException`,
        );
      }
      const stack = engine.createStack(
        state,
        {
          stackName: planned.stackName,
          templateBody: planned.templateBody,
          parameters: resolveParameters(planned, spec, outputsByLayer),
          // As the deploy action tags them, so an update of a seeded environment changes only what it asks for.
          tags: stackTags(blueprint, spec, planned.layer),
          capabilities: [...planned.capabilities, ...missing],
          terminationProtection: spec.stage === 'prod',
        },
        at,
      );
      engine.advance(state);
      outputsByLayer[planned.layer] = Object.fromEntries(
        stack.definition.outputs.map(o => [o.OutputKey, o.OutputValue]),
      );
      at += 3_600_000;
    }
  }
}

export async function loadSeedBlueprint(
  dir: string | undefined,
  logger?: LoggerService,
): Promise<EnvironmentBlueprint | undefined> {
  const resolved = dir ?? defaultBlueprintDir();
  if (!resolved) {
    logger?.warn(
      'Simulated AWS organization: no environment blueprint found (awsEnvironments.blueprintDir); starting without environments',
    );
    return undefined;
  }
  return loadBlueprint(resolved);
}
