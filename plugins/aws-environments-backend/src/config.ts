import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { HumanDuration, durationToMilliseconds } from '@backstage/types';

/** The insights settings, read once at start-up. */
export interface InsightsConfig {
  platformTeam: string;
  schedule: {
    health: HumanDuration;
    findings: HumanDuration;
    costs: HumanDuration;
    initialDelay: HumanDuration;
  };
  manualRefreshIntervalMs: number;
  concurrency: number;
}

export const DEFAULT_PLATFORM_TEAM = 'group:default/platform-team';

function readDuration(
  config: Config | undefined,
  key: string,
  fallback: HumanDuration,
): HumanDuration {
  if (!config?.has(key)) {
    return fallback;
  }
  try {
    return readDurationFromConfig(config, { key });
  } catch (error) {
    throw new InputError(
      `awsEnvironments.insights.${key} is not a valid duration: ${error}`,
    );
  }
}

export function readInsightsConfig(config: Config): InsightsConfig {
  const insights = config.getOptionalConfig('awsEnvironments.insights');
  const schedule = insights?.getOptionalConfig('schedule');
  const concurrency = insights?.getOptionalNumber('concurrency') ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InputError(
      'awsEnvironments.insights.concurrency must be a positive integer',
    );
  }
  return {
    platformTeam:
      insights?.getOptionalString('platformTeam') ?? DEFAULT_PLATFORM_TEAM,
    schedule: {
      health: readDuration(schedule, 'health', { minutes: 5 }),
      findings: readDuration(schedule, 'findings', { minutes: 60 }),
      costs: readDuration(schedule, 'costs', { hours: 8 }),
      initialDelay: readDuration(schedule, 'initialDelay', { seconds: 15 }),
    },
    manualRefreshIntervalMs: durationToMilliseconds(
      readDuration(insights, 'manualRefreshInterval', { seconds: 60 }),
    ),
    concurrency,
  };
}
