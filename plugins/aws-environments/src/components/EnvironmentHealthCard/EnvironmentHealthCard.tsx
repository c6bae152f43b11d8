import { EmptyState } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { EnvironmentHealth } from '@internal/plugin-aws-environments-common';
import type { EnvironmentRef } from '../../api/types';
import { useEnvironmentHealth } from '../../hooks/useInsights';
import { DEFAULT_REFRESH_INTERVAL_MS } from '../../hooks/usePolledAsync';
import { CardFrame, EnvironmentCard } from '../EnvironmentCard';
import { AsOf, DriftStatus, ResourceStatus, VerdictStatus } from '../shared';

const TITLE = 'Environment health';

export interface EnvironmentHealthCardProps {
  /**
   * How often the card reads the health again while the page is visible, in milliseconds; `null` or `0` reads
   * once. Defaults to a minute (the backend collects health every 5 minutes).
   */
  refreshIntervalMs?: number | null;
}

/** Health of an environment entity: verdict and reasons, stacks, EKS, database and alarms. */
export function EnvironmentHealthCard(props: EnvironmentHealthCardProps) {
  const { refreshIntervalMs = DEFAULT_REFRESH_INTERVAL_MS } = props;
  return (
    <EnvironmentCard title={TITLE}>
      {ref => (
        <HealthCardContent
          environment={ref}
          refreshIntervalMs={refreshIntervalMs}
        />
      )}
    </EnvironmentCard>
  );
}

function HealthCardContent(props: {
  environment: EnvironmentRef;
  refreshIntervalMs: number | null;
}) {
  const { value, loading, error, updatedAt, retry } = useEnvironmentHealth(
    props.environment,
    { refreshIntervalMs: props.refreshIntervalMs },
  );
  return (
    <CardFrame
      title={TITLE}
      environment={props.environment}
      loading={loading}
      error={error}
      updatedAt={updatedAt}
      onReload={retry}
      refreshSection="health"
      footer={value && <AsOf meta={value} />}
    >
      {value && <HealthDetails health={value} />}
    </CardFrame>
  );
}

function Section(props: { title: string; children: React.ReactNode }) {
  return (
    <Box component="section" mt={2} aria-label={props.title}>
      <Typography variant="subtitle2" component="h3" gutterBottom>
        {props.title}
      </Typography>
      {props.children}
    </Box>
  );
}

export function HealthDetails(props: { health: EnvironmentHealth }) {
  const { health } = props;
  const firing = health.alarms.filter(alarm => alarm.state === 'ALARM');

  if (!health.collectedAt && health.stacks.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No health data yet"
        description="The insights backend has not collected this environment yet. It does so on a schedule, or press refresh."
      />
    );
  }

  return (
    <>
      <Box display="flex" alignItems="center" gridGap={16}>
        <Typography variant="h5" component="p">
          <VerdictStatus verdict={health.verdict} />
        </Typography>
      </Box>
      {health.reasons.length > 0 && (
        <Box component="ul" mt={1} mb={0} pl={3} aria-label="Reasons">
          {health.reasons.map(reason => (
            <li key={reason}>
              <Typography variant="body2">{reason}</Typography>
            </li>
          ))}
        </Box>
      )}

      <Section title="Stacks">
        <Table size="small" aria-label="Stacks">
          <TableHead>
            <TableRow>
              <TableCell>Stack</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Drift</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {health.stacks.map(stack => (
              <TableRow key={stack.stackName}>
                <TableCell>{stack.stackName}</TableCell>
                <TableCell title={stack.statusReason}>
                  <ResourceStatus status={stack.status} />
                </TableCell>
                <TableCell>
                  <DriftStatus drift={stack.driftStatus} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Section>

      {health.eks && (
        <Section title="Kubernetes">
          <Typography variant="body2">
            {health.eks.clusterName}
            {health.eks.version ? ` (Kubernetes ${health.eks.version})` : ''}:{' '}
            <ResourceStatus status={health.eks.status} />
          </Typography>
          <Box component="ul" mt={0.5} mb={0} pl={3} aria-label="Node groups">
            {health.eks.nodegroups.map(group => (
              <li key={group.name}>
                <Typography variant="body2">
                  {group.name}: <ResourceStatus status={group.status} />
                  {group.desiredSize !== undefined &&
                    ` · ${group.desiredSize} × ${(group.instanceTypes ?? []).join(', ') || 'nodes'}`}
                  {group.capacityType && ` · ${group.capacityType.toLowerCase().replace('_', '-')}`}
                </Typography>
              </li>
            ))}
          </Box>
        </Section>
      )}

      {health.databases.length > 0 && (
        <Section title="Database">
          {health.databases.map(db => (
            <Typography variant="body2" key={db.identifier}>
              {db.identifier} ({db.engine}
              {db.instanceClass ? `, ${db.instanceClass}` : ''}):{' '}
              <ResourceStatus status={db.status} />
              {' · '}
              {db.multiAz ? 'Multi-AZ' : 'single AZ'}
              {' · '}
              {db.storageEncrypted ? 'encrypted' : 'NOT encrypted'}
              {' · '}
              backups kept {db.backupRetentionDays} days
            </Typography>
          ))}
        </Section>
      )}

      <Section title="Alarms">
        {firing.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            No alarm is firing ({health.alarms.length} watched).
          </Typography>
        ) : (
          <Box component="ul" m={0} pl={3} aria-label="Alarms in ALARM">
            {firing.map(alarm => (
              <li key={alarm.name}>
                <Typography variant="body2">
                  <strong>{alarm.name}</strong>
                  {alarm.metric ? ` (${alarm.metric})` : ''}
                  {alarm.reason ? `: ${alarm.reason}` : ''}
                </Typography>
              </li>
            ))}
          </Box>
        )}
      </Section>
    </>
  );
}
