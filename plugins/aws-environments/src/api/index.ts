export { awsEnvironmentsApiRef } from './AwsEnvironmentsApi';
export { AwsEnvironmentsClient } from './AwsEnvironmentsClient';
export type * from './types';
