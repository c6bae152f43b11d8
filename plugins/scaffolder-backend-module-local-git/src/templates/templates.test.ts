import { createMockDirectory } from '@backstage/backend-test-utils';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import yaml from 'yaml';
import { runGit } from '../lib/git';
import { checkChart } from '../__testUtils__/helmChart';
import {
  listFiles,
  REPO_ROOT,
  runTemplate,
  type StackDeployment,
  type TemplateRun,
} from '../__testUtils__/runTemplate';

const execFileAsync = promisify(execFile);

// Generating the projects and running their own test suites takes a while on a shared 2-core machine.
jest.setTimeout(180_000);

const parameters = {
  description: 'Orders of the Innovate web shop',
  owner: 'group:default/web-team',
  system: 'system:default/innovate-web',
  environments: [
    'resource:default/innovate-dev',
    'resource:default/innovate-prod',
  ],
  publishTo: 'local' as const,
};

function read(run: TemplateRun, file: string): string {
  return fs.readFileSync(path.join(run.repositoryPath, file), 'utf8');
}

function expectEveryFileRendered(run: TemplateRun) {
  for (const file of listFiles(run.repositoryPath)) {
    const text = read(run, file);
    expect({
      file,
      leftover: text.match(/\$\{\{\s*(values|parameters)\.|\{%|%\}/)?.[0],
    }).toEqual({
      file,
      leftover: undefined,
    });
  }
}

function expectYamlParses(run: TemplateRun) {
  const yamlFiles = listFiles(run.repositoryPath).filter(
    file =>
      /\.ya?ml$/.test(file) &&
      !file.startsWith(path.join('chart', 'templates')),
  );
  expect(yamlFiles.length).toBeGreaterThan(4);
  for (const file of yamlFiles) {
    const errors = yaml
      .parseAllDocuments(read(run, file))
      .flatMap(doc => doc.errors.map(e => e.message));
    expect({ file, errors }).toEqual({ file, errors: [] });
  }
}

function expectCatalogInfo(run: TemplateRun, name: string, type: string) {
  const entity = yaml.parse(read(run, 'catalog-info.yaml'));
  expect(entity).toMatchObject({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, description: parameters.description },
    spec: {
      type,
      owner: 'group:default/web-team',
      system: 'system:default/innovate-web',
      dependsOn: [
        'resource:default/innovate-dev',
        'resource:default/innovate-prod',
      ],
    },
  });
}

function expectPipeline(run: TemplateRun, name: string) {
  const pipeline = yaml.parse(read(run, '.github/workflows/pipeline.yaml'));
  expect(pipeline.on.push).toEqual({
    branches: ['develop', 'main'],
    tags: ['v*'],
  });
  expect(pipeline.env.ECR_REGISTRY).toBe(
    '111111111111.dkr.ecr.eu-central-1.amazonaws.com',
  );
  expect(pipeline.env.ECR_REPOSITORY).toBe(`innovate/${name}`);
  const image = pipeline.jobs.image;
  expect(image.permissions['id-token']).toBe('write');
  expect(image.steps.map((step: { uses?: string }) => step.uses)).toEqual(
    expect.arrayContaining([
      'aws-actions/configure-aws-credentials@v4',
      'aws-actions/amazon-ecr-login@v2',
    ]),
  );
  // Only the stages the user picked environments for get a deploy job.
  expect(Object.keys(pipeline.jobs).sort()).toEqual([
    'deploy-dev',
    'deploy-prod',
    'image',
    'test',
  ]);
  expect(pipeline.jobs['deploy-dev']).toMatchObject({
    if: "github.ref == 'refs/heads/develop'",
    uses: './.github/workflows/deploy.yaml',
    strategy: {
      matrix: {
        include: [
          expect.objectContaining({
            name: 'innovate-dev',
            region: 'eu-central-1',
          }),
        ],
      },
    },
    with: {
      stage: 'dev',
      environment: '${{ matrix.name }}',
      'role-arn': '${{ vars.DEPLOY_ROLE_ARN_DEV }}',
    },
  });
  expect(pipeline.jobs['deploy-prod']).toMatchObject({
    if: "github.ref_type == 'tag'",
    strategy: {
      matrix: { include: [expect.objectContaining({ name: 'innovate-prod' })] },
    },
  });
  const deploy = yaml.parse(read(run, '.github/workflows/deploy.yaml'));
  expect(Object.keys(deploy.on.workflow_call.inputs).sort()).toEqual([
    'environment',
    'image-tag',
    'region',
    'role-arn',
    'stage',
  ]);
  const helmStep = deploy.jobs.deploy.steps.find(
    (step: { name?: string }) => step.name === 'helm upgrade --install',
  );
  expect(helmStep.run).toContain('helm upgrade --install "$SERVICE" chart');
  expect(
    deploy.jobs.deploy.steps
      .map((step: { run?: string }) => step.run ?? '')
      .join('\n'),
  ).toContain('aws eks update-kubeconfig --name "${{ inputs.environment }}"');
}

async function expectCommitted(run: TemplateRun) {
  expect(await runGit(['status', '--porcelain'], run.repositoryPath)).toBe('');
  expect(await runGit(['log', '--format=%s'], run.repositoryPath)).toMatch(
    /^Create /,
  );
}

function expectRegistered(run: TemplateRun, name: string) {
  expect(run.catalog.addLocation).toHaveBeenCalledWith(
    {
      type: 'file',
      target: path.join(run.repositoryPath, 'catalog-info.yaml'),
    },
    expect.anything(),
  );
  expect(run.outputs['register-local'].entityRef).toBe(
    `component:default/${name}`,
  );
}

/**
 * The pipeline pushes to innovate/<name> in the shared-services account: the template must have created exactly that
 * repository, through the platform template the permission policy opens to application teams, before publishing.
 */
function expectImageRepository(run: TemplateRun, name: string) {
  const actions = run.steps.map(step => step.action);
  const deployIndex = actions.indexOf('innovate:cloudformation:deploy');
  expect(deployIndex).toBeGreaterThan(
    actions.indexOf('innovate:component:validate'),
  );
  expect(deployIndex).toBeLessThan(actions.indexOf('innovate:publish:local'));
  expect(run.deployments).toEqual([
    {
      stepId: 'image-repository',
      input: expect.objectContaining({
        accountId: '111111111111',
        region: 'eu-central-1',
        platformTemplate: 'component-image-repository',
        stackName: `ecr-${name}`,
        parameters: {
          ComponentName: name,
          Owner: 'group:default/web-team',
          System: 'system:default/innovate-web',
        },
      }),
    },
  ]);
  const pipeline = yaml.parse(read(run, '.github/workflows/pipeline.yaml'));
  expect(`${pipeline.env.ECR_REGISTRY}/${pipeline.env.ECR_REPOSITORY}`).toBe(
    run.outputs['image-repository'].outputs.RepositoryUri,
  );
  expect(
    yaml.parse(read(run, 'catalog-info.yaml')).metadata.annotations[
      'aws.innovate.io/ecr-repository'
    ],
  ).toBe(`innovate/${name}`);
}

describe('flask-api template', () => {
  const root = createMockDirectory();
  let run: TemplateRun;

  beforeAll(async () => {
    run = await runTemplate(
      'flask-api',
      { ...parameters, name: 'orders-api' },
      {
        repositoriesDir: root.resolve('repositories'),
      },
    );
  });

  it('runs validate, the image repository, fetch, publish and register on the embedded default', () => {
    expect(run.steps.map(step => step.action)).toEqual([
      'innovate:component:validate',
      'innovate:cloudformation:deploy',
      'fetch:template',
      'innovate:publish:local',
      'innovate:catalog:register-file',
    ]);
  });

  it('creates its image repository in the shared-services account before publishing', () => {
    expectImageRepository(run, 'orders-api');
  });

  it('commits a fully rendered project whose YAML parses', async () => {
    await expectCommitted(run);
    expectEveryFileRendered(run);
    expectYamlParses(run);
  });

  it('describes the component, its owner, system and environments for the catalog', () => {
    expectCatalogInfo(run, 'orders-api', 'service');
    expectRegistered(run, 'orders-api');
  });

  it('builds, pushes to ECR through OIDC and deploys develop to dev and tags to prod', () => {
    expectPipeline(run, 'orders-api');
    const deploy = read(run, '.github/workflows/deploy.yaml');
    for (const output of [
      'ApiTargetGroupArn',
      'PodSecurityGroupId',
      'DatabaseEndpoint',
      'DatabaseSecretArn',
    ]) {
      expect(deploy).toContain(output);
    }
  });

  it('ships a non-root image', () => {
    const dockerfile = read(run, 'Dockerfile');
    expect(dockerfile).toMatch(/^USER 10001$/m);
    expect(dockerfile).toContain('EXPOSE 8000');
  });

  it('has a Helm chart whose templates are wired to its values', () => {
    const report = checkChart(path.join(run.repositoryPath, 'chart'));
    expect(report.problems).toEqual([]);
    expect(report.kinds).toEqual([
      'Deployment',
      'HorizontalPodAutoscaler',
      'Ingress',
      'Job',
      'PodDisruptionBudget',
      'SecurityGroupPolicy',
      'Service',
      'ServiceAccount',
      'TargetGroupBinding',
    ]);
    expect(report.values).toMatchObject({
      nodeSelector: { 'innovate.io/tier': 'backend' },
      serviceAccount: { name: 'api' },
      containerPort: 8000,
      image: {
        repository:
          '111111111111.dkr.ecr.eu-central-1.amazonaws.com/innovate/orders-api',
      },
    });
    const deployment = report.objects.find(
      object => object.kind === 'Deployment',
    )!;
    const container = deployment.spec.template.spec.containers[0];
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    // The container's securityContext comes from a helper, which the stubbed parse cannot expand.
    expect(read(run, 'chart/templates/deployment.yaml')).toContain(
      'include "app.securityContext"',
    );
    expect(read(run, 'chart/templates/_helpers.tpl')).toMatch(
      /runAsNonRoot: true\n\s*runAsUser: 10001/,
    );
    expect(yaml.parse(read(run, 'chart/Chart.yaml')).name).toBe('orders-api');
  });

  it("passes its own tests (pytest with Debian's python3-flask, -psycopg2, -boto3, -pytest)", async () => {
    const result = await execFileAsync(
      '/usr/bin/python3',
      ['-m', 'pytest', '-p', 'no:cacheprovider'],
      {
        cwd: run.repositoryPath,
        env: {
          PATH: process.env.PATH,
          HOME: root.path,
          PYTHONDONTWRITEBYTECODE: '1',
        },
      },
    ).catch(error => ({
      stdout: `${error.stdout}\n${error.stderr}`,
      failed: true,
    }));
    expect(result.stdout).toMatch(/\b\d+ passed\b/);
    expect(result).not.toHaveProperty('failed');
  });

  it('puts the image repository and the pipeline in the shared-services account the portal is configured with', async () => {
    const elsewhere = await runTemplate(
      'flask-api',
      { ...parameters, name: 'ledger-api' },
      {
        repositoriesDir: root.resolve('other-portal-repositories'),
        sharedServices: { accountId: '444444444444', region: 'eu-west-1' },
      },
    );
    expect(elsewhere.deployments[0].input).toMatchObject({
      accountId: '444444444444',
      region: 'eu-west-1',
    });
    const pipeline = yaml.parse(
      read(elsewhere, '.github/workflows/pipeline.yaml'),
    );
    expect(pipeline.env.ECR_REGISTRY).toBe(
      '444444444444.dkr.ecr.eu-west-1.amazonaws.com',
    );
  });

  it('refuses to run again onto the repository it created, before any stack is deployed', async () => {
    const deployments: StackDeployment[] = [];
    await expect(
      runTemplate(
        'flask-api',
        { ...parameters, name: 'orders-api' },
        { repositoriesDir: root.resolve('repositories'), deployments },
      ),
    ).rejects.toMatchObject({ name: 'ConflictError' });
    expect(deployments).toEqual([]);
  });

  it('creates nothing for an environment that does not exist', async () => {
    const deployments: StackDeployment[] = [];
    await expect(
      runTemplate(
        'flask-api',
        {
          ...parameters,
          name: 'payments-api',
          environments: ['resource:default/innovate-qa'],
        },
        { repositoriesDir: root.resolve('repositories'), deployments },
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('innovate-qa'),
    });
    expect(fs.existsSync(root.resolve('repositories/payments-api'))).toBe(
      false,
    );
    expect(deployments).toEqual([]);
  });

  it('creates nothing for a name that is not DNS-safe', async () => {
    const deployments: StackDeployment[] = [];
    await expect(
      runTemplate(
        'flask-api',
        { ...parameters, name: 'Payments_API' },
        { repositoriesDir: root.resolve('repositories'), deployments },
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('not DNS-safe'),
    });
    expect(fs.readdirSync(root.resolve('repositories'))).toEqual([
      'orders-api',
    ]);
    expect(deployments).toEqual([]);
  });
});

describe('react-spa template', () => {
  const root = createMockDirectory();
  let run: TemplateRun;

  beforeAll(async () => {
    run = await runTemplate(
      'react-spa',
      { ...parameters, name: 'storefront' },
      {
        repositoriesDir: root.resolve('repositories'),
      },
    );
  });

  it('creates its image repository in the shared-services account before publishing', () => {
    expectImageRepository(run, 'storefront');
  });

  it('commits a fully rendered project whose YAML and JSON parse', async () => {
    await expectCommitted(run);
    expectEveryFileRendered(run);
    expectYamlParses(run);
    expect(JSON.parse(read(run, 'package.json')).name).toBe('storefront');
    expect(JSON.parse(read(run, 'package-lock.json')).packages[''].name).toBe(
      'storefront',
    );
  });

  it('describes the website, its owner, system and environments for the catalog', () => {
    expectCatalogInfo(run, 'storefront', 'website');
    expectRegistered(run, 'storefront');
  });

  it('builds, pushes to ECR through OIDC and deploys develop to dev and tags to prod', () => {
    expectPipeline(run, 'storefront');
    expect(read(run, '.github/workflows/deploy.yaml')).toContain(
      'SpaTargetGroupArn',
    );
  });

  it('ships a non-root nginx image on the target group port', () => {
    const dockerfile = read(run, 'Dockerfile');
    expect(dockerfile).toContain('FROM nginxinc/nginx-unprivileged');
    expect(dockerfile).toMatch(/^USER 101$/m);
    expect(read(run, 'nginx.conf')).toContain('listen 8080;');
  });

  it('has a Helm chart for the frontend node group wired to its values', () => {
    const report = checkChart(path.join(run.repositoryPath, 'chart'));
    expect(report.problems).toEqual([]);
    expect(report.kinds).toEqual([
      'Deployment',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
      'SecurityGroupPolicy',
      'Service',
      'ServiceAccount',
      'TargetGroupBinding',
    ]);
    expect(report.values).toMatchObject({
      nodeSelector: { 'innovate.io/tier': 'frontend' },
      containerPort: 8080,
    });
  });

  it('passes its own tests (run with the portal’s Jest; the project itself uses Vitest)', async () => {
    const nodeModules = path.join(REPO_ROOT, 'node_modules');
    const config = {
      rootDir: run.repositoryPath,
      testMatch: ['<rootDir>/src/**/*.test.ts?(x)'],
      testEnvironment: require.resolve(
        '@backstage/cli/config/jest-environment-jsdom',
      ),
      transform: {
        '\\.[jt]sx?$': [
          require.resolve('@swc/jest'),
          {
            jsc: {
              parser: { syntax: 'typescript', tsx: true },
              transform: { react: { runtime: 'automatic' } },
            },
            module: { type: 'commonjs' },
          },
        ],
      },
      modulePaths: [nodeModules],
      cacheDirectory: root.resolve('jest-cache'),
    };
    const result = await execFileAsync(
      process.execPath,
      [
        require.resolve('jest/bin/jest'),
        '--config',
        JSON.stringify(config),
        '--ci',
        '--colors=false',
      ],
      {
        cwd: run.repositoryPath,
        env: { PATH: process.env.PATH, HOME: root.path, NODE_ENV: 'test' },
      },
    ).catch(error => ({
      stdout: '',
      stderr: `${error.stdout}\n${error.stderr}`,
      failed: true,
    }));
    expect(result.stderr).toMatch(/Tests:\s+3 passed, 3 total/);
    expect(result).not.toHaveProperty('failed');
  });

  it('type-checks with the portal’s TypeScript and React types', async () => {
    const nodeModules = path.join(REPO_ROOT, 'node_modules');
    // The project's own tsconfig, with Jest's globals instead of Vitest's and the portal's node_modules for types.
    const checkConfig = root.resolve('tsconfig.check.json');
    fs.writeFileSync(
      checkConfig,
      JSON.stringify({
        extends: path.join(run.repositoryPath, 'tsconfig.json'),
        compilerOptions: {
          types: ['jest'],
          typeRoots: [path.join(nodeModules, '@types')],
          baseUrl: run.repositoryPath,
          paths: { '*': [`${nodeModules}/@types/*`, `${nodeModules}/*`] },
        },
        include: [path.join(run.repositoryPath, 'src')],
      }),
    );
    const result = await execFileAsync(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '-p', checkConfig],
      { cwd: run.repositoryPath },
    ).catch(error => ({ stdout: String(error.stdout), failed: true }));
    expect(result.stdout).toBe('');
    expect(result).not.toHaveProperty('failed');
  });
});
