import { Table, type TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import WarningIcon from '@material-ui/icons/Warning';
import { useMemo, useState } from 'react';
import type {
  EnvironmentSummary,
  HealthVerdict,
} from '@internal/plugin-aws-environments-common';
import { VerdictStatus, formatCurrency } from '../shared';
import { LifecycleChip } from '../shared/lifecycle';

const VERDICT_RANK: Record<HealthVerdict, number> = {
  down: 0,
  degraded: 1,
  unknown: 2,
  healthy: 3,
};

export interface EnvironmentFilters {
  stage: string;
  owner: string;
  account: string;
}

export const NO_FILTERS: EnvironmentFilters = {
  stage: '',
  owner: '',
  account: '',
};

export function filterEnvironments(
  items: EnvironmentSummary[],
  filters: EnvironmentFilters,
): EnvironmentSummary[] {
  return items.filter(
    item =>
      (!filters.stage || item.stage === filters.stage) &&
      (!filters.owner || item.owner === filters.owner) &&
      (!filters.account || item.accountId === filters.account),
  );
}

function forecastRatio(item: EnvironmentSummary): number {
  const { forecastMonthEnd, budgetLimit } = item.costs ?? {};
  if (forecastMonthEnd === undefined || !budgetLimit) {
    return -1;
  }
  return forecastMonthEnd / budgetLimit;
}

function findingsWeight(item: EnvironmentSummary): number {
  return item.findings
    ? item.findings.critical * 10_000 + item.findings.high
    : -1;
}

const PHASE_RANK: Record<string, number> = {
  unsupported: 0,
  extended: 1,
  unknown: 2,
  standard: 3,
};

/** Most urgent first: unsupported, then extended support, then by the days left; ties the health sort. */
function lifecycleWeight(item: EnvironmentSummary): number {
  if (!item.lifecycle) {
    return Number.MAX_SAFE_INTEGER;
  }
  return (
    (PHASE_RANK[item.lifecycle.worst] ?? 2) * 1_000_000 +
    Math.min(item.lifecycle.daysLeft ?? 999_999, 999_999)
  );
}

function accountLabel(item: { accountId: string; accountName?: string }) {
  return item.accountName
    ? `${item.accountName} (${item.accountId})`
    : item.accountId;
}

const columns: TableColumn<EnvironmentSummary>[] = [
  {
    title: 'Environment',
    field: 'name',
    highlight: true,
    render: item => (
      <EntityRefLink
        entityRef={item.entityRef}
        title={item.title ?? item.name}
      />
    ),
  },
  { title: 'Stage', field: 'stage' },
  {
    title: 'Owner',
    field: 'owner',
    render: item =>
      item.owner ? (
        <EntityRefLink entityRef={item.owner} defaultKind="group" hideIcon />
      ) : (
        '—'
      ),
  },
  {
    title: 'Account',
    field: 'accountId',
    // An account id split over two lines cannot be read back; the name in front of it may wrap.
    cellStyle: { wordBreak: 'normal' },
    render: item => accountLabel(item),
  },
  { title: 'Region', field: 'region' },
  {
    title: 'Health',
    field: 'health.verdict',
    customSort: (a, b) =>
      VERDICT_RANK[a.health.verdict] - VERDICT_RANK[b.health.verdict] ||
      lifecycleWeight(a) - lifecycleWeight(b),
    // The verdict and the lifecycle chip keep their words whole; the column grows to fit them.
    cellStyle: { wordBreak: 'normal' },
    render: item => (
      <>
        <span title={item.health.reasons.join('\n') || undefined}>
          <VerdictStatus verdict={item.health.verdict} />
          {(item.health.stale || !item.health.collectedAt) && (
            <Typography variant="caption" color="textSecondary">
              {' '}
              {item.health.collectedAt ? '(stale)' : '(not collected yet)'}
            </Typography>
          )}
        </span>
        <LifecycleChip lifecycle={item.lifecycle} />
      </>
    ),
  },
  {
    title: 'Month to date',
    field: 'costs.monthToDate',
    type: 'numeric',
    customSort: (a, b) =>
      (a.costs?.monthToDate ?? -1) - (b.costs?.monthToDate ?? -1),
    render: item =>
      formatCurrency(item.costs?.monthToDate, item.costs?.currency),
  },
  {
    title: 'Forecast / budget',
    field: 'costs.forecastMonthEnd',
    customSort: (a, b) => forecastRatio(a) - forecastRatio(b),
    render: item => {
      if (!item.costs) {
        return '—';
      }
      const { forecastMonthEnd, budgetLimit, currency } = item.costs;
      const over =
        forecastMonthEnd !== undefined &&
        budgetLimit !== undefined &&
        forecastMonthEnd > budgetLimit;
      return (
        <Box display="flex" alignItems="center" gridGap={4}>
          {over && (
            <WarningIcon
              fontSize="small"
              color="error"
              titleAccess="Forecast over budget"
            />
          )}
          {formatCurrency(forecastMonthEnd, currency)} /{' '}
          {budgetLimit !== undefined
            ? formatCurrency(budgetLimit, currency)
            : 'no budget'}
        </Box>
      );
    },
  },
  {
    title: 'Critical / high findings',
    field: 'findings.critical',
    customSort: (a, b) => findingsWeight(a) - findingsWeight(b),
    render: item =>
      item.findings ? `${item.findings.critical} / ${item.findings.high}` : '—',
  },
  {
    title: 'Template',
    field: 'template.version',
    customSort: (a, b) =>
      Number(a.template?.behind ?? false) - Number(b.template?.behind ?? false),
    render: item =>
      item.template ? (
        <Box display="flex" alignItems="center" gridGap={4} flexWrap="wrap">
          {item.template.version}
          {item.template.behind && (
            <Chip
              size="small"
              variant="outlined"
              label={`${item.template.latestVersion ?? 'newer'} available`}
            />
          )}
        </Box>
      ) : (
        '—'
      ),
  },
];

function FilterSelect(props: {
  id: string;
  label: string;
  value: string;
  options: Array<{ value: string; label: string }>;
  onChange: (value: string) => void;
}) {
  return (
    <TextField
      id={props.id}
      select
      size="small"
      variant="outlined"
      label={props.label}
      value={props.value}
      onChange={event => props.onChange(event.target.value)}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      style={{ minWidth: 180 }}
    >
      <option value="">All</option>
      {props.options.map(option => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </TextField>
  );
}

function distinct<T>(
  items: T[],
  key: (item: T) => string | undefined,
  label: (item: T) => string,
) {
  const seen = new Map<string, string>();
  for (const item of items) {
    const value = key(item);
    if (value && !seen.has(value)) {
      seen.set(value, label(item));
    }
  }
  return [...seen.entries()]
    .map(([value, text]) => ({ value, label: text }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

/**
 * Every environment side by side, sortable by any column and filterable by stage, owner and account. New `items`
 * keep the sort, filters, search and page: the table is not remounted and shows no loading overlay.
 */
export function EnvironmentsTable(props: { items: EnvironmentSummary[] }) {
  const [filters, setFilters] = useState<EnvironmentFilters>(NO_FILTERS);
  const rows = useMemo(
    () => filterEnvironments(props.items, filters),
    [props.items, filters],
  );
  const set = (key: keyof EnvironmentFilters) => (value: string) =>
    setFilters(current => ({ ...current, [key]: value }));

  return (
    <>
      <Box
        display="flex"
        gridGap={16}
        flexWrap="wrap"
        mb={2}
        role="group"
        aria-label="Filters"
      >
        <FilterSelect
          id="environments-stage-filter"
          label="Stage"
          value={filters.stage}
          options={distinct(
            props.items,
            i => i.stage,
            i => i.stage ?? '',
          )}
          onChange={set('stage')}
        />
        <FilterSelect
          id="environments-owner-filter"
          label="Owner"
          value={filters.owner}
          options={distinct(
            props.items,
            i => i.owner,
            i => (i.owner ?? '').replace(/^group:(default\/)?/, ''),
          )}
          onChange={set('owner')}
        />
        <FilterSelect
          id="environments-account-filter"
          label="Account"
          value={filters.account}
          options={distinct(props.items, i => i.accountId, accountLabel)}
          onChange={set('account')}
        />
      </Box>
      <Table<EnvironmentSummary>
        title={`Environments (${rows.length})`}
        columns={columns}
        data={rows}
        options={{
          paging: rows.length > 50,
          pageSize: 50,
          search: true,
          padding: 'dense',
          draggable: false,
        }}
        emptyContent={
          <Box p={2}>
            <Typography variant="body2" color="textSecondary">
              No environment matches these filters.
            </Typography>
          </Box>
        }
      />
    </>
  );
}
