import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CloudFormationClient,
  CloudFormationServiceException,
  CreateStackCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_SIMULATED_ACCOUNTS,
  readAwsEnvironmentsSettings,
} from '@internal/plugin-aws-environments-node';
import { createAwsClientFactoryWithSimulation as createAwsClientFactory } from './factory';
import { SimulatedAwsClientFactory } from './SimulatedAwsClientFactory';
import { DATABASE_TEMPLATE } from './__testUtils__/templates';
import { SimulatedAwsOrganization } from './SimulatedAwsOrganization';
import {
  createSharedSimulationHandler,
  SharedSimulatedAwsOrganization,
} from './shared';

const dev = { accountId: '222222222222', region: 'eu-central-1' };

describe('a simulated organization shared between processes', () => {
  let server: http.Server;
  let url: string;
  const callers: string[] = [];

  beforeAll(async () => {
    const organization = new SimulatedAwsOrganization({
      seedEnvironments: false,
      timeScale: 0,
      now: () => Date.parse('2026-06-01T08:00:00Z'),
    });
    const serve = createSharedSimulationHandler(organization, {
      onAnswered: (_request, caller) => callers.push(caller ?? ''),
    });
    server = http.createServer(async (request, response) => {
      if (!(await serve(request, response))) {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>(resolve =>
      server.listen(0, '127.0.0.1', () => resolve()),
    );
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise(resolve => server.close(resolve));
  });

  const backendFactory = (caller: string) =>
    new SimulatedAwsClientFactory({
      endpoint: new SharedSimulatedAwsOrganization({
        url,
        accounts: DEFAULT_SIMULATED_ACCOUNTS,
        caller,
      }),
    });

  it('shows a stack one backend created to another backend', async () => {
    const first = await backendFactory('replica-a').getClient(
      CloudFormationClient,
      dev,
    );
    await first.send(
      new CreateStackCommand({
        StackName: 'innovate-qa-data',
        TemplateBody: DATABASE_TEMPLATE,
        Parameters: [
          { ParameterKey: 'EnvironmentName', ParameterValue: 'innovate-qa' },
        ],
      }),
    );

    const second = await backendFactory('replica-b').getClient(
      CloudFormationClient,
      dev,
    );
    const { Stacks } = await second.send(
      new DescribeStacksCommand({ StackName: 'innovate-qa-data' }),
    );
    expect(Stacks![0].StackStatus).toBe('CREATE_COMPLETE');
    // Dates cross the process boundary as dates, as the SDK would parse them.
    expect(Stacks![0].CreationTime!.toISOString()).toMatch(/^2026-06-01T/);
    expect(callers).toEqual(['replica-a', 'replica-b']);
  });

  it('raises AWS errors as the SDK exception classes callers check for', async () => {
    const client = await backendFactory('replica-a').getClient(
      CloudFormationClient,
      dev,
    );
    const failure = await client
      .send(new DescribeStacksCommand({ StackName: 'no-such-stack' }))
      .catch(error => error);
    expect(failure).toBeInstanceOf(CloudFormationServiceException);
    expect(failure.message).toMatch(/no-such-stack does not exist/);
  });

  it('refuses to run against a shared organization that lacks one of its accounts', async () => {
    const factory = new SimulatedAwsClientFactory({
      endpoint: new SharedSimulatedAwsOrganization({
        url,
        accounts: [
          ...DEFAULT_SIMULATED_ACCOUNTS,
          {
            accountId: '444444444444',
            name: 'innovate-sandbox',
            stage: 'dev',
            regions: ['eu-central-1'],
            defaultRegion: 'eu-central-1',
          },
        ],
      }),
    });
    await expect(factory.getClient(CloudFormationClient, dev)).rejects.toThrow(
      /has no account 444444444444/,
    );
  });

  it('says which URL it could not reach', async () => {
    const factory = new SimulatedAwsClientFactory({
      endpoint: new SharedSimulatedAwsOrganization({
        url: 'http://127.0.0.1:9',
        accounts: DEFAULT_SIMULATED_ACCOUNTS,
      }),
    });
    await expect(factory.getClient(CloudFormationClient, dev)).rejects.toThrow(
      /The shared simulated AWS organization at http:\/\/127\.0\.0\.1:9 \(awsEnvironments\.simulation\.sharedUrl\) is not available/,
    );
  });

  it('is what simulation.sharedUrl configures', async () => {
    const factory = createAwsClientFactory({
      config: new ConfigReader({
        awsEnvironments: { mode: 'simulated', simulation: { sharedUrl: url } },
      }),
    }) as SimulatedAwsClientFactory;
    const client = await factory.getClient(CloudFormationClient, dev);
    const { Stacks } = await client.send(
      new DescribeStacksCommand({ StackName: 'innovate-qa-data' }),
    );
    expect(Stacks).toHaveLength(1);
    expect(() => factory.organization).toThrow(/runs in another process/);
  });

  it('rejects a sharedUrl that is not an http(s) URL', () => {
    expect(() =>
      readAwsEnvironmentsSettings(
        new ConfigReader({
          awsEnvironments: {
            mode: 'simulated',
            simulation: { sharedUrl: '127.0.0.1:7300' },
          },
        }),
      ),
    ).toThrow(/simulation.sharedUrl must be an http\(s\) URL/);
  });
});
