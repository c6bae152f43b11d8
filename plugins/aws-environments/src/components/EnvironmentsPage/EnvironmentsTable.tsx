import { Table, type TableColumn } from '@backstage/core-components';
import { useApiHolder } from '@backstage/core-plugin-api';
import {
  EntityRefLink,
  defaultEntityPresentation,
  entityPresentationApiRef,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import WarningIcon from '@material-ui/icons/Warning';
import {
  Fragment,
  useEffect,
  useMemo,
  useState,
  type CSSProperties,
  type ReactNode,
} from 'react';
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

/** Owners are groups unless their reference names another kind. */
const OWNER_KIND = 'group';

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

/** A row of the table: material-table keeps its state (sort, open details) per row `id`. */
type EnvironmentRow = EnvironmentSummary & { id: string };

/**
 * The style of a column's cells and header. Words never break inside (the theme's `break-word` would split
 * "Healthy" and account ids); `wrap` lets a cell wrap between words, as names of several words may. The padding and
 * the headers' letters are smaller than the theme's so that all columns fit beside the sidebar at 1280 px.
 */
function columnStyle(options: { wrap?: boolean; alignRight?: boolean } = {}): {
  cellStyle: CSSProperties;
  headerStyle: CSSProperties;
} {
  const style: CSSProperties = {
    wordBreak: 'normal',
    overflowWrap: 'normal',
    whiteSpace: options.wrap ? 'normal' : 'nowrap',
    paddingLeft: 8,
    paddingRight: 4,
  };
  return {
    cellStyle: { ...style },
    headerStyle: {
      ...style,
      whiteSpace: 'normal',
      fontSize: 12,
      ...(options.alignRight ? { textAlign: 'right' } : {}),
    },
  };
}

/** Text that may wrap between its words but not inside one, not even at a hyphen ("innovate-staging"). */
function KeepWords(props: { text: string }) {
  const words = props.text.split(/\s+/).filter(Boolean);
  return (
    <>
      {words.map((word, index) => (
        <Fragment key={index}>
          {index > 0 && ' '}
          <span style={{ whiteSpace: 'nowrap' }}>{word}</span>
        </Fragment>
      ))}
    </>
  );
}

/** A second, smaller line under a cell's value. */
function SubLine(props: { children: ReactNode; title?: string }) {
  return (
    <Typography
      variant="caption"
      color="textSecondary"
      component="div"
      title={props.title}
    >
      {props.children}
    </Typography>
  );
}

const columns: TableColumn<EnvironmentRow>[] = [
  {
    title: 'Environment',
    field: 'name',
    highlight: true,
    // The title may wrap between its words, never at a hyphen; stage and Region go beneath it.
    ...columnStyle({ wrap: true }),
    render: item => (
      <>
        <EntityRefLink entityRef={item.entityRef}>
          <KeepWords text={item.title ?? item.name} />
        </EntityRefLink>
        <SubLine>
          {[item.stage, item.region].filter(Boolean).join(' · ')}
        </SubLine>
      </>
    ),
  },
  // Searchable by stage and Region, which the Environment column shows.
  { title: 'Stage', field: 'stage', hidden: true, searchable: true },
  { title: 'Region', field: 'region', hidden: true, searchable: true },
  {
    title: 'Owner',
    field: 'owner',
    // Display names of several words may wrap between the words.
    ...columnStyle({ wrap: true }),
    render: item =>
      item.owner ? (
        <EntityRefLink
          entityRef={item.owner}
          defaultKind={OWNER_KIND}
          hideIcon
        />
      ) : (
        '—'
      ),
  },
  {
    title: 'Account',
    field: 'accountId',
    // The name on top, the id beneath it: twelve digits on a line of their own.
    ...columnStyle(),
    render: item =>
      item.accountName ? (
        <>
          {item.accountName}
          <SubLine>{item.accountId}</SubLine>
        </>
      ) : (
        item.accountId
      ),
  },
  {
    title: 'Health',
    field: 'health.verdict',
    customSort: (a, b) =>
      VERDICT_RANK[a.health.verdict] - VERDICT_RANK[b.health.verdict] ||
      lifecycleWeight(a) - lifecycleWeight(b),
    ...columnStyle(),
    // The verdict on its line; a note on its collection and the lifecycle chip go beneath it.
    render: item => (
      <>
        <div title={item.health.reasons.join('\n') || undefined}>
          <VerdictStatus verdict={item.health.verdict} />
        </div>
        {(item.health.stale || !item.health.collectedAt) && (
          <SubLine>
            {item.health.collectedAt ? '(stale)' : '(not collected yet)'}
          </SubLine>
        )}
        {item.lifecycle && (
          <div>
            <LifecycleChip lifecycle={item.lifecycle} />
          </div>
        )}
      </>
    ),
  },
  {
    title: 'Month to date',
    field: 'costs.monthToDate',
    type: 'numeric',
    ...columnStyle({ alignRight: true }),
    customSort: (a, b) =>
      (a.costs?.monthToDate ?? -1) - (b.costs?.monthToDate ?? -1),
    render: item =>
      formatCurrency(item.costs?.monthToDate, item.costs?.currency),
  },
  {
    title: 'Forecast / budget',
    field: 'costs.forecastMonthEnd',
    customSort: (a, b) => forecastRatio(a) - forecastRatio(b),
    ...columnStyle(),
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
    ...columnStyle(),
    render: item =>
      item.findings ? `${item.findings.critical} / ${item.findings.high}` : '—',
  },
  {
    title: 'Template',
    field: 'template.version',
    customSort: (a, b) =>
      Number(a.template?.behind ?? false) - Number(b.template?.behind ?? false),
    ...columnStyle(),
    // The version as a short chip; a newer version, when there is one, beneath it.
    render: item =>
      item.template ? (
        <>
          <Chip
            size="small"
            variant="outlined"
            label={item.template.version}
            title={`${item.template.name} ${item.template.version}`}
            style={{ margin: 0 }}
          />
          {item.template.behind && (
            <SubLine>{`${
              item.template.latestVersion ?? 'newer'
            } available`}</SubLine>
          )}
        </>
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
 * The display names of entities, as the catalog's links show them (the entity presentation API, or the reference
 * itself where the app has none): at once what is known, then the names read from the catalog.
 */
function useEntityTitles(refs: string[], defaultKind: string) {
  const presentationApi = useApiHolder().get(entityPresentationApiRef);
  const key = refs.join('\n');
  const presentations = useMemo(
    () =>
      refs.map(ref => ({
        ref,
        presentation: presentationApi
          ? presentationApi.forEntity(ref, { defaultKind })
          : {
              snapshot: defaultEntityPresentation(ref, { defaultKind }),
              promise: undefined,
            },
      })),
    // The references are compared by their text, not by the array that holds them.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [presentationApi, key, defaultKind],
  );
  const [read, setRead] = useState<Record<string, string>>({});
  useEffect(() => {
    let live = true;
    Promise.all(
      presentations.map(async ({ ref, presentation }) => {
        try {
          const value = await presentation.promise;
          return [ref, value?.primaryTitle] as const;
        } catch {
          return [ref, undefined] as const;
        }
      }),
    ).then(entries => {
      if (live) {
        setRead(
          Object.fromEntries(
            entries.filter((e): e is readonly [string, string] => !!e[1]),
          ),
        );
      }
    });
    return () => {
      live = false;
    };
  }, [presentations]);
  return useMemo(
    () =>
      new Map(
        presentations.map(({ ref, presentation }) => [
          ref,
          read[ref] ?? presentation.snapshot.primaryTitle,
        ]),
      ),
    [presentations, read],
  );
}

/**
 * Every environment side by side, sortable by any column and filterable by stage, owner and account. New `items`
 * keep the sort, filters, search and page: the table is not remounted and shows no loading overlay.
 */
export function EnvironmentsTable(props: { items: EnvironmentSummary[] }) {
  const [filters, setFilters] = useState<EnvironmentFilters>(NO_FILTERS);
  const rows = useMemo<EnvironmentRow[]>(
    () =>
      filterEnvironments(props.items, filters).map(item => ({
        ...item,
        id: item.entityRef,
      })),
    [props.items, filters],
  );
  const set = (key: keyof EnvironmentFilters) => (value: string) =>
    setFilters(current => ({ ...current, [key]: value }));
  const owners = useMemo(
    () => [
      ...new Set(props.items.flatMap(item => (item.owner ? [item.owner] : []))),
    ],
    [props.items],
  );
  const ownerTitles = useEntityTitles(owners, OWNER_KIND);

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
            i => ownerTitles.get(i.owner ?? '') ?? i.owner ?? '',
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
      <Table<EnvironmentRow>
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
