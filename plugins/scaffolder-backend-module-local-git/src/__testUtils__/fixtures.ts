import type { Entity } from '@backstage/catalog-model';

/** An environment entity as the aws-environments catalog module emits it (only what the templates read). */
export function environmentEntity(
  name: string,
  stage: 'dev' | 'staging' | 'prod',
  accountId = stage === 'prod' ? '333333333333' : '222222222222',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'aws.innovate.io/account-id': accountId,
        'aws.innovate.io/region': 'eu-central-1',
        'aws.innovate.io/environment': name,
        'aws.innovate.io/stage': stage,
      },
    },
    spec: { type: 'aws-environment', owner: 'group:default/web-team' },
  };
}

/** The seeded organisation's environments plus a Resource that is not an environment. */
export function seededCatalog(): Entity[] {
  return [
    environmentEntity('innovate-dev', 'dev'),
    environmentEntity('innovate-staging', 'staging'),
    environmentEntity('innovate-prod', 'prod'),
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name: 'innovate-dev-vpc', namespace: 'default' },
      spec: { type: 'vpc', owner: 'group:default/web-team' },
    },
  ];
}
