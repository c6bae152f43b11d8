import {
  CloudFormationClient,
  paginateDescribeStacks,
  paginateListStacks,
} from '@aws-sdk/client-cloudformation';
import { mockCredentials } from '@backstage/backend-test-utils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import innovatePermissionPolicy from '@internal/plugin-permission-backend-module-innovate-policy';
import {
  type SimulatedAwsClientFactory,
  createSimulatedAwsClientFactory,
} from '@internal/plugin-aws-environments-simulator';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import {
  authWithPluginActors,
  catalogMembershipUserInfo,
  httpAuthWithPluginActors,
} from '../__testUtils__/identities';
import {
  BLUEPRINT_DIR,
  PROD_ACCOUNT,
  type PortalServer,
  REPO_ROOT,
  environmentStacks,
  eventually,
  newEnvironmentValues,
  startPortalBackend,
  threeAccounts,
  taskEvents,
  taskLog,
  waitForTaskEnd,
  waitForTemplate,
} from '../__testUtils__/scaffolderBackend';

jest.setTimeout(120_000);

const REGION = 'eu-central-1';
// Members of group:default/web-team and group:default/platform-team in catalog/org.yaml.
const WEB_TEAM_MEMBER = 'user:default/aisha.khan';
const PLATFORM_TEAM_MEMBER = 'user:default/maria.lopez';

const MUTATIONS = [
  'CreateChangeSet',
  'ExecuteChangeSet',
  'DeleteChangeSet',
  'CreateStack',
  'UpdateStack',
  'DeleteStack',
  'UpdateTerminationProtection',
  'SetStackPolicy',
];

function mutationCount(factory: SimulatedAwsClientFactory): number {
  const counts = factory.getRequestCounts().cloudformation ?? {};
  return MUTATIONS.reduce((sum, command) => sum + (counts[command] ?? 0), 0);
}

function prodEnvironmentValues(name: string, vpcCidr: string) {
  return {
    ...newEnvironmentValues(name, vpcCidr),
    stage: 'prod',
    accountId: PROD_ACCOUNT,
    azCount: 3,
    natGateways: 'per-az',
  };
}

async function submitTaskAs(
  server: PortalServer,
  userEntityRef: string,
  values: Record<string, unknown>,
): Promise<string> {
  const response = await request(server)
    .post('/api/scaffolder/v2/tasks')
    .set('Authorization', mockCredentials.user.header(userEntityRef))
    .send({ templateRef: 'template:default/aws-environment', values });
  expect(response.status).toBe(201);
  return response.body.id;
}

/** Every stack in one account's Region, deleted ones included, as CloudFormation lists them. */
async function stackNames(
  awsClients: SimulatedAwsClientFactory,
  accountId: string,
): Promise<string[]> {
  const client = await awsClients.getClient(CloudFormationClient, {
    accountId,
    region: REGION,
  });
  const names: string[] = [];
  for await (const page of paginateListStacks({ client }, {})) {
    names.push(...(page.StackSummaries ?? []).map(s => s.StackName ?? ''));
  }
  return names;
}

/** Status of the deploy step, as the scaffolder reported it. */
async function deployStepStatuses(server: PortalServer, taskId: string) {
  return (await taskEvents(server, taskId))
    .filter(e => e.body.stepId === 'deploy' && e.body.status)
    .map(e => e.body.status);
}

/**
 * Innovate's permission policy enforced by the real permission backend on the real scaffolder: an application
 * team's production request through the New AWS environment template fails at the deploy step before any AWS call,
 * while the same person's dev environment and the platform team's production environment are provisioned.
 */
describe('Production environments through the scaffolder with the permission policy', () => {
  const awsClients = createSimulatedAwsClientFactory({
    blueprintDir: BLUEPRINT_DIR,
    seedEnvironments: false,
    timeScale: 0.002,
  });
  let server: PortalServer;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const started = await startPortalBackend({
      awsClients,
      config: { permission: { enabled: true } },
      awsEnvironments: {
        accounts: threeAccounts(REGION),
      },
      catalogFiles: [
        path.join(REPO_ROOT, 'catalog/org.yaml'),
        path.join(REPO_ROOT, 'catalog/systems.yaml'),
      ],
      extraFeatures: [
        permissionPlugin,
        innovatePermissionPolicy,
        catalogMembershipUserInfo,
        authWithPluginActors,
        httpAuthWithPluginActors,
      ],
    });
    server = started.server;
    stop = () => started.backend.stop();
    await waitForTemplate(server, 'aws-environment');
    // The policy decides on the systems web-team owns and the user's groups, both read from the catalog.
    const refs = [
      'system/default/innovate-web',
      'user/default/aisha.khan',
      'user/default/maria.lopez',
    ];
    await eventually(async () => {
      const responses = await Promise.all(
        refs.map(ref =>
          request(server).get(`/api/catalog/entities/by-name/${ref}`),
        ),
      );
      return responses.every(response => response.status === 200);
    }, 'the organization and systems in the catalog');
  });

  afterAll(async () => {
    await stop?.();
  });

  it.each([
    [
      'a prod stage in the prod account',
      prodEnvironmentValues('web-live', '10.70.0.0/16'),
    ],
    [
      'a dev stage aimed at the prod account',
      {
        ...newEnvironmentValues('web-sneaky', '10.71.0.0/16'),
        accountId: PROD_ACCOUNT,
      },
    ],
  ])(
    'refuses a web-team member %s at the deploy step and creates nothing',
    async (_, values) => {
      const mutationsBefore = mutationCount(awsClients);

      const taskId = await submitTaskAs(server, WEB_TEAM_MEMBER, values);

      expect(await waitForTaskEnd(server, taskId)).toBe('failed');
      const events = await taskEvents(server, taskId);
      expect(JSON.stringify(events)).toMatch(
        /Unauthorized action: innovate:environment:deploy/,
      );
      expect(await deployStepStatuses(server, taskId)).toContain('failed');
      // The step after it never ran.
      expect(
        events.some(
          e => e.body.stepId === 'register' && e.body.status === 'processing',
        ),
      ).toBe(false);

      expect(
        (await stackNames(awsClients, PROD_ACCOUNT)).filter(n =>
          n.startsWith(`${values.name}-`),
        ),
      ).toEqual([]);
      expect(
        await environmentStacks(awsClients, values.name, {
          accountId: PROD_ACCOUNT,
          region: REGION,
        }),
      ).toEqual([]);
      expect(
        awsClients.organization
          .listEnvironments()
          .some(e => e.name === values.name),
      ).toBe(false);
      expect(mutationCount(awsClients)).toBe(mutationsBefore);
    },
  );

  it('lets the same web-team member create a dev environment for innovate-web', async () => {
    const taskId = await submitTaskAs(
      server,
      WEB_TEAM_MEMBER,
      newEnvironmentValues('web-feature', '10.72.0.0/16'),
    );

    const status = await waitForTaskEnd(server, taskId);
    const log = await taskLog(server, taskId);
    expect(`${status}\n${log.slice(-6).join('\n')}`).toMatch(/^completed/);
    const stacks = await environmentStacks(awsClients, 'web-feature');
    expect(stacks.map(s => s.StackName)).toContain('web-feature-network');
    expect(stacks.every(s => s.StackStatus === 'CREATE_COMPLETE')).toBe(true);
  });

  describe("a component's image repository in the shared-services account", () => {
    const SHARED_ACCOUNT = '111111111111';
    // The real step of the app templates, as the scaffolder renders it for a dry run of a one-step template.
    const flaskTemplate = parseYaml(
      fs.readFileSync(
        path.join(REPO_ROOT, 'templates/flask-api/template.yaml'),
        'utf8',
      ),
    );
    // In the template, innovate:component:validate (another module, not loaded here) hands the shared-services
    // account to this step; the one-step dry run gets the values validate answers on the embedded default.
    const imageRepositoryStep = JSON.parse(
      JSON.stringify(
        flaskTemplate.spec.steps.find(
          (step: { id: string }) => step.id === 'image-repository',
        ),
      )
        .replace(
          /\$\{\{\s*steps\.validate\.output\.sharedServicesAccountId\s*\}\}/g,
          SHARED_ACCOUNT,
        )
        .replace(
          /\$\{\{\s*steps\.validate\.output\.sharedServicesRegion\s*\}\}/g,
          REGION,
        ),
    );

    const executions = (factory: SimulatedAwsClientFactory) =>
      factory.getRequestCounts().cloudformation?.ExecuteChangeSet ?? 0;

    async function liveStackNames(
      factory: SimulatedAwsClientFactory,
      accountId: string,
    ): Promise<string[]> {
      const client = await factory.getClient(CloudFormationClient, {
        accountId,
        region: REGION,
      });
      const names: string[] = [];
      for await (const page of paginateDescribeStacks({ client }, {})) {
        names.push(...(page.Stacks ?? []).map(stack => stack.StackName ?? ''));
      }
      return names;
    }

    async function dryRunAs(
      userEntityRef: string,
      step: Record<string, unknown>,
    ) {
      const response = await request(server)
        .post('/api/scaffolder/v2/dry-run')
        .set('Authorization', mockCredentials.user.header(userEntityRef))
        .send({
          template: {
            apiVersion: 'scaffolder.backstage.io/v1beta3',
            kind: 'Template',
            metadata: { name: 'image-repository-check' },
            spec: {
              owner: 'group:default/web-team',
              type: 'service',
              parameters: [],
              steps: [step],
            },
          },
          values: {
            name: 'orders-api',
            owner: 'group:default/web-team',
            system: 'system:default/innovate-web',
          },
          directoryContents: [],
        });
      return {
        status: response.status,
        text: JSON.stringify(response.body),
      };
    }

    it('lets a web-team member run the app templates’ image repository step', async () => {
      const executionsBefore = executions(awsClients);
      const result = await dryRunAs(WEB_TEAM_MEMBER, imageRepositoryStep);
      expect(result.text).not.toMatch(/Unauthorized action/);
      expect(result.status).toBe(200);
      expect(result.text).toMatch(
        /ecr-orders-api: dry run, change set deleted without executing/,
      );
      expect(result.text).toMatch(/Finished step Create the image repository/);
      // A dry run creates and deletes a change set but never executes one.
      expect(executions(awsClients)).toBe(executionsBefore);
      expect(await liveStackNames(awsClients, SHARED_ACCOUNT)).toEqual([]);
    });

    it('refuses a web-team member any other CloudFormation in the shared-services account', async () => {
      const { platformTemplate: _trusted, ...ownTemplate } =
        imageRepositoryStep.input;
      const mutationsBefore = mutationCount(awsClients);
      const result = await dryRunAs(WEB_TEAM_MEMBER, {
        ...imageRepositoryStep,
        input: {
          ...ownTemplate,
          templateBody: 'Resources:\n  Role:\n    Type: AWS::IAM::Role\n',
        },
      });
      expect(result.text).toMatch(
        /Unauthorized action: innovate:cloudformation:deploy/,
      );
      expect(mutationCount(awsClients)).toBe(mutationsBefore);
    });
  });

  it('lets a platform-team member create a prod environment', async () => {
    const taskId = await submitTaskAs(
      server,
      PLATFORM_TEAM_MEMBER,
      prodEnvironmentValues('web-prod', '10.73.0.0/16'),
    );

    const status = await waitForTaskEnd(server, taskId);
    const log = await taskLog(server, taskId);
    expect(`${status}\n${log.slice(-6).join('\n')}`).toMatch(/^completed/);
    const stacks = await environmentStacks(awsClients, 'web-prod', {
      accountId: PROD_ACCOUNT,
      region: REGION,
    });
    expect(stacks.map(s => s.StackName)).toContain('web-prod-network');
    expect(stacks.every(s => s.StackStatus === 'CREATE_COMPLETE')).toBe(true);
  });
});
