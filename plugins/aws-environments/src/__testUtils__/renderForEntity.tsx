import { EntityProvider } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { ReactElement } from 'react';
import { awsEnvironmentsApiRef } from '../api/AwsEnvironmentsApi';
import type { AwsEnvironmentsApi } from '../api/types';
import { makeEnvironmentEntity } from '../__fixtures__';

/** Renders an entity card or tab the way the catalog's entity page does, with a given insights API. */
export function renderForEntity(
  element: ReactElement,
  api: AwsEnvironmentsApi,
  entity: Entity = makeEnvironmentEntity(),
) {
  return renderInTestApp(
    <TestApiProvider apis={[[awsEnvironmentsApiRef, api]]}>
      <EntityProvider entity={entity}>{element}</EntityProvider>
    </TestApiProvider>,
  );
}
