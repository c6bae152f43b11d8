import { Link } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { StatusError, StatusOK } from '@backstage/core-components';
import type {
  EnvironmentHistoryEntry,
  EnvironmentOperation,
  StackChangeSummary,
} from '@internal/plugin-aws-environments-common';
import { useState } from 'react';
import type { EnvironmentRef } from '../../api/types';
import { useEnvironmentHistory } from '../../hooks/useEnvironmentHistory';
import { CardFrame, EnvironmentCard } from '../EnvironmentCard';
import { formatDateTime } from '../shared';

const TITLE = 'History';
/** Entries per page of the card. */
export const HISTORY_PAGE_SIZE = 10;
/** New operations appear while the card is open; they are at most this old. */
const REFRESH_INTERVAL_MS = 60_000;

const OPERATION_LABELS: Record<EnvironmentOperation, string> = {
  create: 'Created',
  update: 'Updated',
  teardown: 'Torn down',
  register: 'Registered in the catalog',
  'drift-check': 'Drift checked',
  'stack-deploy': 'Stack deployed',
  refresh: 'Insights refreshed',
};

/**
 * What was done to an environment entity, newest first: who did it, when, what (with the template version and the
 * changes per stack) and how it ended, with a link to the task that did it.
 */
export function EnvironmentHistoryCard() {
  return (
    <EnvironmentCard title={TITLE}>
      {ref => <HistoryCardContent environment={ref} />}
    </EnvironmentCard>
  );
}

function HistoryCardContent(props: { environment: EnvironmentRef }) {
  const [offset, setOffset] = useState(0);
  const { value, loading, error, updatedAt, retry } = useEnvironmentHistory(
    props.environment,
    { limit: HISTORY_PAGE_SIZE, offset },
    { refreshIntervalMs: REFRESH_INTERVAL_MS },
  );
  return (
    <CardFrame
      title={TITLE}
      environment={props.environment}
      loading={loading}
      error={error}
      updatedAt={updatedAt}
      onReload={retry}
    >
      {value && value.items.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          Nothing has been recorded for this environment yet. Creating, updating
          or tearing it down through the portal's templates adds an entry here.
        </Typography>
      )}
      {value && value.items.length > 0 && (
        <>
          <HistoryTable entries={value.items} loading={loading} />
          <Box
            display="flex"
            alignItems="center"
            justifyContent="space-between"
            mt={1}
          >
            <Typography variant="caption" color="textSecondary">
              {`${offset + 1}–${offset + value.items.length} of ${
                value.totalCount
              }`}
            </Typography>
            <Box display="flex" gridGap={8}>
              <Button
                size="small"
                disabled={offset === 0}
                onClick={() =>
                  setOffset(Math.max(0, offset - HISTORY_PAGE_SIZE))
                }
              >
                Newer
              </Button>
              <Button
                size="small"
                disabled={value.nextOffset === undefined}
                onClick={() =>
                  value.nextOffset !== undefined && setOffset(value.nextOffset)
                }
              >
                Older
              </Button>
            </Box>
          </Box>
        </>
      )}
    </CardFrame>
  );
}

function HistoryTable(props: {
  entries: EnvironmentHistoryEntry[];
  loading: boolean;
}) {
  return (
    <Table
      size="small"
      aria-label="Operations on the environment"
      aria-busy={props.loading}
    >
      <TableHead>
        <TableRow>
          <TableCell>When</TableCell>
          <TableCell>What</TableCell>
          <TableCell>Who</TableCell>
          <TableCell>Result</TableCell>
          <TableCell>Task</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.entries.map(entry => (
          <TableRow key={entry.id}>
            <TableCell style={{ whiteSpace: 'nowrap' }}>
              {formatDateTime(entry.completedAt)}
            </TableCell>
            <TableCell>
              <Typography variant="body2">{operationOf(entry)}</Typography>
              <ChangeLines changes={entry.changes} />
            </TableCell>
            <TableCell>{actorName(entry.actor)}</TableCell>
            <TableCell>
              <Box display="flex" alignItems="flex-start" gridGap={4}>
                {entry.result === 'succeeded' ? <StatusOK /> : <StatusError />}
                <Typography variant="body2">
                  {entry.result === 'succeeded' ? 'Succeeded' : 'Failed'}
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    component="span"
                    display="block"
                  >
                    {entry.message}
                  </Typography>
                </Typography>
              </Box>
            </TableCell>
            <TableCell>
              {entry.task ? <Link to={entry.task.url}>Open task</Link> : '—'}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function operationOf(entry: EnvironmentHistoryEntry): string {
  const label = OPERATION_LABELS[entry.operation] ?? entry.operation;
  if (!entry.template) return label;
  const template = parseEntityRef(entry.template.entityRef).name;
  return `${label} with ${template}${
    entry.template.version ? ` ${entry.template.version}` : ''
  }`;
}

/** `user:default/aisha.khan` reads as `aisha.khan`; a service stays as it is. */
function actorName(actor: string): string {
  try {
    const ref = parseEntityRef(actor);
    return ref.kind === 'user' ? ref.name : actor;
  } catch {
    return actor;
  }
}

/** One line per stack that changed: what was added, modified and removed, with replacements called out. */
function ChangeLines(props: { changes: StackChangeSummary[] }) {
  const changed = props.changes.filter(c => c.outcome !== 'unchanged');
  if (changed.length === 0) return null;
  return (
    <Box component="ul" m={0} pl={2}>
      {changed.map(change => (
        <Typography
          key={change.stackName}
          component="li"
          variant="caption"
          color="textSecondary"
        >
          {describeChange(change)}
          {change.replacements > 0 && (
            <Typography component="span" variant="caption" color="error">
              {`, ${change.replacements} replacement${
                change.replacements === 1 ? '' : 's'
              }`}
            </Typography>
          )}
        </Typography>
      ))}
    </Box>
  );
}

function describeChange(change: StackChangeSummary): string {
  const name = change.layer ?? change.stackName;
  if (change.outcome === 'deleted') return `${name}: deleted`;
  const parts = [
    change.add > 0 && `${change.add} added`,
    change.modify > 0 && `${change.modify} modified`,
    change.remove > 0 && `${change.remove} removed`,
  ].filter(Boolean);
  return `${name}: ${change.outcome}${
    parts.length ? ` (${parts.join(', ')})` : ''
  }`;
}
