import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import type { SectionMeta } from '@internal/plugin-aws-environments-common';
import { formatAge, formatDateTime } from './format';

/**
 * When a section's data was taken from AWS, and a Stale badge when it is old or its last refresh failed. A section
 * never collected and never failed is new, not stale: it waits for its first collection.
 */
export function AsOf(props: { meta: SectionMeta }) {
  const { collectedAt, stale, error, errorAt } = props.meta;
  const waiting = !collectedAt && !error;
  const notCollected = waiting
    ? 'Waiting for the first collection'
    : 'Not collected yet';
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap" gridGap={8}>
      <Typography variant="caption" color="textSecondary">
        {collectedAt ? (
          <>
            As of{' '}
            <time dateTime={collectedAt} title={formatDateTime(collectedAt)}>
              {formatAge(collectedAt)}
            </time>
          </>
        ) : (
          notCollected
        )}
      </Typography>
      {stale && !waiting && (
        <Tooltip
          title={
            error
              ? `Last refresh failed${errorAt ? ` ${formatAge(errorAt)}` : ''}: ${error}`
              : 'Older than its refresh cadence allows'
          }
        >
          <Chip
            size="small"
            label="Stale"
            color="secondary"
            variant="outlined"
            tabIndex={0}
          />
        </Tooltip>
      )}
    </Box>
  );
}
