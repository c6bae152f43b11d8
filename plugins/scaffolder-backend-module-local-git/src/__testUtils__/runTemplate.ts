import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createFetchTemplateAction } from '@backstage/plugin-scaffolder-backend';
import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { createPublishLocalAction } from '../actions/publishLocal';
import { createRegisterFileAction } from '../actions/registerFile';
import { createValidateComponentAction } from '../actions/validateComponent';
import { seededCatalog } from './fixtures';

export const REPO_ROOT = path.resolve(__dirname, '../../../..');
export const TEMPLATES_DIR = path.join(REPO_ROOT, 'templates');

/** The form a user fills in, local publishing (the embedded default). */
export interface TemplateParameters {
  name: string;
  description: string;
  owner: string;
  system: string;
  environments: string[];
  publishTo: 'local';
}

/** A stack the template asked `innovate:cloudformation:deploy` for. */
export interface StackDeployment {
  stepId: string;
  input: Record<string, any>;
}

export interface TemplateRun {
  repositoryPath: string;
  outputs: Record<string, Record<string, any>>;
  catalog: CatalogService & { addLocation: jest.Mock };
  steps: Array<{ id: string; action: string; input: Record<string, unknown> }>;
  deployments: StackDeployment[];
}

type AnyAction = TemplateAction<any, any, any>;

/**
 * Stand-in for the aws-environments module's `innovate:cloudformation:deploy`: this package does not depend on that
 * module or on the simulated organization, so here the step's rendered input is recorded and answered with the
 * outputs the image-repository stack has. The real action runs the same template step on the simulated organization
 * in plugins/scaffolder-backend-module-aws-environments/src/cloudformation/componentImageRepository.test.ts.
 */
function recordingCloudFormationDeploy(
  deployments: StackDeployment[],
  stepIds: Map<object, string>,
): AnyAction {
  return {
    id: 'innovate:cloudformation:deploy',
    async handler(ctx: any) {
      const input = ctx.input as Record<string, any>;
      deployments.push({ stepId: stepIds.get(ctx) ?? '', input });
      const component = input.parameters?.ComponentName;
      ctx.output('stackName', input.stackName);
      ctx.output('outcome', ctx.isDryRun ? 'previewed' : 'created');
      ctx.output('outputs', {
        RepositoryUri: `${input.accountId}.dkr.ecr.${input.region}.amazonaws.com/innovate/${component}`,
      });
    },
  } as unknown as AnyAction;
}

/**
 * Evaluates one of the template's `${{ ... }}` step inputs. Only the forms the application templates use are
 * understood (parameters.x, steps.id.output.x, steps['id'].output.x, `a if cond else b`, literal text around
 * them); anything else fails the test, so the templates cannot drift from what is checked here.
 */
function evaluate(
  expression: string,
  scope: {
    parameters: Record<string, unknown>;
    steps: Record<string, Record<string, unknown>>;
  },
): unknown {
  const conditional = expression.match(/^(.+?) if (.+?) else (.+)$/);
  if (conditional) {
    return evaluate(conditional[2], scope)
      ? evaluate(conditional[1], scope)
      : evaluate(conditional[3], scope);
  }
  const comparison = expression.match(/^(.+?) == '([^']*)'$/);
  if (comparison) {
    return evaluate(comparison[1], scope) === comparison[2];
  }
  const literal = expression.match(/^'([^']*)'$/);
  if (literal) {
    return literal[1];
  }
  const parameter = expression.match(/^parameters\.(\w+)$/);
  if (parameter) {
    return scope.parameters[parameter[1]];
  }
  const stepOutput = expression.match(
    /^steps(?:\.([\w-]+)|\['([\w-]+)'\])\.output\.(\w+)$/,
  );
  if (stepOutput) {
    return scope.steps[stepOutput[1] ?? stepOutput[2]]?.[stepOutput[3]];
  }
  throw new Error(
    `The test harness does not understand the template expression: ${expression}`,
  );
}

function renderInput(
  value: unknown,
  scope: Parameters<typeof evaluate>[1],
): unknown {
  if (typeof value === 'string') {
    const whole = value.match(/^\$\{\{\s*(.+?)\s*\}\}$/);
    if (whole) {
      return evaluate(whole[1], scope);
    }
    return value.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_m, expression) =>
      String(evaluate(expression, scope)),
    );
  }
  if (Array.isArray(value)) {
    return value.map(item => renderInput(item, scope));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        renderInput(item, scope),
      ]),
    );
  }
  return value;
}

/**
 * Runs a template's steps as the scaffolder would on the embedded default: the real innovate:* actions and the
 * scaffolder's own fetch:template (Nunjucks with its `${{ }}` syntax), a mocked catalog holding the seeded
 * environments. Steps whose `if` is false are skipped.
 */
export async function runTemplate(
  templateName: string,
  parameters: TemplateParameters,
  options: {
    repositoriesDir: string;
    catalog?: CatalogService & { addLocation: jest.Mock };
    /** Receives every stack deployment, also those of a run that fails later. */
    deployments?: StackDeployment[];
    /** The portal's shared-services account; default: the embedded default's (111111111111, eu-central-1). */
    sharedServices?: { accountId: string; region: string };
  },
): Promise<TemplateRun> {
  const templateFile = path.join(TEMPLATES_DIR, templateName, 'template.yaml');
  const template = yaml.parse(fs.readFileSync(templateFile, 'utf8'));
  const settings = { enabled: true, repositoriesDir: options.repositoriesDir };
  const environments = catalogServiceMock({ entities: seededCatalog() });
  const catalog =
    options.catalog ??
    (catalogServiceMock.mock({
      getEntitiesByRefs: (request, requestOptions) =>
        environments.getEntitiesByRefs(request, requestOptions),
    }) as unknown as CatalogService & { addLocation: jest.Mock });
  // Skeletons next to a file:// template are copied from disk; SCM integrations are never consulted.
  const integrations = {} as Parameters<
    typeof createFetchTemplateAction
  >[0]['integrations'];
  const deployments = options.deployments ?? [];
  const stepIds = new Map<object, string>();
  const actions = new Map<string, AnyAction>(
    [
      recordingCloudFormationDeploy(deployments, stepIds),
      createValidateComponentAction({
        settings,
        catalog,
        sharedServices: options.sharedServices ?? {
          accountId: '111111111111',
          region: 'eu-central-1',
        },
      }),
      createPublishLocalAction({
        settings,
        defaultAuthor: {
          name: 'Innovate Developer Portal',
          email: 'platform@innovate.example',
        },
      }),
      createRegisterFileAction({
        settings,
        catalog,
        auth: mockServices.auth(),
        platformTeam: 'group:default/platform-team',
        // The mock catalog never processes the location: look once, then go on.
        waitForEntityMs: 0,
      }),
      createFetchTemplateAction({
        reader: mockServices.urlReader.mock(),
        integrations,
      }),
    ].map(action => [action.id, action as AnyAction]),
  );

  const workspace = createMockDirectory();
  const scratch = createMockDirectory();
  const scope = {
    parameters: parameters as unknown as Record<string, unknown>,
    steps: {} as Record<string, Record<string, any>>,
  };
  const steps: TemplateRun['steps'] = [];
  for (const step of template.spec.steps as Array<{
    id: string;
    action: string;
    if?: string;
    input: Record<string, unknown>;
  }>) {
    if (step.if !== undefined && !renderInput(step.if, scope)) {
      continue;
    }
    const action = actions.get(step.action);
    if (!action) {
      throw new Error(
        `Step ${step.id} uses ${step.action}, which the embedded default path must not need`,
      );
    }
    const input = renderInput(step.input, scope) as Record<string, unknown>;
    const outputs: Record<string, unknown> = {};
    const ctx = createMockActionContext({
      input: input as any,
      workspacePath: workspace.path,
      templateInfo: {
        baseUrl: `file://${templateFile}`,
        entityRef: `template:default/${templateName}`,
      },
      // A member of the web team, who owns what these runs create.
      user: {
        ref: 'user:default/aisha.khan',
        entity: {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'User',
          metadata: { name: 'aisha.khan', namespace: 'default' },
          spec: {},
          relations: [
            { type: 'memberOf', targetRef: 'group:default/web-team' },
          ],
        },
      },
    });
    // The scaffolder fetches the skeleton into a scratch folder outside the workspace; the mock would use the
    // workspace itself and so publish the raw skeleton too.
    ctx.createTemporaryDirectory = async () =>
      fs.promises.mkdtemp(path.join(scratch.path, 'tmp-'));
    ctx.output = ((key: string, value: unknown) => {
      outputs[key] = value;
    }) as typeof ctx.output;
    stepIds.set(ctx, step.id);
    await action.handler(ctx as any);
    scope.steps[step.id] = outputs;
    steps.push({ id: step.id, action: step.action, input });
  }
  return {
    repositoryPath: path.join(options.repositoriesDir, parameters.name),
    outputs: scope.steps,
    catalog,
    steps,
    deployments,
  };
}

/** Every file of a generated project, relative paths, without .git and installed dependencies. */
export function listFiles(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    if (
      entry.name === '.git' ||
      entry.name === 'node_modules' ||
      entry.name === '__pycache__'
    ) {
      return [];
    }
    const relative = path.join(prefix, entry.name);
    return entry.isDirectory()
      ? listFiles(path.join(dir, entry.name), relative)
      : [relative];
  });
}
