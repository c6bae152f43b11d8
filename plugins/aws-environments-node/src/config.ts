import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  STAGES,
  type AwsAccountSummary,
  type AwsMode,
  type Stage,
} from '@internal/plugin-aws-environments-common';

/** How the SDK retries throttled and transient failures, applied to every client. */
export interface AwsRetrySettings {
  mode: 'adaptive' | 'standard';
  maxAttempts: number;
}

/** Knobs of the simulated AWS organization. */
export interface SimulationSettings {
  /** Seed of every generated value: same seed, same organization. */
  seed: number;
  /** Multiplies AWS's real resource durations; 0.05 makes a whole environment take about a minute. */
  timeScale: number;
  /** Extra environments (`sim-env-0001`, ...) spread over every dev, staging and prod account and its Regions, for benchmarks. */
  extraEnvironments: number;
  /** `<stackName>/<LogicalResourceId>` entries whose creation or update fails, to exercise rollbacks. */
  failResources: string[];
  /** SQLite file the simulated CloudFormation state is saved to (each changed stack) and loaded from at start. */
  stateFile?: string;
  /**
   * URL of a simulated organization served by another process (`createSharedSimulationHandler`): every backend
   * configured with it sees one AWS. The other settings then belong to that process.
   */
  sharedUrl?: string;
}

/** `awsEnvironments` configuration, read once. */
export interface AwsEnvironmentsSettings {
  mode: AwsMode;
  accounts: AwsAccountSummary[];
  /**
   * Endpoint override per service key (lower-case client name without `Client`, e.g. `cloudformation`). `sts` also
   * carries the role assumption and caller-identity lookups of the credentials.
   */
  endpoints: Record<string, string>;
  retry: AwsRetrySettings;
  /** Directory of the environment blueprint the simulation seeds its environments from. */
  blueprintDir?: string;
  simulation: SimulationSettings;
}

/** The accounts of the simulated organization when config names none. */
export const DEFAULT_SIMULATED_ACCOUNTS: AwsAccountSummary[] = [
  {
    accountId: '111111111111',
    name: 'shared-services',
    stage: 'shared',
    regions: ['eu-central-1'],
    defaultRegion: 'eu-central-1',
  },
  {
    accountId: '222222222222',
    name: 'innovate-dev',
    stage: 'dev',
    regions: ['eu-central-1'],
    defaultRegion: 'eu-central-1',
  },
  {
    accountId: '333333333333',
    name: 'innovate-prod',
    stage: 'prod',
    regions: ['eu-central-1'],
    defaultRegion: 'eu-central-1',
  },
];

export const DEFAULT_SIMULATION_SETTINGS: SimulationSettings = {
  seed: 7,
  timeScale: 0.05,
  extraEnvironments: 0,
  failResources: [],
};

const ACCOUNT_ID_PATTERN = /^\d{12}$/;

function readAccount(config: Config): AwsAccountSummary {
  const accountId = config.getString('accountId');
  if (!ACCOUNT_ID_PATTERN.test(accountId)) {
    throw new InputError(
      `awsEnvironments.accounts: '${accountId}' is not a 12-digit AWS account id`,
    );
  }
  const stage = config.getOptionalString('stage');
  if (stage && stage !== 'shared' && !STAGES.includes(stage as Stage)) {
    throw new InputError(
      `awsEnvironments.accounts[${accountId}].stage must be one of shared, ${STAGES.join(
        ', ',
      )}`,
    );
  }
  const regions = config.getOptionalStringArray('regions') ?? [];
  if (regions.length === 0) {
    throw new InputError(
      `awsEnvironments.accounts[${accountId}].regions must list at least one Region`,
    );
  }
  return {
    accountId,
    name: config.getOptionalString('name') ?? accountId,
    stage: stage as AwsAccountSummary['stage'],
    regions,
    defaultRegion: regions[0],
  };
}

/** Reads and validates `awsEnvironments`; throws `InputError` naming the key at fault. */
export function readAwsEnvironmentsSettings(
  rootConfig: Config,
): AwsEnvironmentsSettings {
  const config = rootConfig.getOptionalConfig('awsEnvironments');
  const mode = (config?.getOptionalString('mode') ?? 'simulated') as AwsMode;
  if (mode !== 'aws' && mode !== 'simulated') {
    throw new InputError(
      `awsEnvironments.mode must be 'aws' or 'simulated', got '${mode}'`,
    );
  }
  const accountConfigs = config?.getOptionalConfigArray('accounts');
  let accounts: AwsAccountSummary[];
  if (accountConfigs && accountConfigs.length > 0) {
    accounts = accountConfigs.map(readAccount);
  } else if (mode === 'simulated') {
    accounts = DEFAULT_SIMULATED_ACCOUNTS;
  } else {
    throw new InputError(
      'awsEnvironments.accounts must list the accounts the portal may use when mode is aws',
    );
  }

  const endpoints: Record<string, string> = {};
  const endpointConfig = config?.getOptionalConfig('endpoints');
  for (const key of endpointConfig?.keys() ?? []) {
    const url = endpointConfig!.getString(key);
    // Checked here because the SDK only fails at the first request, with a message that does not name the key.
    if (!/^https?:\/\/[^/]+/.test(url)) {
      throw new InputError(
        `awsEnvironments.endpoints.${key} must be an http(s) URL such as http://127.0.0.1:4566, got '${url}'`,
      );
    }
    endpoints[key.toLocaleLowerCase('en-US')] = url;
  }

  const retryMode = config?.getOptionalString('retry.mode') ?? 'adaptive';
  if (retryMode !== 'adaptive' && retryMode !== 'standard') {
    throw new InputError(
      `awsEnvironments.retry.mode must be 'adaptive' or 'standard', got '${retryMode}'`,
    );
  }
  const maxAttempts = config?.getOptionalNumber('retry.maxAttempts') ?? 6;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new InputError(
      'awsEnvironments.retry.maxAttempts must be a positive integer',
    );
  }

  const sim = config?.getOptionalConfig('simulation');
  const timeScale =
    sim?.getOptionalNumber('timeScale') ??
    DEFAULT_SIMULATION_SETTINGS.timeScale;
  if (!(timeScale >= 0)) {
    throw new InputError(
      'awsEnvironments.simulation.timeScale must be 0 or more',
    );
  }
  const extraEnvironments = sim?.getOptionalNumber('extraEnvironments') ?? 0;
  if (!Number.isInteger(extraEnvironments) || extraEnvironments < 0) {
    throw new InputError(
      'awsEnvironments.simulation.extraEnvironments must be a whole number, 0 or more',
    );
  }

  const sharedUrl = sim?.getOptionalString('sharedUrl');
  if (sharedUrl !== undefined && !/^https?:\/\/[^/]+/.test(sharedUrl)) {
    throw new InputError(
      `awsEnvironments.simulation.sharedUrl must be an http(s) URL, got '${sharedUrl}'`,
    );
  }

  return {
    mode,
    accounts,
    endpoints,
    retry: { mode: retryMode, maxAttempts },
    blueprintDir: config?.getOptionalString('blueprintDir'),
    simulation: {
      seed: sim?.getOptionalNumber('seed') ?? DEFAULT_SIMULATION_SETTINGS.seed,
      timeScale,
      extraEnvironments,
      failResources: sim?.getOptionalStringArray('failResources') ?? [],
      stateFile: sim?.getOptionalString('stateFile'),
      sharedUrl,
    },
  };
}
