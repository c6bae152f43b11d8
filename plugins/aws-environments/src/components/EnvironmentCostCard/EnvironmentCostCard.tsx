import { EmptyState } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import { lazy, Suspense, useMemo, useState } from 'react';
import type { EnvironmentCosts } from '@internal/plugin-aws-environments-common';
import type { EnvironmentRef } from '../../api/types';
import { useEnvironmentCosts } from '../../hooks/useInsights';
import { CardFrame, EnvironmentCard } from '../EnvironmentCard';
import { AsOf, formatCurrency, shortServiceName } from '../shared';

// recharts is most of this card's weight; it loads only when a chart is drawn.
const DailyCostChart = lazy(() =>
  import('./DailyCostChart').then(m => ({ default: m.DailyCostChart })),
);

const TITLE = 'Costs';
const RANGES = [30, 90] as const;

/** Costs of an environment entity: month to date, forecast, budget, daily chart and top services. */
export function EnvironmentCostCard() {
  return (
    <EnvironmentCard title={TITLE}>
      {ref => <CostCardContent environment={ref} />}
    </EnvironmentCard>
  );
}

function CostCardContent(props: { environment: EnvironmentRef }) {
  const { value, loading, error, updatedAt, retry } = useEnvironmentCosts(props.environment);
  // No Refresh button: costs are not collected on demand (every Cost Explorer request is paid, and AWS updates
  // cost data a few times a day); the card shows when they were collected.
  return (
    <CardFrame
      title={TITLE}
      environment={props.environment}
      loading={loading}
      error={error}
      updatedAt={updatedAt}
      onReload={retry}
      footer={value && <AsOf meta={value} />}
    >
      {value && <CostDetails costs={value} />}
    </CardFrame>
  );
}

function Figure(props: { label: string; value: string; hint?: string }) {
  return (
    <Box>
      <Typography variant="overline" color="textSecondary" component="p">
        {props.label}
      </Typography>
      <Typography variant="h5" component="p">
        {props.value}
      </Typography>
      {props.hint && (
        <Typography variant="caption" color="textSecondary">
          {props.hint}
        </Typography>
      )}
    </Box>
  );
}

function BudgetStatus(props: { costs: EnvironmentCosts }) {
  const { budget, currency, forecastMonthEnd } = props.costs;
  if (!budget) {
    return (
      <Typography variant="body2" color="textSecondary">
        No AWS Budget is set for this environment.
      </Typography>
    );
  }
  const used = budget.limit > 0 ? (budget.actual / budget.limit) * 100 : 0;
  const forecast = budget.forecast ?? forecastMonthEnd;
  const limit = formatCurrency(budget.limit, currency);
  return (
    <Box>
      <Box display="flex" justifyContent="space-between">
        <Typography variant="body2">
          Budget {budget.name}: {formatCurrency(budget.actual, currency)} of {limit}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {Math.round(used)}%
        </Typography>
      </Box>
      <LinearProgress
        variant="determinate"
        value={Math.min(used, 100)}
        color={used >= 100 ? 'secondary' : 'primary'}
        aria-label={`Budget used: ${Math.round(used)}%`}
      />
      {budget.actual > budget.limit ? (
        <Box mt={1}>
          <Alert severity="error">
            Over budget: {formatCurrency(budget.actual, currency)} spent against {limit}.
          </Alert>
        </Box>
      ) : (
        forecast !== undefined &&
        forecast > budget.limit && (
          <Box mt={1}>
            <Alert severity="warning">
              Forecast to exceed the budget: {formatCurrency(forecast, currency)} by month end
              against {limit}.
            </Alert>
          </Box>
        )
      )}
    </Box>
  );
}

export function CostDetails(props: { costs: EnvironmentCosts }) {
  const { costs } = props;
  const [days, setDays] = useState<(typeof RANGES)[number]>(30);
  const points = useMemo(() => costs.daily.slice(-days), [costs.daily, days]);

  if (!costs.collectedAt && costs.daily.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No cost data yet"
        description="Cost Explorer data appears about a day after resources start to cost money, once the innovate:environment tag is activated for cost allocation."
      />
    );
  }

  return (
    <>
      <Grid container spacing={2}>
        <Grid item xs={6} sm={4}>
          <Figure
            label="Month to date"
            value={formatCurrency(costs.monthToDate, costs.currency)}
            hint={`Last month ${formatCurrency(costs.lastMonth, costs.currency)}`}
          />
        </Grid>
        <Grid item xs={6} sm={4}>
          <Figure
            label="Forecast"
            value={formatCurrency(costs.forecastMonthEnd, costs.currency)}
            hint={
              costs.forecastMethod === 'run-rate'
                ? 'by month end, at the last 7 days’ rate'
                : 'by month end'
            }
          />
        </Grid>
        <Grid item xs={12} sm={4}>
          <Figure
            label="Budget"
            value={costs.budget ? formatCurrency(costs.budget.limit, costs.currency) : '—'}
            hint="per month"
          />
        </Grid>
      </Grid>
      <Box mt={2}>
        <BudgetStatus costs={costs} />
      </Box>

      <Box mt={2} display="flex" justifyContent="space-between" alignItems="center">
        <Typography variant="subtitle2" component="h3">
          Daily cost by service
        </Typography>
        <ToggleButtonGroup
          size="small"
          exclusive
          value={days}
          onChange={(_event, next) => next && setDays(next)}
          aria-label="Chart range"
        >
          {RANGES.map(range => (
            <ToggleButton key={range} value={range} aria-label={`${range} days`}>
              {range} days
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
      </Box>
      {points.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No daily costs recorded yet.
        </Typography>
      ) : (
        <Suspense fallback={<Box height={240} />}>
          <DailyCostChart points={points} currency={costs.currency} days={days} />
        </Suspense>
      )}

      {costs.topServices.length > 0 && (
        <Box mt={2} component="section" aria-label="Top services">
          <Typography variant="subtitle2" component="h3">
            Top services this month
          </Typography>
          <List dense disablePadding>
            {costs.topServices.slice(0, 5).map(({ service, amount }) => (
              <ListItem key={service} disableGutters>
                <ListItemText primary={shortServiceName(service)} secondary={service} />
                <Typography variant="body2">
                  {formatCurrency(amount, costs.currency, { cents: true })}
                </Typography>
              </ListItem>
            ))}
          </List>
        </Box>
      )}
    </>
  );
}
