import { createPermission } from '@backstage/plugin-permission-common';

/** Resource type of the findings permission: the environment's catalog entity. */
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

/** Every permission of the AWS environments plugins, for registration with the permission framework. */
export const awsEnvironmentsPermissions = [
  awsEnvironmentsFindingsReadPermission,
];
