import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import Box from '@material-ui/core/Box';
import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import WarningIcon from '@material-ui/icons/Warning';
import Alert from '@material-ui/lab/Alert';
import type {
  EnvironmentRefreshSection,
  RefreshableSection,
} from '@internal/plugin-aws-environments-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { awsEnvironmentsApiRef } from '../../api/AwsEnvironmentsApi';
import type { EnvironmentRef } from '../../api/types';
import { describeError } from './ErrorPanel';
import { formatClockTimeWithZone } from './format';

/**
 * Says that the last background read failed while the data read at `updatedAt` stays on screen: a line of text, not
 * an error panel, because the data shown is still useful.
 */
export function RefreshFailedNotice(props: { error: Error; updatedAt: Date }) {
  const reason = describeError(props.error);
  const shownFrom = formatClockTimeWithZone(props.updatedAt);
  return (
    <Box
      role="status"
      display="flex"
      alignItems="center"
      gridGap={4}
      color="warning.main"
    >
      <WarningIcon fontSize="small" />
      <Typography variant="caption" title={props.updatedAt.toLocaleString()}>
        {`Could not refresh: ${reason}, showing data from ${shownFrom}`}
      </Typography>
    </Box>
  );
}

/**
 * When the data on screen was read, or why the last refresh failed, with a button to read again now.
 */
export function RefreshStatus(props: {
  updatedAt?: Date;
  error?: Error;
  refreshing: boolean;
  onRefresh: () => void;
  refreshLabel: string;
}) {
  const { updatedAt, error } = props;
  return (
    <Box
      display="flex"
      alignItems="center"
      justifyContent="flex-end"
      gridGap={8}
    >
      {updatedAt && error && (
        <RefreshFailedNotice error={error} updatedAt={updatedAt} />
      )}
      {updatedAt && !error && (
        <Typography
          variant="caption"
          color="textSecondary"
          title={updatedAt.toLocaleString()}
        >
          {`Updated ${formatClockTimeWithZone(updatedAt)}`}
        </Typography>
      )}
      <Tooltip title="Read the latest collected data now">
        <span>
          <IconButton
            aria-label={props.refreshLabel}
            onClick={props.onRefresh}
            disabled={props.refreshing}
            size="small"
          >
            <RefreshIcon fontSize="small" />
          </IconButton>
        </span>
      </Tooltip>
    </Box>
  );
}

/** The sections of a refresh answer that belong to a card's section (health comes with its stack details). */
const SECTIONS_OF: Record<
  RefreshableSection,
  Array<EnvironmentRefreshSection['section']>
> = {
  health: ['health', 'stacks'],
  findings: ['findings'],
};

/** `14:05 (UTC)`. */
export function formatUtcClockTime(date: Date): string {
  return `${date.toISOString().slice(11, 16)} (UTC)`;
}

/** What the last on-demand refresh of a card's section came to, for the line under the card's title. */
export type SectionRefreshOutcome =
  /** Collected now, or found fresh: a neutral note. */
  | { kind: 'done'; collectedAt?: Date; nextRefreshAt?: Date; queued: boolean }
  /** Not a failure, but not done either (not allowed, hourly budget used up): the server's sentence, as information. */
  | { kind: 'info'; message: string }
  /** A real failure: the collection failed, or the request did. */
  | { kind: 'error'; message: string };

function toOutcome(
  sections: EnvironmentRefreshSection[],
  section: RefreshableSection,
): SectionRefreshOutcome {
  const mine = sections.filter(s => SECTIONS_OF[section].includes(s.section));
  const failed = mine.filter(s => !s.ok);
  if (failed.length) {
    return {
      kind: 'error',
      message: failed
        .map(
          f => `Refreshing ${f.section} failed: ${f.error ?? 'unknown error'}`,
        )
        .join('; '),
    };
  }
  const main = mine.find(s => s.section === section) ?? mine[0];
  return {
    kind: 'done',
    collectedAt: main?.collectedAt ? new Date(main.collectedAt) : undefined,
    nextRefreshAt: main?.nextRefreshAt
      ? new Date(main.nextRefreshAt)
      : undefined,
    queued: main?.state === 'queued',
  };
}

/**
 * The on-demand refresh of one section of an environment: whether the caller may (asked once), the refresh itself,
 * and what it came to. `onDone` is called after a refresh, so that the card reads its data again.
 */
export function useSectionRefresh(
  ref: EnvironmentRef,
  section: RefreshableSection | undefined,
  onDone: () => void,
) {
  const api = useApi(awsEnvironmentsApiRef);
  const [access, setAccess] = useState<{
    allowed: boolean;
    reason?: string;
    nextRefreshAt?: Date;
  }>();
  const [refreshing, setRefreshing] = useState(false);
  const [outcome, setOutcome] = useState<SectionRefreshOutcome>();
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useEffect(() => {
    if (!section) {
      return;
    }
    api
      .getRefreshAccess(ref)
      .then(answer => {
        if (!mounted.current) return;
        const next = answer.sections.find(
          s => s.section === section,
        )?.nextRefreshAt;
        setAccess({
          allowed: answer.canRefresh,
          reason: answer.reason,
          nextRefreshAt: next ? new Date(next) : undefined,
        });
      })
      // A backend that cannot say lets the refresh itself answer.
      .catch(() => mounted.current && setAccess({ allowed: true }));
  }, [api, ref.namespace, ref.name, section]); // eslint-disable-line react-hooks/exhaustive-deps

  const refresh = useCallback(async () => {
    if (!section) return;
    setRefreshing(true);
    setOutcome(undefined);
    try {
      const answer = await api.refresh(ref, { section });
      if (!mounted.current) return;
      setOutcome(toOutcome(answer.sections, section));
      onDone();
    } catch (error) {
      if (!mounted.current) return;
      const status =
        error instanceof ResponseError ? error.statusCode : undefined;
      const message = describeError(error as Error);
      if (status === 403 || status === 429) {
        setOutcome({ kind: 'info', message });
        if (status === 403) setAccess({ allowed: false, reason: message });
      } else {
        setOutcome({ kind: 'error', message });
      }
    } finally {
      if (mounted.current) setRefreshing(false);
    }
  }, [api, ref, section, onDone]);

  const nextRefreshAt =
    outcome?.kind === 'done' ? outcome.nextRefreshAt : access?.nextRefreshAt;
  return {
    /** Undefined while unknown. */
    allowed: section ? access?.allowed : false,
    reason: access?.reason,
    refreshing,
    outcome,
    nextRefreshAt,
    refresh,
  };
}

/** Seconds until `at`, updated every second while in the future; 0 once it has passed. */
function useSecondsUntil(at: Date | undefined): number {
  const left = () =>
    at ? Math.max(0, Math.ceil((at.getTime() - Date.now()) / 1000)) : 0;
  const [seconds, setSeconds] = useState(left);
  useEffect(() => {
    setSeconds(left());
    if (!at) return undefined;
    const timer = setInterval(() => {
      const value = left();
      setSeconds(value);
      if (value === 0) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
  }, [at?.getTime()]); // eslint-disable-line react-hooks/exhaustive-deps
  return seconds;
}

/**
 * The Refresh button of a card whose section can be collected on demand: disabled, with the reason as its tooltip,
 * for a caller who may not refresh the environment, and while a refresh runs or until the next one is possible.
 */
export function SectionRefreshButton(props: {
  label: string;
  state: ReturnType<typeof useSectionRefresh>;
}) {
  const { allowed, reason, refreshing, nextRefreshAt, refresh } = props.state;
  const wait = useSecondsUntil(nextRefreshAt);
  let tooltip = 'Collect from AWS again';
  if (allowed === false) {
    tooltip = reason ?? 'You may not refresh this environment';
  } else if (refreshing) {
    tooltip = 'Refreshing…';
  } else if (wait > 0) {
    tooltip = `Next refresh possible in ${wait} s`;
  }
  return (
    <Tooltip title={tooltip}>
      <span>
        <IconButton
          aria-label={props.label}
          onClick={refresh}
          disabled={allowed !== true || refreshing || wait > 0}
          size="small"
        >
          <RefreshIcon />
        </IconButton>
      </span>
    </Tooltip>
  );
}

/**
 * What the card's on-demand refresh is doing or came to: "Refreshing…", then a neutral note with the time of the
 * data and when the next refresh is possible; the server's sentence as information when the refresh was not
 * allowed; a red error only when it failed.
 */
export function SectionRefreshNotice(props: {
  state: ReturnType<typeof useSectionRefresh>;
}) {
  const { refreshing, outcome, nextRefreshAt } = props.state;
  const wait = useSecondsUntil(nextRefreshAt);
  if (refreshing) {
    return (
      <Typography
        role="status"
        variant="caption"
        color="textSecondary"
        component="p"
      >
        Refreshing…
      </Typography>
    );
  }
  if (!outcome) {
    return null;
  }
  if (outcome.kind === 'info' || outcome.kind === 'error') {
    return (
      <Box mb={1}>
        <Alert
          severity={outcome.kind === 'info' ? 'info' : 'error'}
          role={outcome.kind === 'info' ? 'status' : 'alert'}
        >
          {outcome.message}
        </Alert>
      </Box>
    );
  }
  const parts = [
    outcome.queued
      ? 'A refresh asked for moments ago is still running'
      : `Refreshed at ${
          outcome.collectedAt
            ? formatUtcClockTime(outcome.collectedAt)
            : 'an unknown time'
        }`,
  ];
  if (wait > 0) {
    parts.push(`next refresh possible in ${wait} s`);
  }
  return (
    <Typography
      role="status"
      variant="caption"
      color="textSecondary"
      component="p"
    >
      {parts.join(' — ')}
    </Typography>
  );
}
