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
  useCallback,
  useEffect,
  useMemo,
  useState,
  type CSSProperties,
  type ReactNode,
} from 'react';
import type {
  EnvironmentFacetCount,
  EnvironmentListQuery,
  EnvironmentListResponse,
  EnvironmentOrderField,
  EnvironmentSummary,
} from '@internal/plugin-aws-environments-common';
import { VerdictStatus, formatCurrency } from '../shared';
import { LifecycleChip } from '../shared/lifecycle';

/** Owners are groups unless their reference names another kind. */
const OWNER_KIND = 'group';

/** The page sizes the table offers; the page opens with the second. */
export const PAGE_SIZES = [25, 50, 100];
export const DEFAULT_PAGE_SIZE = PAGE_SIZES[1];

/** The filters above the table, by the list's facet: the chosen value, or '' for every one. */
export type EnvironmentFilters = Record<
  'stage' | 'owner' | 'accountId' | 'region' | 'health' | 'behind',
  string
>;

export const NO_FILTERS: EnvironmentFilters = {
  stage: '',
  owner: '',
  accountId: '',
  region: '',
  health: '',
  behind: '',
};

/** What the table shows: its page, the filters, the search text and the order. */
export interface EnvironmentsView {
  filters: EnvironmentFilters;
  q: string;
  orderBy?: { field: EnvironmentOrderField; order: 'asc' | 'desc' };
  offset: number;
  limit: number;
}

export const INITIAL_VIEW: EnvironmentsView = {
  filters: NO_FILTERS,
  q: '',
  offset: 0,
  limit: DEFAULT_PAGE_SIZE,
};

/** The list query of a view. */
export function viewQuery(view: EnvironmentsView): EnvironmentListQuery {
  const query: EnvironmentListQuery = {
    limit: view.limit,
    offset: view.offset,
    ...(view.q.trim() && { q: view.q.trim() }),
    ...(view.orderBy && { orderBy: view.orderBy }),
  };
  for (const [facet, value] of Object.entries(view.filters)) {
    if (value) query[facet as keyof EnvironmentFilters] = [value];
  }
  return query;
}

const VERDICT_LABELS: Record<string, string> = {
  down: 'Down',
  degraded: 'Degraded',
  unknown: 'Unknown',
  healthy: 'Healthy',
};

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

/** The order each column sorts by on the server, by its title. */
const COLUMN_ORDER: Record<string, EnvironmentOrderField> = {
  Environment: 'name',
  Owner: 'owner',
  Account: 'account',
  Health: 'health',
  'Month to date': 'monthToDate',
  'Forecast / budget': 'forecast',
  'Critical / high findings': 'findings',
  Template: 'template',
};

/**
 * The columns as drawn. The server sorts: material-table's own sort of the page it is given keeps the rows in the
 * order they came, while its header still shows which column sorts and which way.
 */
const drawnColumns: TableColumn<EnvironmentRow>[] = [
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
    render: item =>
      formatCurrency(item.costs?.monthToDate, item.costs?.currency),
  },
  {
    title: 'Forecast / budget',
    field: 'costs.forecastMonthEnd',
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
    ...columnStyle(),
    render: item =>
      item.findings ? `${item.findings.critical} / ${item.findings.high}` : '—',
  },
  {
    title: 'Template',
    field: 'template.version',
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
const columns: TableColumn<EnvironmentRow>[] = drawnColumns.map(column => ({
  ...column,
  customSort: () => 0,
}));

function FilterSelect(props: {
  id: string;
  label: string;
  value: string;
  options: Array<{ value: string; label: string }>;
  onChange: (value: string) => void;
}) {
  // The chosen value stays on offer even when other filters leave no environment with it.
  const options =
    props.value && !props.options.some(o => o.value === props.value)
      ? [...props.options, { value: props.value, label: props.value }]
      : props.options;
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
      {options.map(option => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </TextField>
  );
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

function facetOptions(
  counts: EnvironmentFacetCount[],
  label: (count: EnvironmentFacetCount) => string = count =>
    count.label ?? count.value,
) {
  return counts
    .map(count => ({ value: count.value, label: label(count) }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

function summaryLine(list: EnvironmentListResponse): string {
  const { summary } = list;
  const parts = [
    `${list.totalItems} ${
      list.totalItems === 1 ? 'environment' : 'environments'
    }`,
    summary.health.down && `${summary.health.down} down`,
    summary.health.degraded && `${summary.health.degraded} degraded`,
    summary.health.unknown && `${summary.health.unknown} not collected yet`,
    summary.behindTemplate &&
      `${summary.behindTemplate} behind the latest template`,
    summary.lifecycleAttention &&
      `${summary.lifecycleAttention} with versions in extended or no support`,
    summary.overBudget && `${summary.overBudget} forecast over budget`,
  ];
  return parts.filter(Boolean).join(' · ');
}

/** A text field that reports its text once typing pauses. */
function SearchField(props: { value: string; onChange: (q: string) => void }) {
  const { value, onChange } = props;
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return undefined;
    const timer = setTimeout(() => onChange(text), 300);
    return () => clearTimeout(timer);
  }, [text, value, onChange]);
  return (
    <TextField
      id="environments-search"
      size="small"
      variant="outlined"
      label="Search"
      placeholder="Name or title"
      value={text}
      onChange={event => setText(event.target.value)}
      InputLabelProps={{ shrink: true }}
      style={{ minWidth: 180 }}
    />
  );
}

/**
 * One page of the environments, sortable by any column and filterable by stage, owner, account, Region, health
 * and template status; the server pages, filters and sorts, and says which values each filter offers. A new `list`
 * keeps the view: the table is not remounted and shows no loading overlay.
 */
export function EnvironmentsTable(props: {
  list: EnvironmentListResponse;
  view: EnvironmentsView;
  onViewChange: (view: EnvironmentsView) => void;
}) {
  const { list, view, onViewChange } = props;
  const rows = useMemo<EnvironmentRow[]>(
    () => list.items.map(item => ({ ...item, id: item.entityRef })),
    [list.items],
  );
  const setFilter = (key: keyof EnvironmentFilters) => (value: string) =>
    onViewChange({
      ...view,
      filters: { ...view.filters, [key]: value },
      offset: 0,
    });
  const owners = useMemo(
    () => [
      ...new Set([
        ...list.facets.owner.map(owner => owner.value),
        ...list.items.flatMap(item => (item.owner ? [item.owner] : [])),
      ]),
    ],
    [list.facets.owner, list.items],
  );
  const ownerTitles = useEntityTitles(owners, OWNER_KIND);
  const onSearch = useCallback(
    (q: string) => onViewChange({ ...view, q, offset: 0 }),
    [onViewChange, view],
  );
  return (
    <>
      <Box
        display="flex"
        gridGap={16}
        flexWrap="wrap"
        mb={1}
        role="group"
        aria-label="Filters"
      >
        <SearchField value={view.q} onChange={onSearch} />
        <FilterSelect
          id="environments-stage-filter"
          label="Stage"
          value={view.filters.stage}
          options={facetOptions(list.facets.stage)}
          onChange={setFilter('stage')}
        />
        <FilterSelect
          id="environments-owner-filter"
          label="Owner"
          value={view.filters.owner}
          options={facetOptions(
            list.facets.owner,
            owner => ownerTitles.get(owner.value) ?? owner.value,
          )}
          onChange={setFilter('owner')}
        />
        <FilterSelect
          id="environments-account-filter"
          label="Account"
          value={view.filters.accountId}
          options={facetOptions(list.facets.accountId, account =>
            accountLabel({
              accountId: account.value,
              accountName: account.label,
            }),
          )}
          onChange={setFilter('accountId')}
        />
        <FilterSelect
          id="environments-region-filter"
          label="Region"
          value={view.filters.region}
          options={facetOptions(list.facets.region)}
          onChange={setFilter('region')}
        />
        <FilterSelect
          id="environments-health-filter"
          label="Health"
          value={view.filters.health}
          options={facetOptions(
            list.facets.health,
            health => VERDICT_LABELS[health.value] ?? health.value,
          )}
          onChange={setFilter('health')}
        />
        <FilterSelect
          id="environments-template-filter"
          label="Template"
          value={view.filters.behind}
          options={facetOptions(list.facets.behind, behind =>
            behind.value === 'true' ? 'Behind the latest' : 'Up to date',
          )}
          onChange={setFilter('behind')}
        />
      </Box>
      <Box mb={1}>
        <Typography variant="body2" color="textSecondary">
          {summaryLine(list)}
        </Typography>
      </Box>
      <Table<EnvironmentRow>
        title={`Environments (${list.totalItems})`}
        columns={columns}
        data={rows}
        page={Math.floor(view.offset / view.limit)}
        totalCount={list.totalItems}
        onPageChange={(page, pageSize) =>
          onViewChange({
            ...view,
            limit: pageSize,
            offset: pageSize === view.limit ? page * pageSize : 0,
          })
        }
        onRowsPerPageChange={pageSize =>
          onViewChange({ ...view, limit: pageSize, offset: 0 })
        }
        onOrderChange={(columnIndex, order) => {
          const field = COLUMN_ORDER[String(columns[columnIndex]?.title)];
          onViewChange({
            ...view,
            orderBy:
              field && order
                ? { field, order: order as 'asc' | 'desc' }
                : undefined,
            offset: 0,
          });
        }}
        options={{
          paging: list.totalItems > PAGE_SIZES[0],
          pageSize: view.limit,
          pageSizeOptions: PAGE_SIZES,
          emptyRowsWhenPaging: false,
          search: false,
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
