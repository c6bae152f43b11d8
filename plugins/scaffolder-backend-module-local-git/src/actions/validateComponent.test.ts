import { createMockDirectory } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import { seededCatalog } from '../__testUtils__/fixtures';
import { createValidateComponentAction } from './validateComponent';
import { examples } from './validateComponent.examples';

describe('innovate:component:validate', () => {
  const root = createMockDirectory();
  const action = () =>
    createValidateComponentAction({
      settings: {
        enabled: true,
        repositoriesDir: root.resolve('repositories'),
      },
      catalog: catalogServiceMock({ entities: seededCatalog() }),
      sharedServices: { accountId: '111111111111', region: 'eu-central-1' },
    });
  const run = async (input: any) => {
    const ctx = createMockActionContext<any>({ input });
    await action().handler(ctx);
    return ctx;
  };

  beforeEach(() => root.clear());

  it('refuses local publishing where the portal has no local git, before anything is created', async () => {
    const productionAction = createValidateComponentAction({
      settings: {
        enabled: false,
        repositoriesDir: root.resolve('repositories'),
      },
      catalog: catalogServiceMock({ entities: seededCatalog() }),
      sharedServices: { accountId: '111111111111', region: 'eu-central-1' },
    });
    const ctx = createMockActionContext<any>({
      input: {
        name: 'orders-api',
        environments: ['innovate-dev'],
        localRepository: 'orders-api',
      },
    });
    await expect(productionAction.handler(ctx)).rejects.toThrow(
      "does not publish to its own local git repositories (there is no localGit configuration): choose GitHub under 'Publish to'",
    );
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it('gives the templates the shared-services account the portal is configured with', async () => {
    const ctx = await run({
      name: 'orders-api',
      environments: ['innovate-dev'],
    });
    expect(ctx.output).toHaveBeenCalledWith(
      'sharedServicesAccountId',
      '111111111111',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'sharedServicesRegion',
      'eu-central-1',
    );
  });

  it('refuses a component when no shared-services account is configured, before anything is created', async () => {
    const unconfigured = createValidateComponentAction({
      settings: {
        enabled: true,
        repositoriesDir: root.resolve('repositories'),
      },
      catalog: catalogServiceMock({ entities: seededCatalog() }),
    });
    const ctx = createMockActionContext<any>({
      input: { name: 'orders-api', environments: ['innovate-dev'] },
    });
    await expect(unconfigured.handler(ctx)).rejects.toThrow(
      /No shared-services account is configured \(an entry of awsEnvironments.accounts with stage: shared/,
    );
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it('resolves the environments from the catalog and groups them by stage', async () => {
    const ctx = await run({
      name: 'orders-api',
      environments: ['resource:default/innovate-dev', 'innovate-prod'],
    });
    expect(ctx.output).toHaveBeenCalledWith('environmentRefs', [
      'resource:default/innovate-dev',
      'resource:default/innovate-prod',
    ]);
    expect(ctx.output).toHaveBeenCalledWith('environmentsByStage', {
      dev: [
        expect.objectContaining({
          name: 'innovate-dev',
          accountId: '222222222222',
          region: 'eu-central-1',
        }),
      ],
      staging: [],
      prod: [
        expect.objectContaining({
          name: 'innovate-prod',
          accountId: '333333333333',
        }),
      ],
    });
  });

  it('rejects an environment that is not in the catalog, naming it', async () => {
    await expect(
      run({
        name: 'orders-api',
        environments: ['innovate-dev', 'innovate-qa'],
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('resource:default/innovate-qa'),
    });
  });

  it('rejects a Resource that is not an environment', async () => {
    await expect(
      run({ name: 'orders-api', environments: ['innovate-dev-vpc'] }),
    ).rejects.toMatchObject({ name: 'InputError' });
  });

  it('rejects an empty environment list', async () => {
    await expect(
      run({ name: 'orders-api', environments: [] }),
    ).rejects.toMatchObject({
      name: 'InputError',
    });
  });

  it.each([
    'Orders',
    'orders_api',
    '-orders',
    'orders-',
    '1orders',
    'a'.repeat(64),
  ])('rejects the name %s as not DNS-safe', async name => {
    await expect(
      run({ name, environments: ['innovate-dev'] }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('not DNS-safe'),
    });
  });

  it('rejects a local repository that already exists', async () => {
    root.setContent({
      repositories: { 'orders-api': { 'README.md': 'taken' } },
    });
    await expect(
      run({
        name: 'orders-api',
        environments: ['innovate-dev'],
        localRepository: 'orders-api',
      }),
    ).rejects.toMatchObject({ name: 'ConflictError' });
  });

  it.each(examples.map(example => [example.description, example]))(
    'runs the example: %s',
    async (_description, example) => {
      const ctx = await run(yaml.parse(example.example).steps[0].input);
      expect(ctx.output).toHaveBeenCalledWith(
        'environmentRefs',
        expect.any(Array),
      );
    },
  );
});
