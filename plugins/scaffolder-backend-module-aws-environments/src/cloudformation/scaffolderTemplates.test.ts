import { promises as fs } from 'fs';
import { dirname, resolve as resolvePath } from 'path';
import { ANNOTATION_TEMPLATE } from '@internal/plugin-aws-environments-common';
import {
  loadBlueprint,
  parseTemplate,
  stageDefaults,
} from '@internal/plugin-aws-environments-node';
import { parse as parseYaml } from 'yaml';

const TEMPLATES_ROOT = resolvePath(__dirname, '../../../../templates');
const VERSION_ANNOTATION = 'aws.innovate.io/template-version';

/** The custom actions of this module, and the built-in ones the templates may use besides. */
const ALLOWED_ACTIONS = new Set([
  'innovate:environment:deploy',
  'innovate:environment:register',
  'innovate:environment:plan',
  'innovate:environment:destroy',
  'innovate:environment:drift',
  'innovate:cloudformation:deploy',
  'fetch:plain',
  'catalog:fetch',
]);

interface Step {
  id: string;
  action: string;
  if?: string;
  input?: Record<string, unknown>;
}
interface Page {
  properties?: Record<string, Record<string, unknown>>;
  dependencies?: Record<
    string,
    { oneOf: Array<{ properties: Record<string, unknown> }> }
  >;
}
interface ScaffolderTemplate {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec: { owner: string; parameters: Page[]; steps: Step[]; output?: unknown };
}

const templates = new Map<string, ScaffolderTemplate>();

beforeAll(async () => {
  for (const entry of await fs.readdir(TEMPLATES_ROOT, {
    withFileTypes: true,
  })) {
    const file = resolvePath(TEMPLATES_ROOT, entry.name, 'template.yaml');
    // templates/ also holds the application templates of other teams; these tests cover the AWS ones.
    if (!entry.isDirectory() || !entry.name.startsWith('aws-')) continue;
    const text = await fs.readFile(file, 'utf8').catch(() => undefined);
    if (text) templates.set(entry.name, parseYaml(text) as ScaffolderTemplate);
  }
});

function template(name: string): ScaffolderTemplate {
  const found = templates.get(name);
  if (!found) throw new Error(`no template ${name}`);
  return found;
}

/** Every field the form can produce, dependencies included. */
function formFields(t: ScaffolderTemplate): Set<string> {
  const fields = new Set<string>();
  for (const page of t.spec.parameters) {
    Object.keys(page.properties ?? {}).forEach(f => fields.add(f));
    for (const dependency of Object.values(page.dependencies ?? {})) {
      for (const branch of dependency.oneOf) {
        Object.keys(branch.properties).forEach(f => fields.add(f));
      }
    }
  }
  return fields;
}

function stepsOf(t: ScaffolderTemplate) {
  return t.spec.steps;
}

describe('software templates under templates/', () => {
  it('are the four the platform team offers', () => {
    expect([...templates.keys()].sort()).toEqual([
      'aws-account-baseline',
      'aws-environment',
      'aws-environment-teardown',
      'aws-environment-update',
    ]);
  });

  it.each([
    'aws-account-baseline',
    'aws-environment',
    'aws-environment-teardown',
    'aws-environment-update',
  ])(
    '%s is a v1beta3 template owned by the platform team with a version',
    name => {
      const t = template(name);
      expect(t.apiVersion).toBe('scaffolder.backstage.io/v1beta3');
      expect(t.kind).toBe('Template');
      expect(t.metadata.name).toBe(name);
      expect(t.spec.owner).toBe('group:platform-team');
      expect(t.metadata.annotations?.[VERSION_ANNOTATION]).toMatch(
        /^\d+\.\d+\.\d+$/,
      );
    },
  );

  it('use only the module actions (and fetch:plain / catalog:fetch)', () => {
    for (const [name, t] of templates) {
      for (const step of stepsOf(t)) {
        expect({
          name,
          step: step.id,
          allowed: ALLOWED_ACTIONS.has(step.action),
        }).toEqual({
          name,
          step: step.id,
          allowed: true,
        });
      }
    }
  });

  it('refer only to form fields that exist', async () => {
    for (const [name, t] of templates) {
      const fields = formFields(t);
      const text = await fs.readFile(
        resolvePath(TEMPLATES_ROOT, name, 'template.yaml'),
        'utf8',
      );
      const used = [...text.matchAll(/parameters\.([A-Za-z]+)/g)].map(
        m => m[1],
      );
      const secrets = [...text.matchAll(/secrets\.([A-Za-z]+)/g)].map(
        m => m[1],
      );
      const unknown = [...used, ...secrets].filter(f => !fields.has(f));
      expect({ name, unknown }).toEqual({ name, unknown: [] });
    }
  });
});

describe('New AWS environment', () => {
  const t = () => template('aws-environment');

  it('carries the same version as the blueprint it deploys', async () => {
    const blueprint = await loadBlueprint(
      resolvePath(TEMPLATES_ROOT, 'aws-environment/cloudformation'),
    );
    expect(t().metadata.annotations?.[VERSION_ANNOTATION]).toBe(
      blueprint.version,
    );
    // The catalog records `<template>@<version>` (ANNOTATION_TEMPLATE) from the stacks' tags, i.e. the blueprint.
    expect(ANNOTATION_TEMPLATE).toBe('aws.innovate.io/template');
    expect(blueprint.name).toBe(t().metadata.name);
  });

  it('asks for everything an environment needs, with the portal pickers', () => {
    const fields = formFields(t());
    const spec = Object.keys({
      ...stageDefaults('dev'),
      name: 1,
      stage: 1,
      accountId: 1,
      region: 1,
      vpcCidr: 1,
    });
    expect(spec.filter(f => !fields.has(f))).toEqual([]);
    const properties = Object.assign(
      {},
      ...t().spec.parameters.map(p => p.properties ?? {}),
    );
    expect(properties.owner['ui:field']).toBe('EnvironmentOwner');
    expect(properties.system).toMatchObject({
      'ui:field': 'EntityPicker',
      'ui:options': { catalogFilter: { kind: 'System' } },
    });
    expect(properties.accountId['ui:field']).toBe('AwsAccountPicker');
    expect(properties.costEstimate['ui:field']).toBe('EnvironmentCostEstimate');
    expect(properties.stage.enum).toEqual(['dev', 'staging', 'prod']);
    // The name is checked by its field (format, then whether it is taken), with the action's own check.
    expect(properties.name['ui:field']).toBe('EnvironmentName');
    expect(properties.name.pattern).toBeUndefined();
    expect(properties.region['ui:field']).toBe('AwsRegionPicker');
  });

  it('defaults the AZ count by stage: 3 in prod, 2 elsewhere', () => {
    const basics = t().spec.parameters[0];
    const branches = basics.dependencies!.stage.oneOf.map(
      b =>
        b.properties as Record<string, { enum?: unknown[]; default?: unknown }>,
    );
    const forStage = (stage: string) =>
      branches.find(b => b.stage.enum!.includes(stage))!;
    expect(forStage('prod').azCount.default).toBe(3);
    expect(forStage('prod').natGateways.default).toBe('per-az');
    expect(forStage('dev').azCount.default).toBe(2);
    expect(forStage('staging').azCount.default).toBe(2);
  });

  it('deploys every form field, then registers, and links to the entity and the console', () => {
    const [deploy, register] = stepsOf(t());
    expect([deploy.action, register.action]).toEqual([
      'innovate:environment:deploy',
      'innovate:environment:register',
    ]);
    const environment = deploy.input!.environment as Record<string, unknown>;
    const specFields = Object.keys({
      ...stageDefaults('dev'),
      name: 1,
      stage: 1,
      accountId: 1,
      region: 1,
      vpcCidr: 1,
    });
    expect(Object.keys(environment).sort()).toEqual(specFields.sort());
    expect(environment.multiAz).toContain("parameters.stage == 'prod'");
    expect(register.input).toEqual({
      name: '${{ parameters.name }}',
      accountId: '${{ parameters.accountId }}',
      region: '${{ parameters.region }}',
    });
    expect(JSON.stringify(t().spec.output)).toContain(
      'steps.register.output.entityRef',
    );
    expect(JSON.stringify(t().spec.output)).toContain(
      'steps.deploy.output.consoleUrl',
    );
  });
});

describe('Update and tear-down', () => {
  it('update previews first and deploys only when the form says so', () => {
    const steps = stepsOf(template('aws-environment-update'));
    expect(steps.map(s => s.action)).toEqual([
      'catalog:fetch',
      'innovate:environment:plan',
      'innovate:environment:deploy',
      'innovate:environment:register',
    ]);
    expect(steps[1].if).toBeUndefined();
    expect(steps[2].if).toBe('${{ parameters.applyChanges }}');
    expect(steps[3].if).toBe('${{ parameters.applyChanges }}');
    expect(steps[2].input!.environment).toEqual(steps[1].input!.environment);
  });

  it('tear-down hands the typed name to the action, which fails the task on a mismatch, and passes the production confirmation', () => {
    const t = template('aws-environment-teardown');
    const [, destroy] = stepsOf(t);
    expect(destroy.action).toBe('innovate:environment:destroy');
    // No condition: a mismatch is a failed task, never a green one that deleted nothing.
    expect(destroy.if).toBeUndefined();
    expect(destroy.input).toMatchObject({
      name: '${{ steps.fetch.output.entity.metadata.name }}',
      confirmName: '${{ parameters.confirmName }}',
      confirmProduction: '${{ parameters.confirmProduction == true }}',
    });
    expect(
      (t.spec.parameters as any[])[0].properties.confirmName['ui:field'],
    ).toBe('TeardownConfirmation');
  });
});

describe('AWS account baseline', () => {
  it('deploys templates fetched from its own folder, with parameters those templates declare', async () => {
    const t = template('aws-account-baseline');
    const dir = resolvePath(TEMPLATES_ROOT, 'aws-account-baseline');
    const [fetch, ...deploys] = stepsOf(t);
    expect(fetch).toMatchObject({
      action: 'fetch:plain',
      input: { url: './cloudformation', targetPath: 'cloudformation' },
    });
    expect(deploys.map(d => d.action)).toEqual([
      'innovate:cloudformation:deploy',
      'innovate:cloudformation:deploy',
    ]);
    for (const deploy of deploys) {
      const path = resolvePath(dir, deploy.input!.templatePath as string);
      expect(dirname(path)).toBe(resolvePath(dir, 'cloudformation'));
      const cfn = parseTemplate(await fs.readFile(path, 'utf8'), path);
      const declared = Object.keys(cfn.Parameters ?? {});
      const passed = Object.keys(
        deploy.input!.parameters as Record<string, unknown>,
      );
      expect(passed.filter(p => !declared.includes(p))).toEqual([]);
      const required = Object.entries(cfn.Parameters ?? {})
        .filter(([, p]) => p.Default === undefined)
        .map(([n]) => n);
      expect(required.filter(p => !passed.includes(p))).toEqual([]);
    }
  });

  it('asks for the GitHub organization with the CloudFormation constraints, and passes it to both stacks', async () => {
    const t = template('aws-account-baseline');
    const dir = resolvePath(TEMPLATES_ROOT, 'aws-account-baseline');
    const page = t.spec.parameters[0] as Page & { required: string[] };
    expect(page.required).toContain('githubOrganization');
    const organization = page.properties!.githubOrganization;
    const providerArn = page.properties!.githubOidcProviderArn;
    const workloadBranch = page.dependencies!.kind.oneOf.find(b =>
      (b.properties.kind as { enum: string[] }).enum.includes('workload'),
    )!;
    const deployStages = workloadBranch.properties.deployStages as {
      enum: string[];
      default: string;
    };
    const deploys = stepsOf(t).filter(
      s => s.action === 'innovate:cloudformation:deploy',
    );
    expect(deploys.map(d => d.id)).toEqual(['shared-services', 'workload']);
    for (const deploy of deploys) {
      const path = resolvePath(dir, deploy.input!.templatePath as string);
      const cfn = parseTemplate(await fs.readFile(path, 'utf8'), path);
      const parameters = deploy.input!.parameters as Record<string, unknown>;
      // The form refuses what CloudFormation would refuse minutes later.
      expect(organization.pattern).toBe(
        cfn.Parameters!.GitHubOrganization.AllowedPattern,
      );
      expect(providerArn.pattern).toBe(
        cfn.Parameters!.GitHubOidcProviderArn.AllowedPattern,
      );
      expect(parameters).toMatchObject({
        GitHubOrganization: '${{ parameters.githubOrganization }}',
        GitHubOidcProviderArn: "${{ parameters.githubOidcProviderArn or '' }}",
      });
      // Both stacks now create named roles (innovate-github-*).
      expect(deploy.input!.capabilities).toEqual(['CAPABILITY_NAMED_IAM']);
    }
    const workload = deploys[1];
    const workloadPath = resolvePath(
      dir,
      workload.input!.templatePath as string,
    );
    const workloadCfn = parseTemplate(
      await fs.readFile(workloadPath, 'utf8'),
      workloadPath,
    );
    expect(
      (workload.input!.parameters as Record<string, unknown>).DeployStages,
    ).toBe('${{ parameters.deployStages }}');
    expect(deployStages.enum).toEqual(
      workloadCfn.Parameters!.DeployStages.AllowedValues,
    );
    expect(deployStages.enum).toContain(deployStages.default);
    const pattern = new RegExp(organization.pattern as string);
    expect(pattern.test('innovate-inc')).toBe(true);
    expect(pattern.test('innovate/*')).toBe(false);
    expect(new RegExp(providerArn.pattern as string).test('')).toBe(true);
  });

  it('keeps the external id a form secret, never a plain parameter', () => {
    const t = template('aws-account-baseline');
    const workload = stepsOf(t).find(s => s.id === 'workload')!;
    expect(
      (workload.input!.parameters as Record<string, unknown>).ExternalId,
    ).toBe('${{ secrets.externalId }}');
    const branch = t.spec.parameters[0].dependencies!.kind.oneOf.find(b =>
      (b.properties.kind as { enum: string[] }).enum.includes('workload'),
    )!;
    expect(
      (branch.properties.externalId as Record<string, unknown>)['ui:field'],
    ).toBe('Secret');
  });
});
