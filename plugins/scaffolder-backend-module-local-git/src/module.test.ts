import {
  createMockDirectory,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  type TemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import { defaultRepositoriesDir } from './lib/settings';
import { scaffolderModuleLocalGit } from './module';

describe('scaffolderModuleLocalGit', () => {
  const root = createMockDirectory();

  it('registers its actions, publishing where localGit.repositoriesDir says', async () => {
    const actions: TemplateAction<any, any, any>[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          {
            addActions: (...added: TemplateAction<any, any, any>[]) =>
              actions.push(...added),
          },
        ],
      ],
      features: [
        scaffolderModuleLocalGit,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({
          data: { localGit: { repositoriesDir: root.resolve('repos') } },
        }),
      ],
    });

    expect(actions.map(action => action.id).sort()).toEqual([
      'innovate:catalog:register-file',
      'innovate:component:validate',
      'innovate:publish:local',
    ]);
    expect(
      actions.every(
        action => action.supportsDryRun && (action.examples?.length ?? 0) > 0,
      ),
    ).toBe(true);

    root.setContent({ workspace: { 'README.md': 'hello' } });
    const publish = actions.find(
      action => action.id === 'innovate:publish:local',
    )!;
    await publish.handler(
      createMockActionContext({
        input: { repoName: 'hello' },
        workspacePath: root.resolve('workspace'),
      }),
    );
    expect(
      fs.readFileSync(
        path.join(root.resolve('repos'), 'hello', 'README.md'),
        'utf8',
      ),
    ).toBe('hello');
  });

  it('offers only the component check where config has no localGit block, as in production', async () => {
    const actions: TemplateAction<any, any, any>[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          {
            addActions: (...added: TemplateAction<any, any, any>[]) =>
              actions.push(...added),
          },
        ],
      ],
      features: [
        scaffolderModuleLocalGit,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    expect(actions.map(action => action.id)).toEqual([
      'innovate:component:validate',
    ]);
  });

  it('defaults to the repository root’s .data folder from the root or from packages/backend', () => {
    root.setContent({ '.data': {}, packages: { backend: {} } });
    const expected = path.join(root.path, '.data', 'repositories');
    expect(defaultRepositoriesDir(root.path)).toBe(expected);
    expect(
      defaultRepositoriesDir(path.join(root.path, 'packages', 'backend')),
    ).toBe(expected);
  });
});
