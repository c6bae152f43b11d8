import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  awsEnvironments?: {
    discovery?: {
      /**
       * How often the catalog rediscovers environments from CloudFormation. Default: every 60 s, 5 min timeout.
       * Discovery also runs at once on the events topic `aws-environments.changed`.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
  };
}
