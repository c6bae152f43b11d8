import Box from '@material-ui/core/Box';
import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import WarningIcon from '@material-ui/icons/Warning';
import { describeError } from './ErrorPanel';
import { formatClockTime } from './format';

/**
 * Says that the last background read failed while the data read at `updatedAt` stays on screen: a line of text, not
 * an error panel, because the data shown is still useful.
 */
export function RefreshFailedNotice(props: { error: Error; updatedAt: Date }) {
  const reason = describeError(props.error);
  const shownFrom = formatClockTime(props.updatedAt);
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
          {`Updated ${formatClockTime(updatedAt)}`}
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
