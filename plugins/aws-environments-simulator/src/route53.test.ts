import {
  GetHostedZoneCommand,
  InvalidInput,
  NoSuchHostedZone,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { DEFAULT_SIMULATED_ACCOUNTS } from '@internal/plugin-aws-environments-node';
import { createSimulatedAwsClientFactory } from './factory';
import { SIMULATED_HOSTED_ZONES } from './route53';

const shared = { accountId: '111111111111', region: 'eu-central-1' };
const dev = { accountId: '222222222222', region: 'eu-central-1' };
const prod = { accountId: '333333333333', region: 'eu-central-1' };

describe('simulated Route 53', () => {
  const factory = createSimulatedAwsClientFactory({ seedEnvironments: false });
  const client = (target: typeof dev) =>
    factory.getClient(Route53Client, target);

  it('answers GetHostedZone in the shape of the SDK', async () => {
    const route53 = await client(dev);
    const answer = await route53.send(
      new GetHostedZoneCommand({ Id: 'Z0DEVINNOVATEEXAMPLE' }),
    );
    expect(answer.HostedZone).toEqual({
      Id: '/hostedzone/Z0DEVINNOVATEEXAMPLE',
      Name: 'innovate.example.',
      CallerReference: expect.any(String),
      Config: { Comment: expect.any(String), PrivateZone: false },
      ResourceRecordSetCount: expect.any(Number),
    });
    expect(answer.DelegationSet?.NameServers).toHaveLength(4);
    expect(answer.DelegationSet?.NameServers?.[0]).toMatch(
      /^ns-\d+\.awsdns-\d{2}\.org$/,
    );
    expect(answer.VPCs).toBeUndefined();
    expect(answer.$metadata.httpStatusCode).toBe(200);
  });

  it('accepts the id with the /hostedzone/ prefix, as the SDK does', async () => {
    const route53 = await client(prod);
    const answer = await route53.send(
      new GetHostedZoneCommand({ Id: '/hostedzone/Z0PRODAPPINNOVATEEXAMPLE' }),
    );
    expect(answer.HostedZone?.Name).toBe('app.innovate.example.');
  });

  it('answers a private zone with its VPC and no delegation set', async () => {
    const route53 = await client(dev);
    const answer = await route53.send(
      new GetHostedZoneCommand({ Id: 'Z0DEVINNOVATEINTERNAL' }),
    );
    expect(answer.HostedZone?.Config?.PrivateZone).toBe(true);
    expect(answer.VPCs).toEqual([
      {
        VPCRegion: 'eu-central-1',
        VPCId: expect.stringMatching(/^vpc-[0-9a-f]{17}$/),
      },
    ]);
    expect(answer.DelegationSet).toBeUndefined();
  });

  it('fails an unknown id with NoSuchHostedZone (404)', async () => {
    const route53 = await client(dev);
    const failure = await route53
      .send(new GetHostedZoneCommand({ Id: 'Z0NOSUCHZONE00000' }))
      .catch(e => e);
    expect(failure).toBeInstanceOf(NoSuchHostedZone);
    expect(failure.name).toBe('NoSuchHostedZone');
    expect(failure.message).toBe(
      'No hosted zone found with ID: Z0NOSUCHZONE00000',
    );
    expect(failure.$metadata.httpStatusCode).toBe(404);
  });

  it('fails an id longer than 32 characters with InvalidInput', async () => {
    const route53 = await client(dev);
    const failure = await route53
      .send(new GetHostedZoneCommand({ Id: `Z${'A'.repeat(32)}` }))
      .catch(e => e);
    expect(failure).toBeInstanceOf(InvalidInput);
    expect(failure.$metadata.httpStatusCode).toBe(400);
  });

  it('keeps each account to its own zones', async () => {
    const devZone = new GetHostedZoneCommand({ Id: 'Z0DEVINNOVATEEXAMPLE' });
    const prodZone = new GetHostedZoneCommand({ Id: 'Z0PRODINNOVATEEXAMPLE' });
    await expect((await client(prod)).send(devZone)).rejects.toThrow(
      NoSuchHostedZone,
    );
    await expect((await client(dev)).send(prodZone)).rejects.toThrow(
      NoSuchHostedZone,
    );
    await expect((await client(shared)).send(devZone)).rejects.toThrow(
      NoSuchHostedZone,
    );
    expect((await (await client(prod)).send(prodZone)).HostedZone?.Name).toBe(
      'innovate.example.',
    );
  });

  it('seeds every documented zone, each with an id in the shape of AWS', async () => {
    const route53Dev = await client(dev);
    const route53Prod = await client(prod);
    for (const [stage, zones] of Object.entries(SIMULATED_HOSTED_ZONES)) {
      for (const zone of zones) {
        expect(zone.id).toMatch(/^Z[A-Z0-9]{10,32}$/);
        expect(zone.name).toMatch(/\.$/);
        const answer = await (stage === 'dev' ? route53Dev : route53Prod).send(
          new GetHostedZoneCommand({ Id: zone.id }),
        );
        expect(answer.HostedZone?.Name).toBe(zone.name);
      }
    }
  });

  it('answers the same in every Region of the account (global service)', async () => {
    const twoRegions = createSimulatedAwsClientFactory({
      seedEnvironments: false,
      accounts: DEFAULT_SIMULATED_ACCOUNTS.map(a => ({
        ...a,
        regions: ['eu-central-1', 'us-east-1'],
      })),
    });
    const command = new GetHostedZoneCommand({ Id: 'Z0PRODINNOVATEEXAMPLE' });
    const frankfurt = await (
      await twoRegions.getClient(Route53Client, prod)
    ).send(command);
    const virginia = await (
      await twoRegions.getClient(Route53Client, {
        ...prod,
        region: 'us-east-1',
      })
    ).send(command);
    const { $metadata: _a, ...inFrankfurt } = frankfurt;
    const { $metadata: _b, ...inVirginia } = virginia;
    expect(inVirginia).toEqual(inFrankfurt);
    expect(twoRegions.getRequestCounts().route53).toEqual({ GetHostedZone: 2 });
  });

  it('puts the seeded zones in the first dev and prod accounts of the configuration', async () => {
    const custom = createSimulatedAwsClientFactory({
      seedEnvironments: false,
      accounts: [
        {
          accountId: '444444444444',
          name: 'qa',
          stage: 'staging',
          regions: ['eu-west-1'],
          defaultRegion: 'eu-west-1',
        },
        {
          accountId: '555555555555',
          name: 'live',
          stage: 'prod',
          regions: ['eu-west-1'],
          defaultRegion: 'eu-west-1',
        },
      ],
    });
    const qa = await custom.getClient(Route53Client, {
      accountId: '444444444444',
      region: 'eu-west-1',
    });
    const answer = await qa.send(
      new GetHostedZoneCommand({ Id: 'Z0DEVINNOVATEINTERNAL' }),
    );
    expect(answer.VPCs?.[0]?.VPCRegion).toBe('eu-west-1');
  });
});
