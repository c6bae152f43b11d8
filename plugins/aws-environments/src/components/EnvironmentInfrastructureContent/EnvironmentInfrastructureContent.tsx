import { InfoCard, Link, Progress } from '@backstage/core-components';
import { MissingAnnotationEmptyState } from '@backstage/plugin-catalog-react';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { EmptyState } from '@backstage/core-components';
import type { EnvironmentRef, EnvironmentStacks, StackDetail } from '../../api/types';
import { useEnvironmentRef } from '../../hooks/useEnvironmentRef';
import { useAwsMode, useEnvironmentStacks } from '../../hooks/useInsights';
import { DEFAULT_REFRESH_INTERVAL_MS } from '../../hooks/usePolledAsync';
import {
  AsOf,
  DriftStatus,
  InsightsErrorPanel,
  RefreshFailedNotice,
  ResourceStatus,
  SimulatedModeBanner,
  formatDateTime,
} from '../shared';
import { accountSignInUrl, stackConsoleUrl, stacksConsoleUrl } from './consoleLinks';

export interface EnvironmentInfrastructureContentProps {
  /**
   * How often the tab reads the stacks again while the page is visible, in milliseconds, so a stack coming up can
   * be watched; `null` or `0` reads once. Defaults to a minute (the backend reads stacks with health, every 5
   * minutes, and at once on a refresh).
   */
  refreshIntervalMs?: number | null;
}

/** The Infrastructure tab of an environment entity: its stacks in detail. */
export function EnvironmentInfrastructureContent(
  props: EnvironmentInfrastructureContentProps,
) {
  const { refreshIntervalMs = DEFAULT_REFRESH_INTERVAL_MS } = props;
  const { ref, missingAnnotations } = useEnvironmentRef();
  if (!ref) {
    return <MissingAnnotationEmptyState annotation={missingAnnotations} />;
  }
  return (
    <InfrastructureContent
      environment={ref}
      refreshIntervalMs={refreshIntervalMs}
    />
  );
}

function InfrastructureContent(props: {
  environment: EnvironmentRef;
  refreshIntervalMs: number | null;
}) {
  const mode = useAwsMode();
  const { value, error, updatedAt } = useEnvironmentStacks(props.environment, {
    refreshIntervalMs: props.refreshIntervalMs,
  });
  if (!value) {
    return error ? <InsightsErrorPanel error={error} /> : <Progress />;
  }
  if (value.stacks.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No stacks found"
        description="None of this environment's CloudFormation stacks exist yet, or they have not been collected."
      />
    );
  }
  return (
    <Grid container spacing={3}>
      {mode === 'simulated' && (
        <Grid item xs={12}>
          <SimulatedModeBanner mode={mode} />
        </Grid>
      )}
      <Grid item xs={12} md={6}>
        <TemplateCard stacks={value} />
      </Grid>
      <Grid item xs={12} md={6}>
        <AccountCard stacks={value} environment={props.environment.name} />
      </Grid>
      <Grid item xs={12}>
        <Typography variant="h6" component="h2" gutterBottom>
          Stacks
        </Typography>
        {value.stacks.map(stack => (
          <StackPanel key={stack.stackName} stack={stack} region={value.region} />
        ))}
        <Box mt={1}>
          <AsOf meta={value} />
          {error && updatedAt && (
            <RefreshFailedNotice error={error} updatedAt={updatedAt} />
          )}
        </Box>
      </Grid>
    </Grid>
  );
}

function TemplateCard(props: { stacks: EnvironmentStacks }) {
  const { template } = props.stacks;
  return (
    <InfoCard title="Template">
      {!template ? (
        <Typography variant="body2" color="textSecondary">
          The stacks do not record the template they were made from.
        </Typography>
      ) : (
        <>
          <Typography variant="body1">
            Made from <strong>{template.name}</strong> version <strong>{template.version}</strong>
          </Typography>
          {template.behind ? (
            <Box mt={1}>
              <Alert severity="warning">
                Version {template.latestVersion ?? 'newer'} of {template.name} exists. Update the
                environment with the update template.
              </Alert>
            </Box>
          ) : (
            <Typography variant="body2" color="textSecondary">
              This is the latest version.
            </Typography>
          )}
        </>
      )}
    </InfoCard>
  );
}

function AccountCard(props: { stacks: EnvironmentStacks; environment: string }) {
  const { accountId, accountName, region } = props.stacks;
  return (
    <InfoCard title="AWS account">
      <Typography variant="body1">
        {accountName ? `${accountName} (${accountId})` : accountId}, {region}
      </Typography>
      <Box mt={1} display="flex" flexDirection="column" gridGap={4}>
        <Link to={accountSignInUrl(accountId)} externalLinkIcon>
          Sign in to account {accountId}
        </Link>
        <Link to={stacksConsoleUrl(region, props.environment)} externalLinkIcon>
          This environment's stacks in the CloudFormation console
        </Link>
      </Box>
    </InfoCard>
  );
}

function StackPanel(props: { stack: StackDetail; region: string }) {
  const { stack, region } = props;
  const headingId = `stack-${stack.stackName}`;
  return (
    <Accordion TransitionProps={{ unmountOnExit: true }}>
      <AccordionSummary expandIcon={<ExpandMoreIcon />} aria-controls={`${headingId}-details`} id={headingId}>
        <Box display="flex" gridGap={24} alignItems="center" flexWrap="wrap" width="100%">
          <Typography variant="subtitle1" component="h3" style={{ minWidth: 240 }}>
            {stack.stackName}
          </Typography>
          <ResourceStatus status={stack.status} />
          <DriftStatus drift={stack.driftStatus} />
          {stack.templateVersion && (
            <Typography variant="body2" color="textSecondary">
              template {stack.templateVersion}
            </Typography>
          )}
        </Box>
      </AccordionSummary>
      <AccordionDetails id={`${headingId}-details`}>
        <Box width="100%">
          {stack.statusReason && (
            <Typography variant="body2" gutterBottom>
              {stack.statusReason}
            </Typography>
          )}
          <Typography variant="body2" color="textSecondary" gutterBottom>
            Last updated {formatDateTime(stack.lastUpdated ?? stack.createdAt)} ·{' '}
            <Link to={stackConsoleUrl(region, stack)} externalLinkIcon>
              Open in the console
            </Link>
          </Typography>

          <Typography variant="subtitle2" component="h4">
            Resources
          </Typography>
          <Table size="small" aria-label={`Resources of ${stack.stackName}`}>
            <TableHead>
              <TableRow>
                <TableCell>Logical ID</TableCell>
                <TableCell>Physical ID</TableCell>
                <TableCell>Type</TableCell>
                <TableCell>Status</TableCell>
                <TableCell>Drift</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {stack.resources.map(resource => (
                <TableRow key={resource.logicalId}>
                  <TableCell>{resource.logicalId}</TableCell>
                  <TableCell style={{ wordBreak: 'break-all' }}>{resource.physicalId ?? '—'}</TableCell>
                  <TableCell>{resource.type}</TableCell>
                  <TableCell title={resource.statusReason}>
                    <ResourceStatus status={resource.status} />
                  </TableCell>
                  <TableCell>
                    <DriftStatus drift={resource.driftStatus} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>

          {stack.outputs.length > 0 && (
            <Box mt={2}>
              <Typography variant="subtitle2" component="h4">
                Outputs
              </Typography>
              <Table size="small" aria-label={`Outputs of ${stack.stackName}`}>
                <TableHead>
                  <TableRow>
                    <TableCell>Key</TableCell>
                    <TableCell>Value</TableCell>
                    <TableCell>Description</TableCell>
                    <TableCell>Export</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {stack.outputs.map(output => (
                    <TableRow key={output.key}>
                      <TableCell>{output.key}</TableCell>
                      <TableCell style={{ wordBreak: 'break-all' }}>{output.value}</TableCell>
                      <TableCell>{output.description ?? ''}</TableCell>
                      <TableCell>{output.exportName ?? ''}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Box>
          )}

          <Box mt={2}>
            <Typography variant="subtitle2" component="h4">
              Recent events
            </Typography>
            <Table size="small" aria-label={`Recent events of ${stack.stackName}`}>
              <TableHead>
                <TableRow>
                  <TableCell>Time</TableCell>
                  <TableCell>Resource</TableCell>
                  <TableCell>Status</TableCell>
                  <TableCell>Reason</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {stack.events.slice(0, 20).map((event, index) => (
                  <TableRow key={`${event.timestamp}-${event.logicalId}-${index}`}>
                    <TableCell>{formatDateTime(event.timestamp)}</TableCell>
                    <TableCell>
                      {event.logicalId}
                      {event.resourceType && (
                        <Typography variant="caption" color="textSecondary" display="block">
                          {event.resourceType}
                        </Typography>
                      )}
                    </TableCell>
                    <TableCell>
                      <ResourceStatus status={event.status} />
                    </TableCell>
                    <TableCell>{event.reason ?? ''}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Box>
        </Box>
      </AccordionDetails>
    </Accordion>
  );
}
