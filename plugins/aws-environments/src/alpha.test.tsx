import { screen } from '@testing-library/react';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import awsEnvironmentsPlugin from './alpha';
import { awsEnvironmentsApiRef } from './api/AwsEnvironmentsApi';
import {
  FakeAwsEnvironmentsApi,
  environmentListOf,
} from './__fixtures__/FakeAwsEnvironmentsApi';
import { makeEnvironmentEntity } from './__fixtures__';

describe('aws-environments for the new frontend system', () => {
  it('is the aws-environments plugin', () => {
    expect(awsEnvironmentsPlugin.pluginId).toBe('aws-environments');
  });

  it('renders the Environments page from its lazy loader', async () => {
    const tester = createExtensionTester(
      awsEnvironmentsPlugin.getExtension('page:aws-environments'),
    );
    await renderInTestApp(tester.reactElement(), {
      apis: [
        [
          awsEnvironmentsApiRef,
          // The empty state keeps material-table, which needs a real layout engine, out of this jsdom render.
          new FakeAwsEnvironmentsApi({
            listEnvironments: async () => environmentListOf([]),
          }),
        ],
      ],
    });
    expect(
      await screen.findByText('No environments yet', undefined, {
        timeout: 20_000,
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('Simulated AWS organization.')).toBeInTheDocument();
    // A whole app renders slowly on a busy CI machine.
  }, 30_000);

  it('provides the version pickers, the choice and the environment picker as form fields', () => {
    for (const id of [
      'scaffolder-form-field:aws-environments/aws-kubernetes-version-picker',
      'scaffolder-form-field:aws-environments/aws-database-version-picker',
      'scaffolder-form-field:aws-environments/choice',
      'scaffolder-form-field:aws-environments/environment-picker',
    ]) {
      expect(awsEnvironmentsPlugin.getExtension(id as any)).toBeDefined();
    }
  });

  it('shows the cards only on environment entities', () => {
    const tester = createExtensionTester(
      awsEnvironmentsPlugin.getExtension('entity-card:aws-environments/health'),
    );
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction)!;
    expect(filter(makeEnvironmentEntity())).toBe(true);
    expect(
      filter({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'innovate-api' },
        spec: { type: 'service' },
      }),
    ).toBe(false);
  });
});
