import { useTheme } from '@material-ui/core/styles';
import { useMemo } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { CostPoint } from '@internal/plugin-aws-environments-common';
import { formatCurrency, shortServiceName } from '../shared';

/** Categorical colours that keep their contrast on both the light and the dark theme. */
const SERIES_COLOURS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#b07aa1'];
const MAX_SERIES = 5;
export const OTHER_SERVICES = 'Other';

/** Daily rows with the biggest services as their own series and the rest folded into "Other". */
export function toChartRows(points: CostPoint[]) {
  const totals = new Map<string, number>();
  for (const point of points) {
    for (const [service, amount] of Object.entries(point.byService)) {
      totals.set(service, (totals.get(service) ?? 0) + amount);
    }
  }
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1]);
  const shown = ranked.slice(0, MAX_SERIES).map(([service]) => service);
  const folded = ranked.length > MAX_SERIES;
  const series = folded ? [...shown, OTHER_SERVICES] : shown;
  const rows = points.map(point => {
    const row: Record<string, number | string> = { date: point.date };
    let other = 0;
    for (const [service, amount] of Object.entries(point.byService)) {
      if (shown.includes(service)) {
        row[service] = amount;
      } else {
        other += amount;
      }
    }
    if (folded) {
      row[OTHER_SERVICES] = Math.round(other * 100) / 100;
    }
    return row;
  });
  return { rows, series };
}

export function DailyCostChart(props: {
  points: CostPoint[];
  currency: string;
  days: number;
}) {
  const theme = useTheme();
  const { rows, series } = useMemo(() => toChartRows(props.points), [props.points]);
  const axis = { fill: theme.palette.text.secondary, fontSize: 12 };
  return (
    <figure
      aria-label={`Daily cost by service, last ${props.days} days`}
      style={{ margin: 0 }}
      data-testid="daily-cost-chart"
    >
      <ResponsiveContainer width="100%" height={240} initialDimension={{ width: 520, height: 240 }}>
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke={theme.palette.divider} vertical={false} />
          <XAxis
            dataKey="date"
            tick={axis}
            tickFormatter={(date: string) => date.slice(5)}
            minTickGap={16}
          />
          <YAxis
            tick={axis}
            width={56}
            tickFormatter={(value: number) => formatCurrency(value, props.currency)}
          />
          <Tooltip
            formatter={(value, name) => [
              formatCurrency(Number(value), props.currency, { cents: true }),
              shortServiceName(String(name)),
            ]}
            contentStyle={{
              backgroundColor: theme.palette.background.paper,
              borderColor: theme.palette.divider,
              color: theme.palette.text.primary,
            }}
            cursor={{ fill: theme.palette.action.hover }}
          />
          <Legend formatter={(name: string) => shortServiceName(name)} />
          {series.map((service, index) => (
            <Bar
              key={service}
              dataKey={service}
              stackId="cost"
              fill={SERIES_COLOURS[index % SERIES_COLOURS.length]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
