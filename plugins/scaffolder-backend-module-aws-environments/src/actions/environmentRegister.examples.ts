import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Register a freshly deployed environment in the catalog',
    example: yaml.stringify({
      steps: [
        {
          id: 'register',
          action: 'innovate:environment:register',
          name: 'Register the environment',
          input: {
            name: 'innovate-qa',
            accountId: '222222222222',
            region: 'eu-central-1',
          },
        },
      ],
    }),
  },
];
