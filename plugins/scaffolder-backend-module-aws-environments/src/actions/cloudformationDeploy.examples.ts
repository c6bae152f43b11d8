import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Deploy a log bucket stack into the dev account',
    example: yaml.stringify({
      steps: [
        {
          id: 'deploy-stack',
          action: 'innovate:cloudformation:deploy',
          name: 'Deploy the log bucket',
          input: {
            accountId: '222222222222',
            region: 'eu-central-1',
            stackName: 'innovate-dev-logs',
            templateBody:
              "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  LogBucket:\n    Type: AWS::S3::Bucket\nOutputs:\n  BucketName:\n    Value: !Ref LogBucket\n",
            tags: { 'innovate:environment': 'innovate-dev' },
          },
        },
      ],
    }),
  },
  {
    description:
      'Deploy a production stack from a file in the workspace, with parameters',
    example: yaml.stringify({
      steps: [
        {
          id: 'deploy-stack',
          action: 'innovate:cloudformation:deploy',
          name: 'Deploy the database',
          input: {
            accountId: '333333333333',
            region: 'eu-central-1',
            stackName: 'innovate-prod-data',
            templatePath: 'cloudformation/data.yaml',
            parameters: { MultiAz: true, AllocatedStorage: 100 },
            capabilities: ['CAPABILITY_IAM'],
            stage: 'prod',
          },
        },
      ],
    }),
  },
  {
    description:
      "Create a component's image repository in the shared-services account from the platform template",
    example: yaml.stringify({
      steps: [
        {
          id: 'image-repository',
          action: 'innovate:cloudformation:deploy',
          name: 'Create the image repository',
          input: {
            accountId: '111111111111',
            region: 'eu-central-1',
            platformTemplate: 'component-image-repository',
            stackName: 'ecr-orders-api',
            parameters: {
              ComponentName: 'orders-api',
              Owner: 'group:default/web-team',
              System: 'system:default/innovate-web',
            },
          },
        },
      ],
    }),
  },
];
