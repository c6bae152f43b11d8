import { DetectStackDriftCommand } from '@aws-sdk/client-cloudformation';
import {
  TAG_ENVIRONMENT,
  TAG_LAYER,
} from '@internal/plugin-aws-environments-common';
import 'aws-sdk-client-mock-jest';
import yaml from 'yaml';
import { actionContext, setup } from '../__testUtils__/actionHarness';
import { createEnvironmentDriftAction } from './environmentDrift';
import { examples } from './environmentDrift.examples';

function seed(
  cloudFormation: ReturnType<typeof setup>['cloudFormation'],
  name: string,
) {
  for (const layer of ['network', 'security']) {
    cloudFormation.seedStack({
      stackName: `${name}-${layer}`,
      tags: { [TAG_ENVIRONMENT]: name, [TAG_LAYER]: layer },
    });
  }
}

describe('innovate:environment:drift', () => {
  it('reports drifted stacks and their drifted resources', async () => {
    const { cloudFormation, deps } = setup();
    seed(cloudFormation, 'innovate-prod');
    cloudFormation.drifted.set('innovate-prod-security', ['AlbSecurityGroup']);
    const { ctx, outputs, lines } = actionContext({
      name: 'innovate-prod',
      accountId: '333333333333',
      region: 'eu-central-1',
    });

    await createEnvironmentDriftAction(deps).handler(ctx);

    expect(outputs.drifted).toBe(true);
    expect(outputs.drift).toEqual([
      {
        stackName: 'innovate-prod-network',
        driftStatus: 'IN_SYNC',
        driftedResources: [],
      },
      {
        stackName: 'innovate-prod-security',
        driftStatus: 'DRIFTED',
        driftedResources: [
          {
            logicalId: 'AlbSecurityGroup',
            resourceType: 'AWS::EC2::SecurityGroup',
            status: 'MODIFIED',
          },
        ],
      },
    ]);
    expect(lines.some(l => l.includes('MODIFIED AlbSecurityGroup'))).toBe(true);
  });

  it('rejects a bad environment name before any AWS call', async () => {
    const { cloudFormation, deps } = setup();
    const { ctx } = actionContext({
      name: 'x',
      accountId: '333333333333',
      region: 'eu-central-1',
    });
    await expect(
      createEnvironmentDriftAction(deps).handler(ctx),
    ).rejects.toMatchObject({
      name: 'InputError',
    });
    expect(cloudFormation.mock.calls()).toHaveLength(0);
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_, example) => {
      const { cloudFormation, deps } = setup();
      seed(cloudFormation, 'innovate-prod');
      const { ctx, outputs } = actionContext(
        yaml.parse(example).steps[0].input,
      );
      await createEnvironmentDriftAction(deps).handler(ctx);
      expect(cloudFormation.mock).toHaveReceivedCommandTimes(
        DetectStackDriftCommand,
        2,
      );
      expect(outputs.drifted).toBe(false);
    },
  );
});
