import { InfoCard, LinkButton, Progress } from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { EnvironmentSummary } from '@internal/plugin-aws-environments-common';
import { awsEnvironmentsApiRef } from '../../api/AwsEnvironmentsApi';
import {
  DEFAULT_REFRESH_INTERVAL_MS,
  usePolledAsync,
} from '../../hooks/usePolledAsync';
import { InsightsErrorPanel, VerdictStatus, formatCurrency } from '../shared';

/** Where the card's "All environments" link and empty state lead. */
const ENVIRONMENTS_PATH = '/aws-environments';
const NEW_ENVIRONMENT_PATH = '/create/templates/default/aws-environment';
/** How many environments the card lists; the Environments page has the others. */
const CARD_PAGE_SIZE = 10;

export interface MyEnvironmentsCardProps {
  /** How often the card reads the environments again while visible, in milliseconds; `null` or `0` reads once. */
  refreshIntervalMs?: number | null;
}

function EnvironmentRows(props: { items: EnvironmentSummary[] }) {
  return (
    <Table size="small" aria-label="My environments">
      <TableHead>
        <TableRow>
          <TableCell>Environment</TableCell>
          <TableCell>Stage</TableCell>
          <TableCell>Health</TableCell>
          <TableCell align="right">Month to date</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.items.map(item => (
          <TableRow key={item.entityRef}>
            <TableCell>
              <EntityRefLink
                entityRef={item.entityRef}
                title={item.title ?? item.name}
              />
            </TableCell>
            <TableCell>{item.stage ?? '—'}</TableCell>
            <TableCell title={item.health.reasons.join('\n') || undefined}>
              <VerdictStatus verdict={item.health.verdict} />
              {!item.health.collectedAt && (
                <Typography variant="caption" color="textSecondary">
                  {' '}
                  (not collected yet)
                </Typography>
              )}
            </TableCell>
            <TableCell align="right">
              {item.costs
                ? formatCurrency(item.costs.monthToDate, item.costs.currency)
                : 'Not collected yet'}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * The environments of the signed-in user's teams, with their health and month-to-date cost, for the home page.
 * Each name opens the environment's catalog page.
 */
export function MyEnvironmentsCard(props: MyEnvironmentsCardProps) {
  const { refreshIntervalMs = DEFAULT_REFRESH_INTERVAL_MS } = props;
  const identityApi = useApi(identityApiRef);
  const api = useApi(awsEnvironmentsApiRef);
  // The server keeps the environments owned by the user or one of their groups, a small page of them.
  const environments = usePolledAsync(
    async () => {
      const { ownershipEntityRefs } = await identityApi.getBackstageIdentity();
      if (!ownershipEntityRefs.length) {
        return undefined;
      }
      return api.listEnvironments({
        owner: ownershipEntityRefs,
        limit: CARD_PAGE_SIZE,
      });
    },
    [api, identityApi],
    { refreshIntervalMs },
  );
  const { value, loading, error } = environments;
  // No answer after a read that neither failed nor is under way: the user has no ownership refs, hence nothing.
  let mine: EnvironmentSummary[] | undefined = value?.items;
  if (!value && !loading && !error) {
    mine = [];
  }
  const more = value ? value.totalItems - value.items.length : 0;

  let body: JSX.Element;
  if (mine) {
    body =
      mine.length > 0 ? (
        <>
          <EnvironmentRows items={mine} />
          {more > 0 && (
            <Box mt={1}>
              <Typography variant="body2" color="textSecondary">
                {`${more} more ${
                  more === 1 ? 'environment' : 'environments'
                } of your teams: see All environments.`}
              </Typography>
            </Box>
          )}
        </>
      ) : (
        <Box py={1}>
          <Typography variant="subtitle1" component="p">
            Your teams own no environment yet
          </Typography>
          <Typography variant="body2" color="textSecondary">
            Environments owned by a team you belong to show here with their
            health and costs. Create one with the New AWS environment template.
          </Typography>
          <Box mt={2}>
            <LinkButton
              to={NEW_ENVIRONMENT_PATH}
              color="primary"
              variant="contained"
            >
              Create an environment
            </LinkButton>
          </Box>
        </Box>
      );
  } else if (error) {
    body = <InsightsErrorPanel error={error} />;
  } else {
    body = <Progress />;
  }

  return (
    <InfoCard
      title="My environments"
      subheader="Environments owned by your teams"
      titleTypographyProps={{ component: 'h2' }}
      deepLink={{ title: 'All environments', link: ENVIRONMENTS_PATH }}
    >
      {body}
    </InfoCard>
  );
}
