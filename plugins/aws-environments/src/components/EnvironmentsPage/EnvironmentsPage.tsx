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
import { useEnvironments } from '../../hooks/useInsights';
import { InsightsErrorPanel, SimulatedModeBanner } from '../shared';
import { EnvironmentsTable } from './EnvironmentsTable';

/** The body of the Environments page, without the page header (the new frontend system draws its own). */
export function EnvironmentsOverview() {
  const { value, loading, error } = useEnvironments();
  if (loading && !value) {
    return <Progress />;
  }
  if (error) {
    return <InsightsErrorPanel error={error} />;
  }
  if (!value || value.items.length === 0) {
    return (
      <>
        <SimulatedModeBanner mode={value?.mode} />
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
      <EnvironmentsTable items={value.items} loading={loading} />
    </>
  );
}

/** The Environments page for the legacy frontend system. */
export function EnvironmentsPage() {
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
        <EnvironmentsOverview />
      </Content>
    </Page>
  );
}

/** The Environments page for the new frontend system, whose page layout supplies the header. */
export function EnvironmentsPageContent() {
  return (
    <Content>
      <EnvironmentsOverview />
    </Content>
  );
}
