import { Content, Header, InfoCard, Page } from '@backstage/core-components';
import { WelcomeTitle } from '@backstage/plugin-home';
import { HomePageSearchBar } from '@backstage/plugin-search';
import { MyEnvironmentsCard } from '@internal/plugin-aws-environments/alpha';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import { CreateCard } from './CreateCard';
import { PendingRequestsCard, RecentTasksCard } from './TaskCards';
import { useMyTasks } from './tasks';

/**
 * The page a person lands on after signing in: their teams' environments, the templates to start from, what they
 * ran lately and what is still running, and a search box for the rest of the portal.
 */
export function HomePage() {
  // One read serves both task cards: the pending requests are the latest tasks that have not finished.
  const tasks = useMyTasks();
  return (
    <Page themeId="home">
      <Header
        title={<WelcomeTitle language={['English']} />}
        pageTitleOverride="Home"
        subtitle="Innovate developer portal"
      />
      <Content>
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <InfoCard title="Search" titleTypographyProps={{ component: 'h2' }}>
              <HomePageSearchBar placeholder="Search the catalog and docs" />
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={8}>
            <Box display="flex" flexDirection="column" gridGap={24}>
              <MyEnvironmentsCard />
              <RecentTasksCard state={tasks} />
            </Box>
          </Grid>
          <Grid item xs={12} md={4}>
            <Box display="flex" flexDirection="column" gridGap={24}>
              <CreateCard />
              <PendingRequestsCard state={tasks} />
            </Box>
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}
