import {
  CloudFormationClient,
  paginateDescribeStacks,
} from '@aws-sdk/client-cloudformation';
import { mockCredentials } from '@backstage/backend-test-utils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  ENVIRONMENT_LAYERS,
  createPreviewDryRun,
  createPreviewProblem,
  readCreatePreview,
  stackNameFor,
} from '@internal/plugin-aws-environments-common';
import {
  type SimulatedAwsClientFactory,
  createSimulatedAwsClientFactory,
} from '@internal/plugin-aws-environments-simulator';
import innovatePermissionPolicy from '@internal/plugin-permission-backend-module-innovate-policy';
import path from 'node:path';
import request from 'supertest';
import { signedInUserFeatures } from '../__testUtils__/identities';
import {
  BLUEPRINT_DIR,
  DEV_ACCOUNT,
  PROD_ACCOUNT,
  type PortalServer,
  REPO_ROOT,
  eventually,
  newEnvironmentValues,
  startPortalBackend,
  threeAccounts,
  waitForTemplate,
} from '../__testUtils__/scaffolderBackend';

jest.setTimeout(180_000);

const REGION = 'eu-central-1';
const ACCOUNTS = threeAccounts(REGION);
// Members of group:default/web-team and group:default/platform-team in catalog/org.yaml.
const WEB_TEAM_MEMBER = 'user:default/aisha.khan';
const PLATFORM_TEAM_MEMBER = 'user:default/maria.lopez';

/** Every live stack of the dev and prod accounts: id, status and last change. */
async function stackStates(
  awsClients: SimulatedAwsClientFactory,
): Promise<string[]> {
  const states: string[] = [];
  for (const accountId of [DEV_ACCOUNT, PROD_ACCOUNT]) {
    const client = await awsClients.getClient(CloudFormationClient, {
      accountId,
      region: REGION,
    });
    for await (const page of paginateDescribeStacks({ client }, {})) {
      for (const stack of page.Stacks ?? []) {
        states.push(
          `${stack.StackId} ${stack.StackStatus} ${
            stack.LastUpdatedTime?.toISOString() ?? ''
          }`,
        );
      }
    }
  }
  return states.sort();
}

/**
 * The New form's preview as the field sends it: the New template from the catalog, its deploy step run as
 * innovate:environment:plan in create mode through the scaffolder's dry run, as the person filling in the form.
 */
describe('Preview of a new environment (the New form, before Create)', () => {
  const awsClients = createSimulatedAwsClientFactory({
    blueprintDir: BLUEPRINT_DIR,
    timeScale: 0.002,
  });
  let server: PortalServer;
  let stop: () => Promise<void>;
  let template: any;

  beforeAll(async () => {
    const started = await startPortalBackend({
      awsClients,
      config: { permission: { enabled: true } },
      awsEnvironments: { accounts: ACCOUNTS },
      catalogFiles: [
        path.join(REPO_ROOT, 'catalog/org.yaml'),
        path.join(REPO_ROOT, 'catalog/systems.yaml'),
      ],
      extraFeatures: [
        permissionPlugin,
        innovatePermissionPolicy,
        ...signedInUserFeatures,
      ],
    });
    server = started.server;
    stop = () => started.backend.stop();
    await waitForTemplate(server, 'aws-environment');
    await eventually(async () => {
      const responses = await Promise.all(
        [
          'system/default/innovate-web',
          'user/default/aisha.khan',
          'user/default/maria.lopez',
        ].map(ref =>
          request(server).get(`/api/catalog/entities/by-name/${ref}`),
        ),
      );
      return responses.every(response => response.status === 200);
    }, 'the organization and systems in the catalog');
    template = (
      await request(server).get(
        '/api/catalog/entities/by-name/template/default/aws-environment',
      )
    ).body;
  });

  afterAll(async () => {
    await stop?.();
  });

  async function preview(as: string, values: Record<string, unknown>) {
    const response = await request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', mockCredentials.user.header(as))
      .send(createPreviewDryRun(template, values));
    return response;
  }

  it.each([
    [
      'a platform-team member',
      PLATFORM_TEAM_MEMBER,
      'preview-platform',
      '10.81.0.0/16',
    ],
    [
      'a web-team member, in a system the web team owns',
      WEB_TEAM_MEMBER,
      'preview-web',
      '10.82.0.0/16',
    ],
  ])(
    'shows %s the six stacks a dev environment gets, each CREATE with its resources, and changes nothing',
    async (_, as, name, cidr) => {
      const before = await stackStates(awsClients);

      const response = await preview(as, newEnvironmentValues(name, cidr));

      expect(response.status).toBe(200);
      const result = readCreatePreview(response.body);
      expect(result.stacks.map(s => s.stackName)).toEqual(
        ENVIRONMENT_LAYERS.map(layer => stackNameFor(name, layer)),
      );
      for (const stack of result.stacks) {
        expect(stack.changeSetType).toBe('CREATE');
        expect(stack.changes.length).toBeGreaterThan(0);
        expect(stack.changes.every(c => c.action === 'Add')).toBe(true);
      }
      // The network stack has no inputs: CloudFormation described its change set.
      expect(result.stacks[0].source).toBe('change-set');
      expect(result.stacks[0].changes.map(c => c.resourceType)).toContain(
        'AWS::EC2::VPC',
      );
      expect(result.replacements).toEqual([]);
      expect(result.summary).toMatch(
        new RegExp(
          `^${name}: 6 stack\\(s\\) to create \\(\\d+ resources\\), 0 to update`,
        ),
      );
      expect(await stackStates(awsClients)).toEqual(before);
    },
  );

  it('refuses a web-team member a production environment in a sentence, and changes nothing', async () => {
    const before = await stackStates(awsClients);

    const response = await preview(WEB_TEAM_MEMBER, {
      ...newEnvironmentValues('preview-live', '10.83.0.0/16'),
      stage: 'prod',
      accountId: PROD_ACCOUNT,
      azCount: 3,
      natGateways: 'per-az',
    });

    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(createPreviewProblem(response.body, response.status)).toBe(
      'You may not create this environment with these settings, so it cannot be previewed: the permission policy refuses it (production environments, and environments of systems your teams do not own, are created by the platform team).',
    );
    expect(await stackStates(awsClients)).toEqual(before);
  });

  it('lets a platform-team member preview the same production environment', async () => {
    const response = await preview(PLATFORM_TEAM_MEMBER, {
      ...newEnvironmentValues('preview-live', '10.83.0.0/16'),
      stage: 'prod',
      accountId: PROD_ACCOUNT,
      azCount: 3,
      natGateways: 'per-az',
    });

    expect(response.status).toBe(200);
    expect(readCreatePreview(response.body).stacks).toHaveLength(6);
  });

  it('refuses a name that exists with the action sentence that points to the Update template', async () => {
    const before = await stackStates(awsClients);

    const response = await preview(
      PLATFORM_TEAM_MEMBER,
      newEnvironmentValues('innovate-dev', '10.84.0.0/16'),
    );

    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(createPreviewProblem(response.body, response.status)).toMatch(
      /^innovate-dev already exists \(.*\)\. Pick another name, or use the "Update an AWS environment" template to change it\.$/,
    );
    expect(await stackStates(awsClients)).toEqual(before);
  });

  it('names the form field of input the action refuses', async () => {
    const response = await preview(PLATFORM_TEAM_MEMBER, {
      ...newEnvironmentValues('preview-owner', '10.86.0.0/16'),
      owner: WEB_TEAM_MEMBER,
    });

    expect(response.status).toBeGreaterThanOrEqual(400);
    const problem = createPreviewProblem(response.body, response.status);
    expect(problem).toBe(
      `Owner must be a group such as group:default/web-team, not ${WEB_TEAM_MEMBER}.`,
    );
    expect(problem).not.toMatch(/\n\s+at |ZodError|instance\./);
  });

  it("names the form field a person left empty, in the template's words", async () => {
    const { costCenter: _, ...values } = newEnvironmentValues(
      'preview-empty',
      '10.85.0.0/16',
    );

    const response = await preview(PLATFORM_TEAM_MEMBER, values);

    expect(response.status).toBe(400);
    expect(createPreviewProblem(response.body, response.status)).toBe(
      'Enter a value for Cost center.',
    );
  });
});
