import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import {
  FINDING_SEVERITIES,
  type EnvironmentFindings,
  type FindingSeverity,
} from '@internal/plugin-aws-environments-common';
import type { EnvironmentRef } from '../../api/types';
import { useEnvironmentFindings } from '../../hooks/useInsights';
import { CardFrame, EnvironmentCard } from '../EnvironmentCard';
import { AsOf, SeverityChip, formatAge, formatDateTime } from '../shared';

const TITLE = 'Security findings';
/** Rows in the card; the full list lives in Security Hub. */
export const TOP_FINDINGS_LIMIT = 10;

/** Security findings of an environment entity: counts by severity and the top findings, filterable. */
export function EnvironmentSecurityCard() {
  return (
    <EnvironmentCard title={TITLE}>
      {ref => <SecurityCardContent environment={ref} />}
    </EnvironmentCard>
  );
}

function SecurityCardContent(props: { environment: EnvironmentRef }) {
  const [severity, setSeverity] = useState<FindingSeverity | ''>('');
  const [product, setProduct] = useState('');
  const { value, loading, error, updatedAt, retry } = useEnvironmentFindings(props.environment, {
    severity: severity ? [severity] : undefined,
    product: product || undefined,
    limit: TOP_FINDINGS_LIMIT,
  });
  // Products come from the unfiltered counts, so the filter keeps offering every product once chosen.
  const [products, setProducts] = useState<string[]>([]);
  if (value && products.length === 0 && Object.keys(value.byProduct).length > 0) {
    setProducts(Object.keys(value.byProduct).sort());
  }

  return (
    <CardFrame
      title={TITLE}
      environment={props.environment}
      loading={loading}
      error={error}
      updatedAt={updatedAt}
      onReload={retry}
      refreshSection="findings"
      footer={value && <AsOf meta={value} />}
    >
      {value && (
        <>
          <SeverityCounts findings={value} />
          <Box display="flex" gridGap={16} mt={2} mb={1} flexWrap="wrap">
            <TextField
              select
              size="small"
              variant="outlined"
              label="Severity"
              value={severity}
              onChange={event => setSeverity(event.target.value as FindingSeverity | '')}
              SelectProps={{ native: true }}
              InputLabelProps={{ shrink: true }}
              id="findings-severity-filter"
            >
              <option value="">All severities</option>
              {FINDING_SEVERITIES.map(s => (
                <option key={s} value={s}>
                  {s.charAt(0) + s.slice(1).toLowerCase()}
                </option>
              ))}
            </TextField>
            <TextField
              select
              size="small"
              variant="outlined"
              label="Product"
              value={product}
              onChange={event => setProduct(event.target.value)}
              SelectProps={{ native: true }}
              InputLabelProps={{ shrink: true }}
              id="findings-product-filter"
            >
              <option value="">All products</option>
              {products.map(p => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </TextField>
          </Box>
          <FindingsTable findings={value} loading={loading} />
        </>
      )}
    </CardFrame>
  );
}

function SeverityCounts(props: { findings: EnvironmentFindings }) {
  return (
    <Box
      display="flex"
      gridGap={8}
      flexWrap="wrap"
      component="ul"
      p={0}
      m={0}
      style={{ listStyle: 'none' }}
      aria-label="Active findings by severity"
    >
      {FINDING_SEVERITIES.map(severity => (
        <li key={severity}>
          <SeverityChip severity={severity} count={props.findings.counts[severity] ?? 0} />
        </li>
      ))}
    </Box>
  );
}

function FindingsTable(props: { findings: EnvironmentFindings; loading: boolean }) {
  const { top } = props.findings;
  if (top.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No active findings match.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Top findings" aria-busy={props.loading}>
      <TableHead>
        <TableRow>
          <TableCell>Severity</TableCell>
          <TableCell>Title</TableCell>
          <TableCell>Resource</TableCell>
          <TableCell>Product</TableCell>
          <TableCell>Age</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {top.map(finding => (
          <TableRow key={finding.id}>
            <TableCell>
              <SeverityChip severity={finding.severity} />
            </TableCell>
            <TableCell>
              {finding.consoleUrl ? (
                <Link to={finding.consoleUrl} externalLinkIcon>
                  {finding.title}
                </Link>
              ) : (
                finding.title
              )}
            </TableCell>
            <TableCell style={{ wordBreak: 'break-all' }}>
              {finding.resourceId}
              {finding.resourceType && (
                <Typography variant="caption" color="textSecondary" display="block">
                  {finding.resourceType}
                </Typography>
              )}
            </TableCell>
            <TableCell>{finding.product}</TableCell>
            <TableCell>
              {finding.firstObservedAt ? (
                <time
                  dateTime={finding.firstObservedAt}
                  title={formatDateTime(finding.firstObservedAt)}
                >
                  {formatAge(finding.firstObservedAt)}
                </time>
              ) : (
                '—'
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
