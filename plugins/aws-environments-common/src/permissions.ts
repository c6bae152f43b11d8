import { createPermission } from '@backstage/plugin-permission-common';

/** Resource type of the environment permissions: the environment's catalog entity. */
export const AWS_ENVIRONMENT_RESOURCE_TYPE = 'catalog-entity';

/**
 * Reading an environment's security findings. A resource permission on the environment's catalog entity, so a
 * policy can decide per environment (by default: its owner group and the platform team).
 */
export const awsEnvironmentsFindingsReadPermission = createPermission({
  name: 'aws-environments.findings.read',
  attributes: { action: 'read' },
  resourceType: AWS_ENVIRONMENT_RESOURCE_TYPE,
});

/**
 * Changing or removing an existing environment: update, preview (plan), drift check, teardown and registering it
 * again. Decided on the environment as it is now (its catalog entity, or its stacks' tags when the catalog does not
 * know it yet), never on what a request asks for. By default: its owner group and the platform team.
 */
export const awsEnvironmentsEnvironmentManagePermission = createPermission({
  name: 'aws-environments.environment.manage',
  attributes: { action: 'update' },
  resourceType: AWS_ENVIRONMENT_RESOURCE_TYPE,
});

/**
 * Giving an existing environment another owner or system. By default the platform team only: an application team
 * cannot hand its environment over, nor take another team's.
 */
export const awsEnvironmentsEnvironmentTransferPermission = createPermission({
  name: 'aws-environments.environment.transfer',
  attributes: { action: 'update' },
  resourceType: AWS_ENVIRONMENT_RESOURCE_TYPE,
});

/**
 * Asking for an environment's insights to be collected now (the Refresh buttons). By default its owners and the
 * platform team; everyone else sees the data of the last scheduled collection.
 */
export const awsEnvironmentsEnvironmentRefreshPermission = createPermission({
  name: 'aws-environments.environment.refresh',
  attributes: { action: 'update' },
  resourceType: AWS_ENVIRONMENT_RESOURCE_TYPE,
});

/**
 * Creating or updating a component's image repository (`ecr-<component>` in the shared-services account). A resource
 * permission on the component's catalog entity: its owners and the platform team.
 */
export const awsEnvironmentsImageRepositoryManagePermission = createPermission(
  {
    name: 'aws-environments.image-repository.manage',
    attributes: { action: 'update' },
    resourceType: AWS_ENVIRONMENT_RESOURCE_TYPE,
  },
);

/** Every permission of the AWS environments plugins, for registration with the permission framework. */
export const awsEnvironmentsPermissions = [
  awsEnvironmentsFindingsReadPermission,
  awsEnvironmentsEnvironmentManagePermission,
  awsEnvironmentsEnvironmentTransferPermission,
  awsEnvironmentsEnvironmentRefreshPermission,
  awsEnvironmentsImageRepositoryManagePermission,
];
