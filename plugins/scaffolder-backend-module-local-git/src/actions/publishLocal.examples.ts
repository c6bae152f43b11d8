import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Publish the workspace as a new local repository',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'innovate:publish:local',
          name: 'Publish to a local git repository',
          input: {
            repoName: 'orders-api',
            gitCommitMessage: 'Create orders-api from the flask-api template',
          },
        },
      ],
    }),
  },
  {
    description: 'Publish a sub-folder of the workspace on a develop branch',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'innovate:publish:local',
          name: 'Publish to a local git repository',
          input: {
            repoName: 'storefront',
            sourcePath: 'storefront',
            defaultBranch: 'develop',
          },
        },
      ],
    }),
  },
];
