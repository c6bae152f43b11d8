import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import CloudIcon from '@material-ui/icons/Cloud';
import { ReactRouterV6PageRouter } from '@backstage/frontend-adapter-react-router-v6';
import { awsEnvironmentsApiRef } from './api/AwsEnvironmentsApi';
import { AwsEnvironmentsClient } from './api/AwsEnvironmentsClient';
import { isAwsEnvironmentAvailable } from './isEnvironmentAvailable';

const rootRouteRef = createRouteRef();

const awsEnvironmentsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: awsEnvironmentsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AwsEnvironmentsClient({ discoveryApi, fetchApi }),
    }),
});

/** The Environments page; its title and icon make the sidebar's "Environments" item. */
const environmentsPage = PageBlueprint.make({
  params: {
    path: '/aws-environments',
    title: 'Environments',
    icon: <CloudIcon fontSize="inherit" />,
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/EnvironmentsPage').then(m => (
        // The page's filters live in its URL: routing scoped to the page, as the new frontend system expects.
        <ReactRouterV6PageRouter>
          <m.EnvironmentsPageContent />
        </ReactRouterV6PageRouter>
      )),
  },
});

const healthCard = EntityCardBlueprint.make({
  name: 'health',
  params: {
    filter: isAwsEnvironmentAvailable,
    loader: () =>
      import('./components/EnvironmentHealthCard').then(m => (
        <m.EnvironmentHealthCard />
      )),
  },
});

const costCard = EntityCardBlueprint.make({
  name: 'costs',
  params: {
    filter: isAwsEnvironmentAvailable,
    loader: () =>
      import('./components/EnvironmentCostCard').then(m => (
        <m.EnvironmentCostCard />
      )),
  },
});

const securityCard = EntityCardBlueprint.make({
  name: 'security',
  params: {
    filter: isAwsEnvironmentAvailable,
    loader: () =>
      import('./components/EnvironmentSecurityCard').then(m => (
        <m.EnvironmentSecurityCard />
      )),
  },
});

/** What was done to the environment, by whom and how it ended; wide, as it is a table. */
const historyCard = EntityCardBlueprint.make({
  name: 'history',
  params: {
    filter: isAwsEnvironmentAvailable,
    type: 'content',
    loader: () =>
      import('./components/EnvironmentHistoryCard').then(m => (
        <m.EnvironmentHistoryCard />
      )),
  },
});

const infrastructureContent = EntityContentBlueprint.make({
  name: 'infrastructure',
  params: {
    path: '/infrastructure',
    title: 'Infrastructure',
    filter: isAwsEnvironmentAvailable,
    loader: () =>
      import('./components/EnvironmentInfrastructureContent').then(m => (
        <m.EnvironmentInfrastructureContent />
      )),
  },
});

const awsAccountPickerField = FormFieldBlueprint.make({
  name: 'aws-account-picker',
  params: {
    field: () => import('./alphaFields').then(m => m.awsAccountPickerFormField),
  },
});

const environmentCostEstimateField = FormFieldBlueprint.make({
  name: 'environment-cost-estimate',
  params: {
    field: () =>
      import('./alphaFields').then(m => m.environmentCostEstimateFormField),
  },
});

const environmentCreatePreviewField = FormFieldBlueprint.make({
  name: 'environment-create-preview',
  params: {
    field: () =>
      import('./alphaFields').then(m => m.environmentCreatePreviewFormField),
  },
});

const awsRegionPickerField = FormFieldBlueprint.make({
  name: 'aws-region-picker',
  params: {
    field: () => import('./alphaFields').then(m => m.awsRegionPickerFormField),
  },
});

const environmentNameField = FormFieldBlueprint.make({
  name: 'environment-name',
  params: {
    field: () => import('./alphaFields').then(m => m.environmentNameFormField),
  },
});

const vpcCidrField = FormFieldBlueprint.make({
  name: 'vpc-cidr',
  params: {
    field: () => import('./alphaFields').then(m => m.vpcCidrFormField),
  },
});

const teardownConfirmationField = FormFieldBlueprint.make({
  name: 'teardown-confirmation',
  params: {
    field: () =>
      import('./alphaFields').then(m => m.teardownConfirmationFormField),
  },
});

const awsTagValueField = FormFieldBlueprint.make({
  name: 'aws-tag-value',
  params: {
    field: () => import('./alphaFields').then(m => m.awsTagValueFormField),
  },
});

const awsKubernetesVersionPickerField = FormFieldBlueprint.make({
  name: 'aws-kubernetes-version-picker',
  params: {
    field: () =>
      import('./alphaFields').then(m => m.awsKubernetesVersionPickerFormField),
  },
});

const awsDatabaseVersionPickerField = FormFieldBlueprint.make({
  name: 'aws-database-version-picker',
  params: {
    field: () =>
      import('./alphaFields').then(m => m.awsDatabaseVersionPickerFormField),
  },
});

const environmentOwnerField = FormFieldBlueprint.make({
  name: 'environment-owner',
  params: {
    field: () => import('./alphaFields').then(m => m.environmentOwnerFormField),
  },
});

const reviewDisplayNameField = FormFieldBlueprint.make({
  name: 'review-display-name',
  params: {
    field: () => import('./alphaFields').then(m => m.reviewDisplayNameFormField),
  },
});

const choiceField = FormFieldBlueprint.make({
  name: 'choice',
  params: {
    field: () => import('./alphaFields').then(m => m.choiceFormField),
  },
});

const environmentPickerField = FormFieldBlueprint.make({
  name: 'environment-picker',
  params: {
    field: () => import('./alphaFields').then(m => m.environmentPickerFormField),
  },
});

/** The signed-in user's environments with their health and month-to-date cost, for the portal's home page. */
export { MyEnvironmentsCard } from './components/MyEnvironmentsCard';
export type { MyEnvironmentsCardProps } from './components/MyEnvironmentsCard';

/** The environment insights plugin for the new frontend system. */
export default createFrontendPlugin({
  pluginId: 'aws-environments',
  title: 'Environments',
  icon: <CloudIcon fontSize="inherit" />,
  routes: { root: rootRouteRef },
  extensions: [
    awsEnvironmentsApi,
    environmentsPage,
    healthCard,
    costCard,
    securityCard,
    historyCard,
    infrastructureContent,
    awsAccountPickerField,
    environmentCostEstimateField,
    environmentCreatePreviewField,
    awsRegionPickerField,
    environmentNameField,
    vpcCidrField,
    teardownConfirmationField,
    awsTagValueField,
    awsKubernetesVersionPickerField,
    awsDatabaseVersionPickerField,
    environmentOwnerField,
    reviewDisplayNameField,
    choiceField,
    environmentPickerField,
  ],
});
