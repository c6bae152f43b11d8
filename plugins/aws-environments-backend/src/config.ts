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
  /** Minimum time between two on-demand refreshes of one section of one environment. */
  manualRefreshIntervalMs: number;
  manualRefresh: {
    /** On-demand refreshes one user (or service) may ask for per rolling hour, across all environments. */
    perUserPerHour: number;
  };
  concurrency: number;
  costs: {
    /** Days read again from Cost Explorer by an incremental refresh (see `refreshWindowStart`). */
    refreshWindowDays: number;
    /** An account's whole 90 days are read again when its last full read is at least this old. */
    fullRefreshIntervalMs: number;
  };
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
  const perUserPerHour =
    insights?.getOptionalNumber('manualRefresh.perUserPerHour') ?? 30;
  if (!Number.isInteger(perUserPerHour) || perUserPerHour < 1) {
    throw new InputError(
      'awsEnvironments.insights.manualRefresh.perUserPerHour must be a positive integer',
    );
  }
  const costs = insights?.getOptionalConfig('costs');
  const refreshWindowDays = costs?.getOptionalNumber('refreshWindowDays') ?? 3;
  if (
    !Number.isInteger(refreshWindowDays) ||
    refreshWindowDays < 1 ||
    refreshWindowDays > 90
  ) {
    throw new InputError(
      'awsEnvironments.insights.costs.refreshWindowDays must be an integer from 1 to 90',
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
    manualRefresh: { perUserPerHour },
    concurrency,
    costs: {
      refreshWindowDays,
      fullRefreshIntervalMs: durationToMilliseconds(
        readDuration(insights, 'costs.fullRefreshInterval', { days: 30 }),
      ),
    },
  };
}
