import Chip from '@material-ui/core/Chip';
import { makeStyles, type Theme } from '@material-ui/core/styles';
import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import type { ReactNode } from 'react';
import type {
  FindingSeverity,
  HealthVerdict,
} from '@internal/plugin-aws-environments-common';

const VERDICT_LABEL: Record<HealthVerdict, string> = {
  healthy: 'Healthy',
  degraded: 'Degraded',
  down: 'Down',
  unknown: 'Unknown',
};

/** A status indicator with its text, so the state is never told by colour alone. */
export function VerdictStatus(props: { verdict: HealthVerdict }) {
  const label = VERDICT_LABEL[props.verdict] ?? props.verdict;
  switch (props.verdict) {
    case 'healthy':
      return <StatusOK>{label}</StatusOK>;
    case 'degraded':
      return <StatusWarning>{label}</StatusWarning>;
    case 'down':
      return <StatusError>{label}</StatusError>;
    default:
      return <StatusAborted>{label}</StatusAborted>;
  }
}

/** CloudFormation, EKS and RDS statuses, shown with the indicator that matches their meaning. */
export function ResourceStatus(props: { status: string }) {
  const { status } = props;
  const upper = status.toUpperCase();
  let Indicator: (p: { children?: ReactNode }) => JSX.Element;
  if (/FAILED|ROLLBACK_COMPLETE$|DELETE_COMPLETE|INCOMPATIBLE|STOPPED|DEGRADED/.test(upper)) {
    Indicator = StatusError;
  } else if (/ROLLBACK|IMPAIRED|STORAGE-FULL|INACCESSIBLE/.test(upper)) {
    Indicator = StatusWarning;
  } else if (/IN_PROGRESS|CREATING|UPDATING|DELETING|MODIFYING|BACKING-UP|PENDING/.test(upper)) {
    Indicator = StatusRunning;
  } else if (/COMPLETE|ACTIVE|AVAILABLE|^OK$/.test(upper)) {
    Indicator = StatusOK;
  } else {
    Indicator = StatusPending;
  }
  return <Indicator>{status}</Indicator>;
}

export function DriftStatus(props: { drift?: string }) {
  switch (props.drift) {
    case 'IN_SYNC':
      return <StatusOK>In sync</StatusOK>;
    case 'DRIFTED':
    case 'MODIFIED':
      return <StatusWarning>Drifted</StatusWarning>;
    case 'DELETED':
      return <StatusError>Deleted</StatusError>;
    default:
      return <StatusPending>Not checked</StatusPending>;
  }
}

const useSeverityStyles = makeStyles((theme: Theme) => ({
  CRITICAL: {
    backgroundColor: theme.palette.error.dark,
    color: theme.palette.error.contrastText,
  },
  HIGH: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  MEDIUM: {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
  LOW: {
    backgroundColor: theme.palette.info.main,
    color: theme.palette.info.contrastText,
  },
  INFORMATIONAL: {
    backgroundColor: theme.palette.grey[500],
    color: theme.palette.getContrastText(theme.palette.grey[500]),
  },
}));

export function SeverityChip(props: { severity: FindingSeverity; count?: number }) {
  const classes = useSeverityStyles();
  const name =
    props.severity.charAt(0) + props.severity.slice(1).toLowerCase();
  return (
    <Chip
      size="small"
      className={classes[props.severity]}
      label={props.count === undefined ? name : `${name}: ${props.count}`}
    />
  );
}
