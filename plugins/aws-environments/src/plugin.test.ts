import {
  awsEnvironmentsPlugin,
  AwsAccountPickerFieldExtension,
  AwsDatabaseVersionPickerFieldExtension,
  AwsKubernetesVersionPickerFieldExtension,
  EnvironmentCostEstimateFieldExtension,
} from './plugin';

describe('aws-environments for the legacy frontend system', () => {
  it('is the aws-environments plugin and provides its API', () => {
    expect(awsEnvironmentsPlugin.getId()).toBe('aws-environments');
    expect([...awsEnvironmentsPlugin.getApis()].map(api => api.api.id)).toEqual(
      ['plugin.aws-environments.service'],
    );
  });

  it('provides the scaffolder fields, the version pickers among them', () => {
    expect(AwsAccountPickerFieldExtension).toBeDefined();
    expect(EnvironmentCostEstimateFieldExtension).toBeDefined();
    expect(AwsKubernetesVersionPickerFieldExtension).toBeDefined();
    expect(AwsDatabaseVersionPickerFieldExtension).toBeDefined();
  });
});
