import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Deploy a dev environment with the defaults of its stage',
    example: yaml.stringify({
      steps: [
        {
          id: 'deploy',
          action: 'innovate:environment:deploy',
          name: 'Deploy the environment',
          input: {
            environment: {
              name: 'innovate-qa',
              stage: 'dev',
              accountId: '222222222222',
              region: 'eu-central-1',
              owner: 'group:default/web-team',
              system: 'system:default/innovate-web',
              vpcCidr: '10.42.0.0/16',
            },
          },
        },
      ],
    }),
  },
  {
    description: 'Deploy a prod environment with explicit sizes',
    example: yaml.stringify({
      steps: [
        {
          id: 'deploy',
          action: 'innovate:environment:deploy',
          name: 'Deploy the environment',
          input: {
            environment: {
              name: 'innovate-eu',
              stage: 'prod',
              accountId: '333333333333',
              region: 'eu-central-1',
              owner: 'group:default/web-team',
              system: 'system:default/innovate-web',
              costCenter: 'cc-4711',
              vpcCidr: '10.60.0.0/16',
              nodeStrategy: 'mixed',
              databaseInstanceClass: 'db.r6g.xlarge',
              enableWaf: true,
              budgetMonthlyUsd: 8000,
              alertEmail: 'web-team@innovate.example',
            },
          },
        },
      ],
    }),
  },
];
