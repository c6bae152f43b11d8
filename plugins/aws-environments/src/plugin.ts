import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { awsEnvironmentsApiRef } from './api/AwsEnvironmentsApi';
import { AwsEnvironmentsClient } from './api/AwsEnvironmentsClient';
import {
  AWS_ACCOUNT_PICKER_FIELD,
  AWS_DATABASE_VERSION_PICKER_FIELD,
  AWS_KUBERNETES_VERSION_PICKER_FIELD,
  AWS_REGION_PICKER_FIELD,
  AWS_TAG_VALUE_FIELD,
  AwsAccountPickerField,
  AwsDatabaseVersionPickerField,
  AwsKubernetesVersionPickerField,
  AwsRegionPickerField,
  AwsTagValueFieldComponent,
  ENVIRONMENT_COST_ESTIMATE_FIELD,
  ENVIRONMENT_CREATE_PREVIEW_FIELD,
  ENVIRONMENT_NAME_FIELD,
  EnvironmentCostEstimateField,
  EnvironmentCreatePreviewField,
  EnvironmentNameFieldComponent,
  TEARDOWN_CONFIRMATION_FIELD,
  TeardownConfirmationFieldComponent,
  VPC_CIDR_FIELD,
  VpcCidrFieldComponent,
  validateAwsAccountId,
  validateAwsRegion,
  validateAwsTagValue,
  validateDatabaseVersion,
  validateEnvironmentName,
  validateKubernetesVersion,
  validateTeardownConfirmation,
  validateVpcCidr,
} from './fields';
import { rootRouteRef } from './routes';

/** The environment insights plugin for the legacy frontend system. */
export const awsEnvironmentsPlugin = createPlugin({
  id: 'aws-environments',
  apis: [
    createApiFactory({
      api: awsEnvironmentsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new AwsEnvironmentsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/** Every environment side by side; mount at `/aws-environments`. */
export const AwsEnvironmentsPage = awsEnvironmentsPlugin.provide(
  createRoutableExtension({
    name: 'AwsEnvironmentsPage',
    component: () =>
      import('./components/EnvironmentsPage').then(m => m.EnvironmentsPage),
    mountPoint: rootRouteRef,
  }),
);

export const EntityEnvironmentHealthCard = awsEnvironmentsPlugin.provide(
  createComponentExtension({
    name: 'EntityEnvironmentHealthCard',
    component: {
      lazy: () =>
        import('./components/EnvironmentHealthCard').then(
          m => m.EnvironmentHealthCard,
        ),
    },
  }),
);

export const EntityEnvironmentCostCard = awsEnvironmentsPlugin.provide(
  createComponentExtension({
    name: 'EntityEnvironmentCostCard',
    component: {
      lazy: () =>
        import('./components/EnvironmentCostCard').then(
          m => m.EnvironmentCostCard,
        ),
    },
  }),
);

export const EntityEnvironmentSecurityCard = awsEnvironmentsPlugin.provide(
  createComponentExtension({
    name: 'EntityEnvironmentSecurityCard',
    component: {
      lazy: () =>
        import('./components/EnvironmentSecurityCard').then(
          m => m.EnvironmentSecurityCard,
        ),
    },
  }),
);

/** The environment's history: every create, update, teardown and other change, newest first. */
export const EntityEnvironmentHistoryCard = awsEnvironmentsPlugin.provide(
  createComponentExtension({
    name: 'EntityEnvironmentHistoryCard',
    component: {
      lazy: () =>
        import('./components/EnvironmentHistoryCard').then(
          m => m.EnvironmentHistoryCard,
        ),
    },
  }),
);

/** The Infrastructure tab's content. */
export const EntityEnvironmentInfrastructureContent =
  awsEnvironmentsPlugin.provide(
    createComponentExtension({
      name: 'EntityEnvironmentInfrastructureContent',
      component: {
        lazy: () =>
          import('./components/EnvironmentInfrastructureContent').then(
            m => m.EnvironmentInfrastructureContent,
          ),
      },
    }),
  );

/** Scaffolder field `ui:field: AwsAccountPicker`: one of the configured accounts; value is the account id. */
export const AwsAccountPickerFieldExtension = awsEnvironmentsPlugin.provide(
  createScaffolderFieldExtension({
    name: AWS_ACCOUNT_PICKER_FIELD,
    component: AwsAccountPickerField,
    validation: validateAwsAccountId,
  }),
);

/** Scaffolder field `ui:field: EnvironmentCostEstimate`: read-only monthly estimate; value is the total in USD. */
export const EnvironmentCostEstimateFieldExtension =
  awsEnvironmentsPlugin.provide(
    createScaffolderFieldExtension({
      name: ENVIRONMENT_COST_ESTIMATE_FIELD,
      component: EnvironmentCostEstimateField,
    }),
  );

/** Scaffolder field `ui:field: EnvironmentCreatePreview`: on a button press, the stacks and resources Create makes. */
export const EnvironmentCreatePreviewFieldExtension =
  awsEnvironmentsPlugin.provide(
    createScaffolderFieldExtension({
      name: ENVIRONMENT_CREATE_PREVIEW_FIELD,
      component: EnvironmentCreatePreviewField,
    }),
  );

/** Scaffolder field `ui:field: AwsRegionPicker`: one of the Regions the chosen account (`accountId`) allows. */
export const AwsRegionPickerFieldExtension = awsEnvironmentsPlugin.provide(
  createScaffolderFieldExtension({
    name: AWS_REGION_PICKER_FIELD,
    component: AwsRegionPickerField,
    validation: validateAwsRegion,
  }),
);

/** Scaffolder field `ui:field: EnvironmentName`: a new environment's name, checked against existing ones. */
export const EnvironmentNameFieldExtension = awsEnvironmentsPlugin.provide(
  createScaffolderFieldExtension({
    name: ENVIRONMENT_NAME_FIELD,
    component: EnvironmentNameFieldComponent,
    validation: validateEnvironmentName,
  }),
);

/** Scaffolder field `ui:field: VpcCidr`: a private /16 overlapping no other environment in the account. */
export const VpcCidrFieldExtension = awsEnvironmentsPlugin.provide(
  createScaffolderFieldExtension({
    name: VPC_CIDR_FIELD,
    component: VpcCidrFieldComponent,
    validation: validateVpcCidr,
  }),
);

/** Scaffolder field `ui:field: TeardownConfirmation`: the chosen environment's name, typed again. */
export const TeardownConfirmationFieldExtension = awsEnvironmentsPlugin.provide(
  createScaffolderFieldExtension({
    name: TEARDOWN_CONFIRMATION_FIELD,
    component: TeardownConfirmationFieldComponent,
    validation: validateTeardownConfirmation,
  }),
);

/** Scaffolder field `ui:field: AwsTagValue`: text that becomes an AWS tag value, such as the cost center. */
export const AwsTagValueFieldExtension = awsEnvironmentsPlugin.provide(
  createScaffolderFieldExtension({
    name: AWS_TAG_VALUE_FIELD,
    component: AwsTagValueFieldComponent,
    validation: validateAwsTagValue,
  }),
);

/**
 * Scaffolder field `ui:field: AwsKubernetesVersionPicker`: a Kubernetes version EKS offers in the form's account and
 * Region, newest in standard support by default; extended-support versions show their surcharge.
 */
export const AwsKubernetesVersionPickerFieldExtension =
  awsEnvironmentsPlugin.provide(
    createScaffolderFieldExtension({
      name: AWS_KUBERNETES_VERSION_PICKER_FIELD,
      component: AwsKubernetesVersionPickerField,
      validation: validateKubernetesVersion,
    }),
  );

/**
 * Scaffolder field `ui:field: AwsDatabaseVersionPicker`: an engine version RDS offers for the form's engine in its
 * account and Region, RDS's default of the newest major version by default.
 */
export const AwsDatabaseVersionPickerFieldExtension =
  awsEnvironmentsPlugin.provide(
    createScaffolderFieldExtension({
      name: AWS_DATABASE_VERSION_PICKER_FIELD,
      component: AwsDatabaseVersionPickerField,
      validation: validateDatabaseVersion,
    }),
  );
