import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Check the production environment for drift',
    example: yaml.stringify({
      steps: [
        {
          id: 'drift',
          action: 'innovate:environment:drift',
          name: 'Detect drift',
          input: {
            name: 'innovate-prod',
            accountId: '333333333333',
            region: 'eu-central-1',
          },
        },
      ],
    }),
  },
];
