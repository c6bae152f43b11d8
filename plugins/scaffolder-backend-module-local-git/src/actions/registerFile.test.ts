import {
  createMockDirectory,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import fs from 'node:fs';
import path from 'node:path';
import { createRegisterFileAction } from './registerFile';
import { examples } from './registerFile.examples';

const ordersApi = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders-api', namespace: 'default' },
  spec: {},
};

describe('innovate:catalog:register-file', () => {
  const root = createMockDirectory();
  const repositoriesDir = () => root.resolve('repositories');
  const webTeamMember = {
    ref: 'user:default/aisha.khan',
    entity: {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: 'aisha.khan', namespace: 'default' },
      spec: {},
      relations: [{ type: 'memberOf', targetRef: 'group:default/web-team' }],
    },
  };
  const setup = (input: any, user: any = webTeamMember) => {
    root.setContent({
      repositories: {
        'orders-api': {
          'catalog-info.yaml':
            'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: orders-api\nspec:\n  owner: web-team\n',
          'two-kinds.yaml':
            'kind: Component\nmetadata:\n  name: orders-api\nspec:\n  owner: web-team\n---\nkind: Location\nmetadata:\n  name: more\nspec:\n  target: /etc/passwd\n',
          'platform-owned.yaml':
            'kind: Component\nmetadata:\n  name: orders-api\nspec:\n  owner: group:default/platform-team\n',
        },
      },
      elsewhere: {
        'catalog-info.yaml': 'kind: Component\nmetadata:\n  name: x\n',
      },
    });
    const catalog = catalogServiceMock.mock();
    catalog.getEntityByRef.mockResolvedValue(ordersApi);
    const action = createRegisterFileAction({
      settings: { enabled: true, repositoriesDir: repositoriesDir() },
      catalog,
      auth: mockServices.auth(),
      platformTeam: 'group:default/platform-team',
      waitForEntityMs: 200,
      pollIntervalMs: 10,
    });
    const ctx = createMockActionContext<any>({ input, user });
    jest.spyOn(ctx.logger, 'info');
    jest.spyOn(ctx.logger, 'warn');
    return { catalog, action, ctx };
  };
  const repoUrl = () => `file://${repositoriesDir()}/orders-api/`;

  it('registers the file as a location with the backend’s own credentials, after its checks', async () => {
    const { catalog, action, ctx } = setup({ repoContentsUrl: repoUrl() });
    await action.handler(ctx);

    const target = path.join(
      repositoriesDir(),
      'orders-api',
      'catalog-info.yaml',
    );
    expect(catalog.addLocation).toHaveBeenCalledWith(
      { type: 'file', target },
      { credentials: mockCredentials.service('plugin:test') },
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/orders-api',
    );
    expect(ctx.output).toHaveBeenCalledWith('catalogInfoUrl', target);
  });

  it('ends only once the catalog shows the entity, so "Open in catalog" finds it', async () => {
    const { catalog, action, ctx } = setup({ repoContentsUrl: repoUrl() });
    catalog.getEntityByRef
      .mockResolvedValueOnce(undefined)
      .mockResolvedValueOnce(undefined)
      .mockResolvedValue(ordersApi);
    await action.handler(ctx);
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(3);
    expect(catalog.getEntityByRef).toHaveBeenCalledWith(
      'component:default/orders-api',
      { credentials: mockCredentials.service('plugin:test') },
    );
    expect(ctx.logger.info).toHaveBeenCalledWith(
      expect.stringContaining('component:default/orders-api is in the catalog'),
    );
  });

  it('ends with a warning, not a failure, when the catalog is slower than the wait', async () => {
    const { catalog, action, ctx } = setup({ repoContentsUrl: repoUrl() });
    catalog.getEntityByRef.mockResolvedValue(undefined);
    await action.handler(ctx);
    expect(catalog.getEntityByRef.mock.calls.length).toBeGreaterThan(1);
    expect(ctx.logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('has not shown component:default/orders-api yet'),
    );
  });

  it('refuses a component owned by a group the person is not in', async () => {
    const { catalog, action, ctx } = setup({
      repoContentsUrl: repoUrl(),
      catalogInfoPath: '/platform-owned.yaml',
    });
    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        'orders-api would be owned by group:default/platform-team, which is not one of your groups; choose your own team as its owner',
    });
    expect(catalog.addLocation).not.toHaveBeenCalled();
  });

  it('lets a platform-team member register a component of any owner', async () => {
    const { catalog, action, ctx } = setup(
      { repoContentsUrl: repoUrl(), catalogInfoPath: '/platform-owned.yaml' },
      {
        ref: 'user:default/maria.lopez',
        entity: {
          ...webTeamMember.entity,
          metadata: { name: 'maria.lopez' },
          relations: [
            { type: 'memberOf', targetRef: 'group:default/platform-team' },
          ],
        },
      },
    );
    await action.handler(ctx);
    expect(catalog.addLocation).toHaveBeenCalledTimes(1);
  });

  it('refuses a file that holds anything but components (a Location would lead elsewhere)', async () => {
    const { catalog, action, ctx } = setup({
      repoContentsUrl: repoUrl(),
      catalogInfoPath: '/two-kinds.yaml',
    });
    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('may hold components only'),
    });
    expect(catalog.addLocation).not.toHaveBeenCalled();
  });

  it('refuses files outside the local repositories folder', async () => {
    const { catalog, action, ctx } = setup({
      repoContentsUrl: `file://${root.resolve('elsewhere')}/`,
    });
    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'InputError',
    });
    await expect(
      setup({
        repoContentsUrl: repoUrl(),
        catalogInfoPath: '../../elsewhere/catalog-info.yaml',
      }).action.handler(
        createMockActionContext<any>({
          input: {
            repoContentsUrl: repoUrl(),
            catalogInfoPath: '../../elsewhere/catalog-info.yaml',
          },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InputError' });
    expect(catalog.addLocation).not.toHaveBeenCalled();
  });

  it('refuses a catalog file that is a symlink to a file elsewhere', async () => {
    const { catalog, action } = setup({ repoContentsUrl: repoUrl() });
    const link = path.join(repositoriesDir(), 'orders-api', 'linked.yaml');
    fs.symlinkSync(root.resolve('elsewhere/catalog-info.yaml'), link);
    await expect(
      action.handler(
        createMockActionContext<any>({
          input: {
            repoContentsUrl: repoUrl(),
            catalogInfoPath: '/linked.yaml',
          },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('outside'),
    });
    expect(catalog.addLocation).not.toHaveBeenCalled();
  });

  it('says so when the repository has no catalog file', async () => {
    const { action, ctx } = setup({
      repoContentsUrl: repoUrl(),
      catalogInfoPath: '/missing.yaml',
    });
    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });

  it('treats a location the catalog already has as registered', async () => {
    const { catalog, action, ctx } = setup({ repoContentsUrl: repoUrl() });
    catalog.addLocation.mockRejectedValue(
      new ConflictError('Location already exists'),
    );
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/orders-api',
    );
  });

  it('does not touch the catalog, nor need the file, on a dry run', async () => {
    const { catalog, action } = setup({});
    const ctx = createMockActionContext<any>({
      input: {
        repoContentsUrl: `file://${repositoriesDir()}/not-yet-published/`,
      },
    });
    await action.handler({ ...ctx, isDryRun: true });
    expect(catalog.addLocation).not.toHaveBeenCalled();
    expect(ctx.output).toHaveBeenCalledWith(
      'catalogInfoUrl',
      path.join(repositoriesDir(), 'not-yet-published', 'catalog-info.yaml'),
    );
  });

  it.each(examples.map(example => [example.description, example]))(
    'runs the example: %s',
    async (_description, example) => {
      const step = yaml.parse(example.example).steps[0];
      expect(Object.keys(step.input).sort()).toEqual([
        'catalogInfoPath',
        'repoContentsUrl',
      ]);
      const { catalog, action, ctx } = setup({
        repoContentsUrl: repoUrl(),
        catalogInfoPath: '/catalog-info.yaml',
      });
      await action.handler(ctx);
      expect(catalog.addLocation).toHaveBeenCalledTimes(1);
    },
  );
});
