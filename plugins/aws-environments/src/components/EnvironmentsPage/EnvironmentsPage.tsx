import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  LinkButton,
  Page,
  Progress,
  SupportButton,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import { useState } from 'react';
import { useEnvironments } from '../../hooks/useInsights';
import { DEFAULT_REFRESH_INTERVAL_MS } from '../../hooks/usePolledAsync';
import {
  InsightsErrorPanel,
  RefreshStatus,
  SimulatedModeBanner,
} from '../shared';
import {
  EnvironmentsTable,
  INITIAL_VIEW,
  type EnvironmentsView,
  viewQuery,
} from './EnvironmentsTable';

export interface EnvironmentsPageProps {
  /**
   * How often the page reads the environments again while it is visible, in milliseconds; `null` or `0` reads
   * once. Defaults to a minute.
   */
  refreshIntervalMs?: number | null;
}

/** The body of the Environments page, without the page header (the new frontend system draws its own). */
export function EnvironmentsOverview(props: EnvironmentsPageProps) {
  const { refreshIntervalMs = DEFAULT_REFRESH_INTERVAL_MS } = props;
  const [view, setView] = useState<EnvironmentsView>(INITIAL_VIEW);
  const { value, loading, error, updatedAt, retry } = useEnvironments(
    viewQuery(view),
    { refreshIntervalMs },
  );
  if (!value) {
    // Without data the error stays on screen while the page keeps trying, rather than alternating with a spinner.
    return error ? <InsightsErrorPanel error={error} /> : <Progress />;
  }
  const status = (
    <Box mb={1}>
      <RefreshStatus
        updatedAt={updatedAt}
        error={error}
        refreshing={loading}
        onRefresh={retry}
        refreshLabel="Reload environments"
      />
    </Box>
  );
  const filtered =
    view.q.trim() !== '' || Object.values(view.filters).some(Boolean);
  if (value.totalItems === 0 && !filtered) {
    return (
      <>
        <SimulatedModeBanner mode={value.mode} />
        {status}
        <EmptyState
          missing="content"
          title="No environments yet"
          description="Environments appear here once their stacks are discovered in an allowed account. Create one with the New AWS environment template."
          action={
            <LinkButton to="/create" color="primary" variant="contained">
              Create an environment
            </LinkButton>
          }
        />
      </>
    );
  }
  return (
    <>
      {value.mode === 'simulated' && (
        <Box mb={2}>
          <SimulatedModeBanner mode={value.mode} />
        </Box>
      )}
      {status}
      <EnvironmentsTable list={value} view={view} onViewChange={setView} />
    </>
  );
}

/** The Environments page for the legacy frontend system. */
export function EnvironmentsPage(props: EnvironmentsPageProps) {
  return (
    <Page themeId="tool">
      <Header
        title="Environments"
        subtitle="Every AWS environment of the reference architecture"
      />
      <Content>
        <ContentHeader title="">
          <SupportButton>
            Health, costs and findings of every environment, collected from AWS
            on a schedule.
          </SupportButton>
        </ContentHeader>
        <EnvironmentsOverview refreshIntervalMs={props.refreshIntervalMs} />
      </Content>
    </Page>
  );
}

/** The Environments page for the new frontend system, whose page layout supplies the header. */
export function EnvironmentsPageContent(props: EnvironmentsPageProps) {
  return (
    <Content>
      <EnvironmentsOverview refreshIntervalMs={props.refreshIntervalMs} />
    </Content>
  );
}
