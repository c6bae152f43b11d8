import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import fs from 'node:fs';
import path from 'node:path';
import { runGit } from '../lib/git';
import { createPublishLocalAction } from './publishLocal';
import { examples } from './publishLocal.examples';

describe('innovate:publish:local', () => {
  const root = createMockDirectory();
  const repositoriesDir = () => root.resolve('repositories');
  const action = () =>
    createPublishLocalAction({
      settings: { enabled: true, repositoriesDir: repositoriesDir() },
      defaultAuthor: { name: 'Portal', email: 'portal@innovate.example' },
    });
  const context = (input: any) => {
    root.setContent({
      workspace: {
        'catalog-info.yaml': 'kind: Component\n',
        app: { 'main.py': 'print(1)\n' },
        storefront: { 'index.html': '<html></html>\n' },
      },
    });
    return createMockActionContext<any>({
      input,
      workspacePath: root.resolve('workspace'),
    });
  };

  it('commits the workspace into a new repository and says where it is', async () => {
    const ctx = context({
      repoName: 'orders-api',
      gitCommitMessage: 'Create orders-api',
    });
    await action().handler(ctx);

    const repo = path.join(repositoriesDir(), 'orders-api');
    expect(await runGit(['log', '--format=%s|%an'], repo)).toBe(
      'Create orders-api|Portal',
    );
    expect(await runGit(['branch', '--show-current'], repo)).toBe('main');
    expect((await runGit(['ls-files'], repo)).split('\n').sort()).toEqual([
      'app/main.py',
      'catalog-info.yaml',
      'storefront/index.html',
    ]);
    expect(ctx.output).toHaveBeenCalledWith('remoteUrl', `file://${repo}`);
    expect(ctx.output).toHaveBeenCalledWith(
      'repoContentsUrl',
      `file://${repo}/`,
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'catalogInfoPath',
      '/catalog-info.yaml',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'commitHash',
      expect.stringMatching(/^[0-9a-f]{40}$/),
    );
  });

  it('refuses a repository that already exists and leaves it untouched', async () => {
    const ctx = context({ repoName: 'orders-api' });
    fs.mkdirSync(path.join(repositoriesDir(), 'orders-api'), {
      recursive: true,
    });
    fs.writeFileSync(
      path.join(repositoriesDir(), 'orders-api', 'keep.txt'),
      'mine',
    );

    await expect(action().handler(ctx)).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('already exists'),
    });
    expect(fs.readdirSync(path.join(repositoriesDir(), 'orders-api'))).toEqual([
      'keep.txt',
    ]);
  });

  it('refuses a name that is not DNS-safe before writing anything', async () => {
    const ctx = context({ repoName: '../Orders_API' });
    await expect(action().handler(ctx)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('not DNS-safe'),
    });
    expect(fs.existsSync(repositoriesDir())).toBe(false);
  });

  it('publishes only the chosen sub-folder, on the chosen branch', async () => {
    const ctx = context({
      repoName: 'storefront',
      sourcePath: 'storefront',
      defaultBranch: 'develop',
    });
    await action().handler(ctx);
    const repo = path.join(repositoriesDir(), 'storefront');
    expect(await runGit(['ls-files'], repo)).toBe('index.html');
    expect(await runGit(['branch', '--show-current'], repo)).toBe('develop');
  });

  it('creates nothing on a dry run', async () => {
    const ctx = { ...context({ repoName: 'orders-api' }), isDryRun: true };
    await action().handler(ctx);
    expect(fs.existsSync(repositoriesDir())).toBe(false);
    expect(ctx.output).toHaveBeenCalledWith(
      'remoteUrl',
      `file://${path.join(repositoriesDir(), 'orders-api')}`,
    );
  });

  it.each(examples.map(example => [example.description, example]))(
    'runs the example: %s',
    async (_description, example) => {
      const step = yaml.parse(example.example).steps[0];
      const ctx = context(step.input);
      await action().handler(ctx);
      expect(
        fs.existsSync(
          path.join(repositoriesDir(), step.input.repoName, '.git'),
        ),
      ).toBe(true);
    },
  );
});
