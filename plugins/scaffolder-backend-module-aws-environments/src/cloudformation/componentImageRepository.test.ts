import {
  CloudFormationClient,
  DescribeStacksCommand,
  GetTemplateCommand,
  paginateListStacks,
} from '@aws-sdk/client-cloudformation';
import {
  TAG_APPLICATION,
  TAG_COST_CENTER,
  TAG_OWNER,
  TAG_SYSTEM,
  TAG_TEMPLATE,
  TAG_TEMPLATE_VERSION,
} from '@internal/plugin-aws-environments-common';
import { parseTemplate, type CfnTemplate } from '@internal/plugin-aws-environments-node';
import { createSimulatedAwsClientFactory } from '@internal/plugin-aws-environments-simulator';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { FAST_SETTINGS, actionContext } from '../__testUtils__/actionHarness';
import { createCloudFormationDeployAction } from '../actions/cloudformationDeploy';
import type { ActionDependencies } from '../lib/actionSupport';
import { testAccess } from '../__testUtils__/access';

const TEMPLATES_ROOT = path.resolve(__dirname, '../../../../templates');
const TEMPLATE_FILE = path.join(
  TEMPLATES_ROOT,
  'component-image-repository/cloudformation/image-repository.yaml',
);
const SHARED = { accountId: '111111111111', region: 'eu-central-1' };

function imageRepositoryTemplate(): CfnTemplate {
  return parseTemplate(fs.readFileSync(TEMPLATE_FILE, 'utf8'), TEMPLATE_FILE);
}

function repository(template: CfnTemplate) {
  const resources = Object.values(template.Resources);
  expect(resources.map(r => r.Type)).toEqual(['AWS::ECR::Repository']);
  return resources[0] as {
    Type: string;
    DeletionPolicy?: string;
    UpdateReplacePolicy?: string;
    Properties: Record<string, any>;
  };
}

/**
 * The image-repository step of an application template, with its `${{ parameters.x }}` placeholders filled as the
 * scaffolder would from the form.
 */
function appTemplateStep(
  templateName: string,
  form: Record<string, string>,
): Record<string, any> {
  const template = yaml.parse(
    fs.readFileSync(
      path.join(TEMPLATES_ROOT, templateName, 'template.yaml'),
      'utf8',
    ),
  );
  const step = template.spec.steps.find(
    (s: { id: string }) => s.id === 'image-repository',
  );
  expect(step).toMatchObject({ action: 'innovate:cloudformation:deploy' });
  const render = (value: unknown): unknown => {
    if (typeof value === 'string') {
      return value
        .replace(/\$\{\{\s*parameters\.(\w+)\s*\}\}/g, (_m, key) => {
          expect(form).toHaveProperty(key);
          return form[key];
        })
        .replace(
          /\$\{\{\s*steps\.validate\.output\.(\w+)\s*\}\}/g,
          (_m, key) => {
            // What innovate:component:validate answers on the embedded default (awsEnvironments.accounts).
            const validateOutput: Record<string, string> = {
              sharedServicesAccountId: SHARED.accountId,
              sharedServicesRegion: SHARED.region,
            };
            expect(validateOutput).toHaveProperty(key);
            return validateOutput[key];
          },
        );
    }
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, render(v)]),
      );
    }
    return value;
  };
  return render(step.input) as Record<string, any>;
}

describe('the component image repository template', () => {
  it('scans on push, keeps tags immutable and encrypts with KMS', () => {
    const { Properties } = repository(imageRepositoryTemplate());
    expect(Properties.ImageScanningConfiguration).toEqual({ ScanOnPush: true });
    expect(Properties.ImageTagMutability).toBe('IMMUTABLE');
    expect(Properties.EncryptionConfiguration).toEqual({
      EncryptionType: 'KMS',
    });
    expect(Properties.RepositoryName).toEqual({
      'Fn::Sub': '${RepositoryPrefix}/${ComponentName}',
    });
  });

  it('outlives a mistaken stack delete or a replacement', () => {
    const resource = repository(imageRepositoryTemplate());
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(resource.UpdateReplacePolicy).toBe('Retain');
  });

  it('expires untagged images after 7 days and keeps the last 50 releases', () => {
    const { Properties } = repository(imageRepositoryTemplate());
    const rules = JSON.parse(Properties.LifecyclePolicy.LifecyclePolicyText)
      .rules as Array<{ selection: Record<string, unknown> }>;
    expect(rules.map(r => r.selection)).toEqual([
      {
        tagStatus: 'untagged',
        countType: 'sinceImagePushed',
        countUnit: 'days',
        countNumber: 7,
      },
      {
        tagStatus: 'tagged',
        tagPrefixList: ['v'],
        countType: 'imageCountMoreThan',
        countNumber: 50,
      },
    ]);
  });

  it('lets only the given accounts pull, and no one push', () => {
    const { Properties } = repository(imageRepositoryTemplate());
    expect(Properties.RepositoryPolicyText.Statement).toEqual([
      {
        Sid: 'WorkloadAccountsPull',
        Effect: 'Allow',
        Principal: { AWS: { Ref: 'PullAccountIds' } },
        Action: [
          'ecr:BatchCheckLayerAvailability',
          'ecr:BatchGetImage',
          'ecr:GetDownloadUrlForLayer',
        ],
      },
    ]);
  });

  it('carries the component’s cost-allocation tags and outputs the repository', () => {
    const template = imageRepositoryTemplate();
    const tags = repository(template).Properties.Tags as Array<{
      Key: string;
    }>;
    expect(tags.map(t => t.Key).sort()).toEqual(
      [
        TAG_APPLICATION,
        TAG_OWNER,
        TAG_SYSTEM,
        TAG_COST_CENTER,
        TAG_TEMPLATE,
        TAG_TEMPLATE_VERSION,
      ].sort(),
    );
    expect(Object.keys(template.Outputs ?? {})).toEqual(
      expect.arrayContaining(['RepositoryUri', 'RepositoryArn']),
    );
  });
});

describe('the app templates’ image repository step on the simulated organization', () => {
  function deps(): ActionDependencies {
    return {
      awsClients: createSimulatedAwsClientFactory({
        seedEnvironments: false,
        timeScale: 0.0001,
      }),
      settings: { ...FAST_SETTINGS, pollIntervalSeconds: 0.02 },
      access: testAccess(),
    };
  }

  async function liveStackNames(d: ActionDependencies): Promise<string[]> {
    const client = await d.awsClients.getClient(CloudFormationClient, SHARED);
    const names: string[] = [];
    for await (const page of paginateListStacks({ client }, {})) {
      for (const summary of page.StackSummaries ?? []) {
        if (summary.StackStatus !== 'DELETE_COMPLETE') {
          names.push(summary.StackName!);
        }
      }
    }
    return names;
  }

  const form = {
    name: 'orders',
    owner: 'group:default/web-team',
    system: 'system:default/innovate-web',
  };

  it.each(['flask-api', 'react-spa'])(
    '%s: creates ecr-<component> in shared services, pullable by the workload accounts, and is unchanged on resubmission',
    async templateName => {
      const d = deps();
      const input = appTemplateStep(templateName, form);
      expect(input).toMatchObject({ ...SHARED, stackName: 'ecr-orders' });

      const first = actionContext(input, { taskId: 'task-1' });
      await createCloudFormationDeployAction(d).handler(first.ctx);
      expect(first.outputs).toMatchObject({
        stackName: 'ecr-orders',
        outcome: 'created',
        status: 'CREATE_COMPLETE',
      });
      expect(
        (first.outputs.outputs as Record<string, string>).RepositoryUri,
      ).toBe('111111111111.dkr.ecr.eu-central-1.amazonaws.com/innovate/orders');

      const client = await d.awsClients.getClient(CloudFormationClient, SHARED);
      const { Stacks } = await client.send(
        new DescribeStacksCommand({ StackName: 'ecr-orders' }),
      );
      const parameters = Object.fromEntries(
        (Stacks?.[0]?.Parameters ?? []).map(p => [
          p.ParameterKey,
          p.ParameterValue,
        ]),
      );
      expect(parameters).toMatchObject({
        ComponentName: 'orders',
        Owner: 'group:default/web-team',
        PullAccountIds: '222222222222,333333333333',
      });
      // Shared services has no CloudFormation service role; the stack must not name one.
      expect(Stacks?.[0]?.RoleARN).toBeUndefined();
      const deployed = await client.send(
        new GetTemplateCommand({ StackName: 'ecr-orders' }),
      );
      const { Properties } = repository(
        parseTemplate(deployed.TemplateBody!, 'ecr-orders'),
      );
      expect(Properties.ImageScanningConfiguration).toEqual({
        ScanOnPush: true,
      });
      expect(Properties.ImageTagMutability).toBe('IMMUTABLE');

      const again = actionContext(input, { taskId: 'task-2' });
      await createCloudFormationDeployAction(d).handler(again.ctx);
      expect(again.outputs.outcome).toBe('unchanged');
      expect(await liveStackNames(d)).toEqual(['ecr-orders']);
    },
  );

  it('creates nothing on a dry run', async () => {
    const d = deps();
    const run = actionContext(appTemplateStep('flask-api', form), {
      isDryRun: true,
    });
    await createCloudFormationDeployAction(d).handler(run.ctx);
    expect(run.outputs.outcome).toBe('previewed');
    expect(await liveStackNames(d)).toEqual([]);
  });

  it.each([
    [
      'another stack name',
      { stackName: 'innovate-shared-services-baseline' },
      /stack for these parameters is ecr-orders/,
    ],
    [
      'a pull account of its own',
      {
        parameters: {
          ComponentName: 'orders',
          Owner: 'group:default/web-team',
          PullAccountIds: '999999999999',
        },
      },
      /refused: PullAccountIds/,
    ],
    [
      'a workload account',
      { accountId: '222222222222' },
      /only into the shared account/,
    ],
    [
      'its own template besides',
      { templateBody: 'Resources: {}' },
      /exactly one of templateBody, templatePath and platformTemplate/,
    ],
    [
      'the portal’s CloudFormation service role',
      { useExecutionRole: true },
      /no capabilities, execution role, termination protection or stage/,
    ],
    [
      'an environment tag, which would make it part of an environment in the catalog',
      { tags: { 'innovate:environment': 'innovate-prod' } },
      /refused: innovate:environment/,
    ],
    [
      'a component name that is not DNS-safe',
      {
        stackName: 'ecr-Orders',
        parameters: {
          ComponentName: 'Orders',
          Owner: 'group:default/web-team',
        },
      },
      /must be DNS-safe/,
    ],
  ])(
    'refuses a platform-template step with %s before any AWS call',
    async (_case, change, message) => {
      const d = deps();
      const run = actionContext({
        ...appTemplateStep('flask-api', form),
        ...change,
      });
      await expect(
        createCloudFormationDeployAction(d).handler(run.ctx),
      ).rejects.toMatchObject({ name: 'InputError', message });
      expect(await liveStackNames(d)).toEqual([]);
    },
  );
});
