import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Preview raising the frontend node counts of the staging environment; fields left out keep their current values (the VPC range is needed only if the environment does not exist yet)',
    example: yaml.stringify({
      steps: [
        {
          id: 'plan',
          action: 'innovate:environment:plan',
          name: 'Preview the changes',
          input: {
            environment: {
              name: 'innovate-staging',
              stage: 'staging',
              accountId: '222222222222',
              region: 'eu-central-1',
              owner: 'group:default/web-team',
              system: 'system:default/innovate-web',
              vpcCidr: '10.20.0.0/16',
              frontendNodes: { min: 2, max: 6, desired: 3 },
            },
          },
        },
      ],
    }),
  },
];
