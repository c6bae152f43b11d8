import { InfoCard, Progress } from '@backstage/core-components';
import { MissingAnnotationEmptyState } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import RefreshIcon from '@material-ui/icons/Refresh';
import type { ReactNode } from 'react';
import type { EnvironmentRef } from '../../api/types';
import { useEnvironmentRef } from '../../hooks/useEnvironmentRef';
import { useAwsMode, useRefreshEnvironment } from '../../hooks/useInsights';
import { InsightsErrorPanel, SimulatedModeChip } from '../shared';

/**
 * The frame every environment card shares: title, simulated-mode label, a refresh button, and the
 * missing-annotation, loading and error states.
 */
export function EnvironmentCard(props: {
  title: string;
  children: (ref: EnvironmentRef) => ReactNode;
}) {
  const { ref, missingAnnotations } = useEnvironmentRef();
  if (!ref) {
    return (
      <InfoCard title={props.title}>
        <MissingAnnotationEmptyState annotation={missingAnnotations} />
      </InfoCard>
    );
  }
  return <>{props.children(ref)}</>;
}

export function CardFrame(props: {
  title: string;
  environment: EnvironmentRef;
  loading: boolean;
  error?: Error;
  onReload: () => void;
  subheader?: ReactNode;
  footer?: ReactNode;
  children?: ReactNode;
}) {
  const mode = useAwsMode();
  const { refreshing, error: refreshError, refresh } = useRefreshEnvironment(
    props.environment,
    props.onReload,
  );
  return (
    <InfoCard
      variant="gridItem"
      title={props.title}
      subheader={props.subheader}
      action={
        <Box display="flex" alignItems="center" gridGap={4} mt={1} mr={1}>
          <SimulatedModeChip mode={mode} />
          <Tooltip title="Collect from AWS again">
            <span>
              <IconButton
                aria-label={`Refresh ${props.title.toLowerCase()}`}
                onClick={refresh}
                disabled={refreshing}
                size="small"
              >
                <RefreshIcon />
              </IconButton>
            </span>
          </Tooltip>
        </Box>
      }
    >
      {refreshError && <InsightsErrorPanel error={refreshError} />}
      {props.loading && <Progress />}
      {!props.loading && props.error && <InsightsErrorPanel error={props.error} />}
      {!props.loading && !props.error && props.children}
      {!props.loading && !props.error && props.footer && (
        <Box mt={2}>{props.footer}</Box>
      )}
    </InfoCard>
  );
}
