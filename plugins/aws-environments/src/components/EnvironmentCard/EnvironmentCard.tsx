import { InfoCard, Progress } from '@backstage/core-components';
import { MissingAnnotationEmptyState } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import type { RefreshableSection } from '@internal/plugin-aws-environments-common';
import type { ReactNode } from 'react';
import type { EnvironmentRef } from '../../api/types';
import { useEnvironmentRef } from '../../hooks/useEnvironmentRef';
import { useAwsMode } from '../../hooks/useInsights';
import {
  InsightsErrorPanel,
  RefreshFailedNotice,
  SectionRefreshButton,
  SectionRefreshNotice,
  SimulatedModeChip,
  useSectionRefresh,
} from '../shared';

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

/**
 * `loading`, `error` and `updatedAt` come from the card's data hook. Once data has been read (`updatedAt`), an error
 * is a failed refresh: the data stays, with a notice, instead of giving way to an error panel.
 */
export function CardFrame(props: {
  title: string;
  environment: EnvironmentRef;
  loading: boolean;
  error?: Error;
  updatedAt?: Date;
  onReload: () => void;
  /** The section the card's Refresh button collects again; no button without one (costs stay on their schedule). */
  refreshSection?: RefreshableSection;
  subheader?: ReactNode;
  footer?: ReactNode;
  children?: ReactNode;
}) {
  const mode = useAwsMode();
  const refresh = useSectionRefresh(
    props.environment,
    props.refreshSection,
    props.onReload,
  );
  const hasData = props.updatedAt !== undefined;
  const failedRefresh = hasData ? props.error : undefined;
  let body: ReactNode;
  if (!hasData && props.error) {
    body = <InsightsErrorPanel error={props.error} />;
  } else if (!hasData && props.loading) {
    body = <Progress />;
  } else {
    body = (
      <>
        {props.children}
        {(props.footer || failedRefresh) && (
          <Box mt={2}>
            {props.footer}
            {failedRefresh && props.updatedAt && (
              <RefreshFailedNotice
                error={failedRefresh}
                updatedAt={props.updatedAt}
              />
            )}
          </Box>
        )}
      </>
    );
  }
  return (
    <InfoCard
      variant="gridItem"
      title={props.title}
      subheader={props.subheader}
      action={
        <Box display="flex" alignItems="center" gridGap={4} mt={1} mr={1}>
          <SimulatedModeChip mode={mode} />
          {props.refreshSection && (
            <SectionRefreshButton
              label={`Refresh ${props.title.toLowerCase()}`}
              state={refresh}
            />
          )}
        </Box>
      }
    >
      <SectionRefreshNotice state={refresh} />
      {body}
    </InfoCard>
  );
}
