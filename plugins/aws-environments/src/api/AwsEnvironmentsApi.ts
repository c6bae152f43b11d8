import { createApiRef } from '@backstage/core-plugin-api';
import type { AwsEnvironmentsApi } from './types';

export const awsEnvironmentsApiRef = createApiRef<AwsEnvironmentsApi>({
  id: 'plugin.aws-environments.service',
});
