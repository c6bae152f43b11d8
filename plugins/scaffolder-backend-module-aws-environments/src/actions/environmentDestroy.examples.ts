import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Tear down a dev environment',
    example: yaml.stringify({
      steps: [
        {
          id: 'destroy',
          action: 'innovate:environment:destroy',
          name: 'Delete the stacks',
          input: {
            name: 'innovate-qa',
            accountId: '222222222222',
            region: 'eu-central-1',
          },
        },
      ],
    }),
  },
  {
    description: 'Tear down a production environment, explicitly confirmed',
    example: yaml.stringify({
      steps: [
        {
          id: 'destroy',
          action: 'innovate:environment:destroy',
          name: 'Delete the production stacks',
          input: {
            name: 'innovate-prod',
            accountId: '333333333333',
            region: 'eu-central-1',
            confirmProduction: true,
          },
        },
      ],
    }),
  },
];
