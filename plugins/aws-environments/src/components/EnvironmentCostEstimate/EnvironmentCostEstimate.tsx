import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableFooter from '@material-ui/core/TableFooter';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { useEffect, useMemo } from 'react';
import {
  estimateMonthlyCost,
  type CostEstimate,
  type CostEstimateInput,
} from '@internal/plugin-aws-environments-common';
import { useAwsVersions, useRegionPrices } from '../../hooks/useVersions';
import { formatCurrency } from '../shared';

type FormValues = Record<string, unknown>;

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return value;
  }
  if (
    typeof value === 'string' &&
    value.trim() !== '' &&
    Number.isFinite(Number(value))
  ) {
    return Number(value);
  }
  return undefined;
}

function toText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') {
    return value;
  }
  if (value === 'true' || value === 'false') {
    return value === 'true';
  }
  return undefined;
}

/** The DR copy Region; the form's "No copy" (`none`) is the estimate's ''. */
function toDrCopyRegion(value: unknown): string | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  return value === 'none' ? '' : value;
}

function toNodes(value: unknown): CostEstimateInput['frontendNodes'] {
  if (!value || typeof value !== 'object') {
    return undefined;
  }
  const nodes = value as Record<string, unknown>;
  return {
    min: toNumber(nodes.min),
    max: toNumber(nodes.max),
    desired: toNumber(nodes.desired),
  };
}

/**
 * Reads the estimate's options from the whole form, whatever step they were entered on. Form values arrive as
 * the user types, so numbers may still be strings and any field may be missing.
 */
export function costInputFromForm(form: FormValues): CostEstimateInput {
  return {
    stage: toText(form.stage),
    region: toText(form.region),
    azCount: toNumber(form.azCount),
    natGateways: toText(form.natGateways) as CostEstimateInput['natGateways'],
    nodeStrategy: toText(
      form.nodeStrategy,
    ) as CostEstimateInput['nodeStrategy'],
    frontendInstanceType: toText(form.frontendInstanceType),
    backendInstanceType: toText(form.backendInstanceType),
    frontendNodes: toNodes(form.frontendNodes),
    backendNodes: toNodes(form.backendNodes),
    databaseEngine: toText(
      form.databaseEngine,
    ) as CostEstimateInput['databaseEngine'],
    databaseInstanceClass: toText(form.databaseInstanceClass),
    databaseStorageGb: toNumber(form.databaseStorageGb),
    multiAz: toBoolean(form.multiAz),
    readReplica: toBoolean(form.readReplica),
    drCopyRegion: toDrCopyRegion(form.drCopyRegion),
    enableWaf: toBoolean(form.enableWaf),
    kubernetesVersion: toText(form.kubernetesVersion),
  };
}

/**
 * Where the estimate's prices came from and when, in a sentence: the backend's read of the AWS Price List API, the
 * simulated organization's prices, or the table shipped with the portal (also what is used until the backend
 * answers, or when it cannot).
 */
export function pricesSourceSentence(
  estimate: Pick<CostEstimate, 'pricesSource' | 'pricesAsOf'>,
  state: { loading?: boolean; failed?: boolean } = {},
): string {
  switch (estimate.pricesSource) {
    case 'aws':
      return `Prices from the AWS Price List API, read ${estimate.pricesAsOf}.`;
    case 'simulated':
      return `Prices from the simulated organization, as of ${estimate.pricesAsOf}.`;
    default:
      if (state.loading) {
        return `Prices from the shipped price table of ${estimate.pricesAsOf} while the current prices are read.`;
      }
      return `Prices from the shipped price table of ${estimate.pricesAsOf}${
        state.failed ? ': the current prices could not be read' : ''
      }.`;
  }
}

/**
 * Read-only form field: a monthly cost estimate of the options chosen so far in the New AWS environment form, from
 * the Region's list prices as the backend serves them (`GET /prices/:region`, the shipped table until they arrive)
 * and the support phase of the chosen Kubernetes version (`GET /aws-versions`). It always says where the prices
 * came from and when. Its value is the estimated monthly total in USD, so the template can record it.
 */
export function EnvironmentCostEstimate(
  props: FieldExtensionComponentProps<number>,
) {
  const { formContext, formData, onChange, schema, idSchema } = props;
  const form: FormValues =
    (formContext?.formData as FormValues | undefined) ?? {};
  const input = costInputFromForm(form);
  const inputKey = JSON.stringify(input);
  const prices = useRegionPrices(input.region);
  const drCopyPrices = useRegionPrices(input.drCopyRegion || undefined);
  const accountId = toText(form.accountId);
  const versions = useAwsVersions(
    accountId && input.region ? { accountId, region: input.region } : undefined,
  );
  // EKS bills a cluster on a version in extended support at a higher price; the versions list says which phase.
  const kubernetesVersionPhase = versions.value?.kubernetes.find(
    version => version.version === input.kubernetesVersion,
  )?.phase;
  const estimate = useMemo(
    () =>
      estimateMonthlyCost(
        { ...input, kubernetesVersionPhase },
        { prices: prices.value, drCopyPrices: drCopyPrices.value },
      ),
    // The input object is rebuilt on each render; its contents decide when to estimate again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [inputKey, kubernetesVersionPhase, prices.value, drCopyPrices.value],
  );
  const source = pricesSourceSentence(estimate, {
    loading: prices.loading,
    failed: !!prices.error,
  });

  useEffect(() => {
    if (formData !== estimate.total) {
      onChange(estimate.total);
    }
  }, [estimate.total, formData, onChange]);

  const headingId = `${idSchema?.$id ?? 'cost-estimate'}-title`;
  return (
    <Paper variant="outlined" component="section" aria-labelledby={headingId}>
      <Box p={2}>
        <Typography variant="subtitle1" component="h3" id={headingId}>
          {schema.title ?? 'Estimated monthly cost'}
        </Typography>
        <Typography variant="h4" component="p" aria-live="polite">
          {formatCurrency(estimate.total, estimate.currency)}
          <Typography variant="body2" component="span" color="textSecondary">
            {' '}
            per month
          </Typography>
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {source}
        </Typography>
        {estimate.totalAtMaxScale > estimate.total && (
          <Typography variant="body2" color="textSecondary">
            Up to {formatCurrency(estimate.totalAtMaxScale, estimate.currency)}{' '}
            with every node group at its maximum size.
          </Typography>
        )}
        <Table size="small" aria-label="Cost estimate by item">
          <TableHead>
            <TableRow>
              <TableCell>Item</TableCell>
              <TableCell>How</TableCell>
              <TableCell align="right">Per month</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {estimate.lineItems.map(item => (
              <TableRow key={item.key}>
                <TableCell>{item.label}</TableCell>
                <TableCell>
                  <Typography variant="caption" color="textSecondary">
                    {item.detail}
                  </Typography>
                </TableCell>
                <TableCell align="right">
                  {formatCurrency(item.monthly, estimate.currency, {
                    cents: true,
                  })}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
          <TableFooter>
            <TableRow>
              <TableCell colSpan={2}>Total</TableCell>
              <TableCell align="right">
                {formatCurrency(estimate.total, estimate.currency, {
                  cents: true,
                })}
              </TableCell>
            </TableRow>
          </TableFooter>
        </Table>
        <Box component="ul" pl={2} mt={1} mb={0}>
          {estimate.notes.map(note => (
            <li key={note}>
              <Typography variant="caption" color="textSecondary">
                {note}
              </Typography>
            </li>
          ))}
          <li>
            <Typography variant="caption" color="textSecondary">
              On-demand list prices for {estimate.pricedAs}, taken{' '}
              {estimate.pricesAsOf}; savings plans, reserved instances and
              credits are not applied.
            </Typography>
          </li>
        </Box>
      </Box>
    </Paper>
  );
}
