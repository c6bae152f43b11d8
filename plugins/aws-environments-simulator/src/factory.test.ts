import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  awsClientFactoryServiceRef,
  type AwsClientFactory,
} from '@internal/plugin-aws-environments-node';
import {
  awsClientFactoryWithSimulation,
  createSimulatedAwsClientFactory,
} from './factory';
import { DATABASE_TEMPLATE } from './__testUtils__/templates';

describe('awsClientFactoryServiceRef', () => {
  it('gives every plugin the same factory, in the mode config asks for', async () => {
    const seen: AwsClientFactory[] = [];
    const consumer = (pluginId: string) =>
      createBackendPlugin({
        pluginId,
        register(env) {
          env.registerInit({
            deps: { aws: awsClientFactoryServiceRef },
            async init({ aws }) {
              seen.push(aws);
            },
          });
        },
      });

    const backend = await startTestBackend({
      features: [
        consumer('first'),
        consumer('second'),
        awsClientFactoryWithSimulation,
        mockServices.rootConfig.factory({
          data: {
            awsEnvironments: {
              mode: 'simulated',
              blueprintDir: '/nonexistent',
              simulation: { seed: 1 },
            },
          },
        }),
      ],
    });

    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(seen[1]);
    expect(seen[0].mode).toBe('simulated');
    await backend.stop();
  });
});

describe('simulation state file', () => {
  it('keeps provisioned stacks across a restart', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-sim-'));
    const stateFile = path.join(dir, 'state.json');
    const now = () => Date.parse('2026-06-01T08:00:00Z');
    const target = { accountId: '222222222222', region: 'eu-central-1' };
    try {
      const before = createSimulatedAwsClientFactory({
        seedEnvironments: false,
        stateFile,
        timeScale: 0,
        now,
      });
      const client = await before.getClient(CloudFormationClient, target);
      await client.send(
        new CreateStackCommand({
          StackName: 'innovate-qa-data',
          TemplateBody: DATABASE_TEMPLATE,
          Parameters: [
            { ParameterKey: 'EnvironmentName', ParameterValue: 'innovate-qa' },
          ],
        }),
      );
      before.organization.saveNow();

      const after = createSimulatedAwsClientFactory({
        seedEnvironments: false,
        stateFile,
        timeScale: 0,
        now,
      });
      const restored = await after.getClient(CloudFormationClient, target);
      const { Stacks } = await restored.send(
        new DescribeStacksCommand({ StackName: 'innovate-qa-data' }),
      );
      expect(Stacks![0].StackStatus).toBe('CREATE_COMPLETE');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
