import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Check the name, the environments and that no local repository of that name exists',
    example: yaml.stringify({
      steps: [
        {
          id: 'validate',
          action: 'innovate:component:validate',
          name: 'Check the input',
          input: {
            name: 'orders-api',
            environments: ['resource:default/innovate-dev', 'innovate-prod'],
            localRepository: 'orders-api',
          },
        },
      ],
    }),
  },
];
