import {
  DeleteStackCommand,
  UpdateTerminationProtectionCommand,
} from '@aws-sdk/client-cloudformation';
import {
  TAG_ENVIRONMENT,
  TAG_LAYER,
  TAG_STAGE,
} from '@internal/plugin-aws-environments-common';
import 'aws-sdk-client-mock-jest';
import yaml from 'yaml';
import { actionContext, setup } from '../__testUtils__/actionHarness';
import { createEnvironmentDestroyAction } from './environmentDestroy';
import { examples } from './environmentDestroy.examples';

const LAYERS = [
  'network',
  'security',
  'data',
  'compute',
  'edge',
  'observability',
];

function seedEnvironment(
  cloudFormation: ReturnType<typeof setup>['cloudFormation'],
  name: string,
  stage: string,
) {
  for (const layer of LAYERS) {
    cloudFormation.seedStack({
      stackName: `${name}-${layer}`,
      tags: { [TAG_ENVIRONMENT]: name, [TAG_LAYER]: layer, [TAG_STAGE]: stage },
      terminationProtection: stage === 'prod',
    });
  }
}

describe('innovate:environment:destroy', () => {
  it('tells the catalog and the insights backend that the environment is gone, once its stacks are deleted', async () => {
    const { cloudFormation, deps } = setup();
    seedEnvironment(cloudFormation, 'innovate-qa', 'dev');
    const publish = jest.fn(async () => {
      // Announced only after the last stack is gone.
      expect(
        cloudFormation.timeline.filter(entry => entry.startsWith('deleted:')),
      ).toHaveLength(LAYERS.length);
    });
    const { ctx } = actionContext({
      name: 'innovate-qa',
      accountId: '222222222222',
      region: 'eu-central-1',
    });

    await createEnvironmentDestroyAction({
      ...deps,
      events: { publish, subscribe: jest.fn() },
    }).handler(ctx);

    expect(publish).toHaveBeenCalledTimes(1);
    expect(publish).toHaveBeenCalledWith({
      topic: 'aws-environments.changed',
      eventPayload: {
        environment: 'innovate-qa',
        accountId: '222222222222',
        region: 'eu-central-1',
        removed: true,
      },
    });
  });

  it('deletes stacks in reverse dependency order', async () => {
    const { cloudFormation, deps } = setup();
    seedEnvironment(cloudFormation, 'innovate-qa', 'dev');
    seedEnvironment(cloudFormation, 'innovate-dev', 'dev');
    const { ctx, outputs } = actionContext({
      name: 'innovate-qa',
      accountId: '222222222222',
      region: 'eu-central-1',
    });

    await createEnvironmentDestroyAction(deps).handler(ctx);

    const at = (entry: string) => cloudFormation.timeline.indexOf(entry);
    expect(at('delete:innovate-qa-observability')).toBeGreaterThanOrEqual(0);
    expect(at('delete:innovate-qa-edge')).toBeGreaterThan(
      at('deleted:innovate-qa-observability'),
    );
    expect(at('delete:innovate-qa-compute')).toBeGreaterThan(
      at('deleted:innovate-qa-edge'),
    );
    expect(at('delete:innovate-qa-data')).toBeGreaterThan(
      at('deleted:innovate-qa-observability'),
    );
    expect(at('delete:innovate-qa-security')).toBeGreaterThan(
      at('deleted:innovate-qa-data'),
    );
    expect(at('delete:innovate-qa-security')).toBeGreaterThan(
      at('deleted:innovate-qa-compute'),
    );
    expect(at('delete:innovate-qa-network')).toBeGreaterThan(
      at('deleted:innovate-qa-security'),
    );
    expect((outputs.deleted as string[]).sort()).toEqual(
      LAYERS.map(l => `innovate-qa-${l}`).sort(),
    );
    expect(outputs.skipped).toEqual([]);
    // The other environment in the account is untouched.
    expect(
      [...cloudFormation.stacks.keys()].every(k =>
        k.startsWith('innovate-dev-'),
      ),
    ).toBe(true);
  });

  it('refuses a production environment without confirmation and deletes nothing', async () => {
    const { cloudFormation, deps } = setup();
    seedEnvironment(cloudFormation, 'innovate-prod', 'prod');
    const { ctx } = actionContext({
      name: 'innovate-prod',
      accountId: '333333333333',
      region: 'eu-central-1',
    });

    await expect(
      createEnvironmentDestroyAction(deps).handler(ctx),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringMatching(/This is a production environment and I mean to delete it/),
    });
    expect(cloudFormation.mock).toHaveReceivedCommandTimes(
      DeleteStackCommand,
      0,
    );
    expect(cloudFormation.stacks.size).toBe(6);
  });

  it('with confirmation turns termination protection off first, then deletes', async () => {
    const { cloudFormation, deps } = setup();
    seedEnvironment(cloudFormation, 'innovate-prod', 'prod');
    const { ctx, outputs } = actionContext({
      name: 'innovate-prod',
      accountId: '333333333333',
      region: 'eu-central-1',
      confirmProduction: true,
    });

    await createEnvironmentDestroyAction(deps).handler(ctx);

    expect(cloudFormation.mock).toHaveReceivedCommandWith(
      UpdateTerminationProtectionCommand,
      {
        StackName: 'innovate-prod-network',
        EnableTerminationProtection: false,
      },
    );
    expect(
      cloudFormation.timeline.indexOf('protection:innovate-prod-network:false'),
    ).toBeLessThan(
      cloudFormation.timeline.indexOf('delete:innovate-prod-network'),
    );
    expect(cloudFormation.stacks.size).toBe(0);
    expect(outputs.deleted).toHaveLength(6);
  });

  it('in a dry run deletes nothing and reports what it would delete', async () => {
    const { cloudFormation, deps } = setup();
    seedEnvironment(cloudFormation, 'innovate-qa', 'dev');
    const { ctx, outputs } = actionContext(
      {
        name: 'innovate-qa',
        accountId: '222222222222',
        region: 'eu-central-1',
      },
      { isDryRun: true },
    );
    await createEnvironmentDestroyAction(deps).handler(ctx);
    expect(cloudFormation.mock).toHaveReceivedCommandTimes(
      DeleteStackCommand,
      0,
    );
    expect(outputs.skipped).toHaveLength(6);
  });

  it('rejects an account not on the allowlist before any AWS call', async () => {
    const { cloudFormation, deps } = setup();
    const { ctx } = actionContext({
      name: 'innovate-qa',
      accountId: '444444444444',
      region: 'eu-central-1',
    });
    await expect(
      createEnvironmentDestroyAction(deps).handler(ctx),
    ).rejects.toMatchObject({
      name: 'InputError',
    });
    expect(cloudFormation.mock.calls()).toHaveLength(0);
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_, example) => {
      const { cloudFormation, deps } = setup();
      const input = yaml.parse(example).steps[0].input;
      seedEnvironment(
        cloudFormation,
        input.name,
        input.confirmProduction ? 'prod' : 'dev',
      );
      await createEnvironmentDestroyAction(deps).handler(
        actionContext(input).ctx,
      );
      expect(cloudFormation.stacks.size).toBe(0);
    },
  );
});
