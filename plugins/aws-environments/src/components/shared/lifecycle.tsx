import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles, type Theme } from '@material-ui/core/styles';
import type {
  ComponentLifecycle,
  EnvironmentSummary,
} from '@internal/plugin-aws-environments-common';
import { formatSurcharge } from './versions';

/** Fewer days than this before a support phase ends is shown in the warning colour: time to plan the upgrade. */
export const SUPPORT_WARNING_DAYS = 90;

const useStyles = makeStyles((theme: Theme) => ({
  soon: {
    color: theme.palette.warning.dark,
    fontWeight: theme.typography.fontWeightMedium as number,
  },
  chip: {
    whiteSpace: 'nowrap',
    maxWidth: 'none',
  },
  warningChip: {
    borderColor: theme.palette.warning.main,
    color: theme.palette.warning.dark,
  },
  errorChip: {
    borderColor: theme.palette.error.main,
    color: theme.palette.error.main,
  },
}));

function days(count: number): string {
  return `${count} ${count === 1 ? 'day' : 'days'}`;
}

/**
 * "Support ends in 45 days" (or "Standard support ends in …" while in standard support, after which EKS and RDS
 * move the version into paid extended support), in the warning colour within {@link SUPPORT_WARNING_DAYS}.
 */
export function SupportEnds(props: {
  component: Pick<ComponentLifecycle, 'phase' | 'daysLeft'>;
}) {
  const classes = useStyles();
  const { phase, daysLeft } = props.component;
  if (daysLeft === undefined || phase === 'unknown') {
    return null;
  }
  const what = phase === 'standard' ? 'Standard support' : 'Support';
  const text =
    daysLeft > 0 ? `${what} ends in ${days(daysLeft)}` : `${what} has ended`;
  return (
    <Typography
      variant="body2"
      component="span"
      className={daysLeft < SUPPORT_WARNING_DAYS ? classes.soon : undefined}
    >
      {text}
    </Typography>
  );
}

/** "In extended support (+$365/month)", "In standard support", … */
export function phaseText(
  component: Pick<ComponentLifecycle, 'phase' | 'extendedSupportMonthly'>,
): string {
  switch (component.phase) {
    case 'extended':
      return component.extendedSupportMonthly
        ? `In extended support (${formatSurcharge(
            component.extendedSupportMonthly,
          )})`
        : 'In extended support';
    case 'standard':
      return 'In standard support';
    case 'unsupported':
      return 'No longer supported';
    default:
      return 'Support dates not known';
  }
}

/**
 * A compact lifecycle mark for a row of the Environments page: nothing for an environment whose versions are all in
 * standard support for more than {@link SUPPORT_WARNING_DAYS} days; the summary sentence is its tooltip.
 */
export function LifecycleChip(props: {
  lifecycle: EnvironmentSummary['lifecycle'];
}) {
  const classes = useStyles();
  const { lifecycle } = props;
  if (!lifecycle) {
    return null;
  }
  const soon =
    lifecycle.daysLeft !== undefined &&
    lifecycle.daysLeft < SUPPORT_WARNING_DAYS;
  let label: string;
  let tone: 'warning' | 'error';
  if (lifecycle.worst === 'unsupported') {
    label = 'Unsupported version';
    tone = 'error';
  } else if (lifecycle.worst === 'extended' && !soon) {
    label = 'Extended support';
    tone = 'warning';
  } else if (soon) {
    label =
      lifecycle.daysLeft! > 0
        ? `Support ends in ${days(lifecycle.daysLeft!)}`
        : 'Support has ended';
    tone = lifecycle.worst === 'extended' ? 'error' : 'warning';
  } else {
    return null;
  }
  return (
    <Tooltip title={lifecycle.summary}>
      <Chip
        size="small"
        variant="outlined"
        label={label}
        tabIndex={0}
        className={`${classes.chip} ${
          tone === 'error' ? classes.errorChip : classes.warningChip
        }`}
      />
    </Tooltip>
  );
}
