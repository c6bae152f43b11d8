import {
  EmptyState,
  StatusAborted,
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type {
  ComponentLifecycle,
  EnvironmentHealth,
} from '@internal/plugin-aws-environments-common';
import type { EnvironmentRef } from '../../api/types';
import { useEnvironmentHealth } from '../../hooks/useInsights';
import { DEFAULT_REFRESH_INTERVAL_MS } from '../../hooks/usePolledAsync';
import { CardFrame, EnvironmentCard } from '../EnvironmentCard';
import {
  AsOf,
  DriftStatus,
  ResourceStatus,
  VerdictStatus,
  formatCurrency,
} from '../shared';
import { SupportEnds, phaseText } from '../shared/lifecycle';
import { DATABASE_ENGINE_NAMES, databaseEngineOf } from '../shared/versions';

const TITLE = 'Environment health';

export interface EnvironmentHealthCardProps {
  /**
   * How often the card reads the health again while the page is visible, in milliseconds; `null` or `0` reads
   * once. Defaults to a minute (the backend collects health every 5 minutes).
   */
  refreshIntervalMs?: number | null;
}

/** Health of an environment entity: verdict and reasons, stacks, EKS, database, versions and alarms. */
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
            {health.eks.version
              ? ` (Kubernetes ${health.eks.version})`
              : ''}: <ResourceStatus status={health.eks.status} />
          </Typography>
          <Box component="ul" mt={0.5} mb={0} pl={3} aria-label="Node groups">
            {health.eks.nodegroups.map(group => (
              <li key={group.name}>
                <Typography variant="body2">
                  {group.name}: <ResourceStatus status={group.status} />
                  {group.desiredSize !== undefined &&
                    ` · ${group.desiredSize} × ${
                      (group.instanceTypes ?? []).join(', ') || 'nodes'
                    }`}
                  {group.capacityType &&
                    ` · ${group.capacityType.toLowerCase().replace('_', '-')}`}
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

      <VersionsSection health={health} />

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

/**
 * The versions the environment's parts run, for an older backend that reports no lifecycle: the bare versions,
 * with unknown support dates.
 */
function componentsWithoutLifecycle(
  health: EnvironmentHealth,
): ComponentLifecycle[] {
  const components: ComponentLifecycle[] = [];
  if (health.eks?.version) {
    components.push({
      kind: 'kubernetes',
      resource: health.eks.clusterName,
      version: health.eks.version,
      phase: 'unknown',
      summary: '',
    });
  }
  for (const db of health.databases) {
    if (db.engineVersion) {
      components.push({
        kind: 'database',
        resource: db.identifier,
        engine: databaseEngineOf(db.engine),
        version: db.engineVersion,
        phase: 'unknown',
        summary: '',
      });
    }
  }
  return components;
}

const useVersionStyles = makeStyles({
  // Versions, dates and resource names are read whole: the table wraps between words, never inside one.
  table: {
    '& th, & td': { wordBreak: 'normal' },
  },
  nowrap: { whiteSpace: 'nowrap' },
});

function componentName(component: ComponentLifecycle): string {
  if (component.kind === 'kubernetes') {
    return 'Kubernetes (EKS)';
  }
  return component.engine
    ? DATABASE_ENGINE_NAMES[component.engine]
    : 'Database engine';
}

/**
 * When the component's current phase ends: "Support ends in 237 days (2027-07-29)", in the warning colour within 90
 * days, with the other phase's date underneath where it says more.
 */
function EndOfSupport(props: { component: ComponentLifecycle }) {
  const classes = useVersionStyles();
  const { phase, endOfStandardSupport, endOfExtendedSupport, daysLeft } =
    props.component;
  let date: string | undefined;
  let note: string | undefined;
  if (phase === 'standard') {
    date = endOfStandardSupport;
    note =
      endOfExtendedSupport &&
      `then extended support until ${endOfExtendedSupport}`;
  } else if (phase === 'extended') {
    date = endOfExtendedSupport;
    note =
      endOfStandardSupport && `standard support ended ${endOfStandardSupport}`;
  } else if (phase === 'unsupported') {
    date = endOfExtendedSupport ?? endOfStandardSupport;
  }
  return (
    <>
      {daysLeft !== undefined && phase !== 'unknown' ? (
        <Box>
          <SupportEnds component={props.component} />
          {date && (
            <Typography
              variant="body2"
              component="span"
              className={classes.nowrap}
            >
              {' '}
              ({date})
            </Typography>
          )}
        </Box>
      ) : (
        date && (
          <Typography variant="body2" component="div">
            {phase === 'unsupported'
              ? `Support ended ${date}`
              : `Support ends ${date}`}
          </Typography>
        )
      )}
      {note && (
        <Typography variant="caption" component="div" color="textSecondary">
          {note}
        </Typography>
      )}
    </>
  );
}

function PhaseStatus(props: { component: ComponentLifecycle }) {
  const text = phaseText(props.component);
  switch (props.component.phase) {
    case 'standard':
      return <StatusOK>{text}</StatusOK>;
    case 'extended':
      return <StatusWarning>{text}</StatusWarning>;
    case 'unsupported':
      return <StatusError>{text}</StatusError>;
    default:
      return <StatusAborted>{text}</StatusAborted>;
  }
}

/** Each part's version and where it stands in AWS's support calendar, with what extended support costs. */
function VersionsSection(props: { health: EnvironmentHealth }) {
  const classes = useVersionStyles();
  const { lifecycle } = props.health;
  const components =
    lifecycle?.components ?? componentsWithoutLifecycle(props.health);
  if (components.length === 0) {
    return null;
  }
  return (
    <Section title="Versions">
      <Table size="small" aria-label="Versions" className={classes.table}>
        <TableHead>
          <TableRow>
            <TableCell>Component</TableCell>
            <TableCell>Version</TableCell>
            <TableCell>Support</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {components.map(component => (
            <TableRow key={`${component.kind}:${component.resource}`}>
              <TableCell title={component.summary || undefined}>
                {componentName(component)}
                <Typography
                  variant="caption"
                  component="span"
                  display="block"
                  color="textSecondary"
                  className={classes.nowrap}
                >
                  {component.resource}
                </Typography>
              </TableCell>
              <TableCell>{component.version}</TableCell>
              <TableCell>
                <PhaseStatus component={component} />
                <EndOfSupport component={component} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {!lifecycle && (
        <Typography variant="caption" color="textSecondary">
          The support dates of these versions have not been read yet.
        </Typography>
      )}
      {!!lifecycle?.extendedSupportMonthly && (
        <Typography variant="body2">
          Extended support adds{' '}
          {formatCurrency(lifecycle.extendedSupportMonthly)} per month to this
          environment&apos;s bill until its versions are upgraded.
        </Typography>
      )}
    </Section>
  );
}
