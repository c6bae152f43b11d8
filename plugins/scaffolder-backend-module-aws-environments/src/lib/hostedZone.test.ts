import { Route53Client } from '@aws-sdk/client-route-53';
import { InputError, NotAllowedError } from '@backstage/errors';
import { type AwsClientFactory } from '@internal/plugin-aws-environments-node';
import { createSimulatedAwsClientFactory } from '@internal/plugin-aws-environments-simulator';
import { assertHostedZoneServesDomain } from './hostedZone';

const dev = { accountId: '222222222222', region: 'eu-central-1' };
const prod = { accountId: '333333333333', region: 'eu-central-1' };

describe('assertHostedZoneServesDomain', () => {
  const awsClients = createSimulatedAwsClientFactory({
    seedEnvironments: false,
  });
  const check = (
    target: typeof dev,
    domainName: string | undefined,
    hostedZoneId: string | undefined,
  ) =>
    assertHostedZoneServesDomain({
      awsClients,
      target,
      domainName,
      hostedZoneId,
    });
  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      e => e,
    );
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  };

  beforeEach(() => awsClients.resetRequestCounts());

  it('has nothing to check without a domain and a zone', async () => {
    await expect(check(dev, '', '')).resolves.toBeUndefined();
    await expect(check(dev, undefined, undefined)).resolves.toBeUndefined();
    await expect(check(dev, 'none', 'none')).resolves.toBeUndefined();
    await expect(check(dev, '  ', '')).resolves.toBeUndefined();
    expect(awsClients.getRequestCounts()).toEqual({});
  });

  it('refuses a domain without a zone id, before any AWS call', async () => {
    expect(await refusal(check(dev, 'app.innovate.example', ''))).toBe(
      'Route 53 hosted zone id: a domain name needs the public hosted zone that serves it.',
    );
    await refusal(check(dev, 'app.innovate.example', 'none'));
    expect(awsClients.getRequestCounts()).toEqual({});
  });

  it('refuses a zone id without a domain, before any AWS call', async () => {
    expect(await refusal(check(dev, '', 'Z0DEVINNOVATEEXAMPLE'))).toBe(
      'Domain name: the hosted zone Z0DEVINNOVATEEXAMPLE is only used with a domain name, so enter the domain it serves or clear Route 53 hosted zone id.',
    );
    expect(awsClients.getRequestCounts()).toEqual({});
  });

  it('refuses a zone id that does not exist in the account', async () => {
    expect(
      await refusal(check(dev, 'innovate.example', 'Z0NOSUCHZONE0000')),
    ).toBe(
      'Route 53 hosted zone id: there is no hosted zone Z0NOSUCHZONE0000 in account 222222222222 (innovate-dev), so enter the id of a public hosted zone of that account.',
    );
  });

  it("refuses another account's zone", async () => {
    const message = await refusal(
      check(dev, 'app.innovate.example', 'Z0PRODAPPINNOVATEEXAMPLE'),
    );
    expect(message).toContain(
      'no hosted zone Z0PRODAPPINNOVATEEXAMPLE in account 222222222222',
    );
  });

  it('refuses an id Route 53 rejects as malformed', async () => {
    expect(
      await refusal(check(dev, 'innovate.example', `Z${'A'.repeat(33)}`)),
    ).toMatch(
      /^Route 53 hosted zone id: ZA{33} is not a valid hosted zone id, /,
    );
  });

  it('refuses a private zone: CloudFront needs a public one', async () => {
    expect(
      await refusal(
        check(dev, 'web.innovate.internal', 'Z0DEVINNOVATEINTERNAL'),
      ),
    ).toBe(
      'Route 53 hosted zone id: Z0DEVINNOVATEINTERNAL (innovate.internal) is a private hosted zone and CloudFront needs a public one, so enter the id of the public zone that serves web.innovate.internal.',
    );
  });

  it('refuses a domain outside the zone', async () => {
    expect(
      await refusal(check(dev, 'app.example.org', 'Z0DEVINNOVATEEXAMPLE')),
    ).toBe(
      'Domain name: app.example.org is not in the hosted zone innovate.example (Z0DEVINNOVATEEXAMPLE), so enter a domain in innovate.example or change Route 53 hosted zone id to the zone that serves app.example.org.',
    );
    // A suffix that is not a parent label does not count.
    await refusal(check(dev, 'notinnovate.example', 'Z0DEVINNOVATEEXAMPLE'));
    // A parent of the zone is not in it.
    const message = await refusal(
      check(prod, 'innovate.example', 'Z0PRODAPPINNOVATEEXAMPLE'),
    );
    expect(message).toContain(
      'innovate.example is not in the hosted zone app.innovate.example (Z0PRODAPPINNOVATEEXAMPLE)',
    );
  });

  it('accepts the zone apex and subdomains of it', async () => {
    await expect(
      check(dev, 'innovate.example', 'Z0DEVINNOVATEEXAMPLE'),
    ).resolves.toEqual({
      hostedZoneId: 'Z0DEVINNOVATEEXAMPLE',
      zoneName: 'innovate.example',
      domainName: 'innovate.example',
    });
    await expect(
      check(dev, 'app.innovate.example', 'Z0DEVINNOVATEEXAMPLE'),
    ).resolves.toMatchObject({ zoneName: 'innovate.example' });
    await expect(
      check(prod, 'app.innovate.example', 'Z0PRODAPPINNOVATEEXAMPLE'),
    ).resolves.toMatchObject({ zoneName: 'app.innovate.example' });
    await expect(
      check(prod, 'eu.app.innovate.example', 'Z0PRODAPPINNOVATEEXAMPLE'),
    ).resolves.toMatchObject({ domainName: 'eu.app.innovate.example' });
    expect(awsClients.getRequestCounts()).toEqual({
      route53: { GetHostedZone: 4 },
    });
  });

  it('accepts the forms AWS and people write: prefix, trailing dot, upper case, spaces', async () => {
    await expect(
      check(
        dev,
        ' App.Innovate.Example. ',
        ' /hostedzone/Z0DEVINNOVATEEXAMPLE ',
      ),
    ).resolves.toEqual({
      hostedZoneId: 'Z0DEVINNOVATEEXAMPLE',
      zoneName: 'innovate.example',
      domainName: 'app.innovate.example',
    });
  });

  it('lets the allowlist refusal through for an account the portal may not use', async () => {
    await expect(
      check(
        { accountId: '999999999999', region: 'eu-central-1' },
        'innovate.example',
        'Z0DEVINNOVATEEXAMPLE',
      ),
    ).rejects.toThrow(NotAllowedError);
  });

  describe('with a Route 53 that fails otherwise', () => {
    const failingFactory = (failure: Error): AwsClientFactory => ({
      mode: 'simulated',
      listAccounts: () => awsClients.listAccounts(),
      assertAllowed: target => awsClients.assertAllowed(target),
      getClient: (async (clientClass: unknown) => {
        expect(clientClass).toBe(Route53Client);
        return { send: async () => Promise.reject(failure) };
      }) as AwsClientFactory['getClient'],
    });

    it('propagates other AWS errors unchanged', async () => {
      const denied = Object.assign(
        new Error('User is not authorized to perform: route53:GetHostedZone'),
        { name: 'AccessDenied' },
      );
      await expect(
        assertHostedZoneServesDomain({
          awsClients: failingFactory(denied),
          target: dev,
          domainName: 'innovate.example',
          hostedZoneId: 'Z0DEVINNOVATEEXAMPLE',
        }),
      ).rejects.toBe(denied);
    });

    it('recognises NoSuchHostedZone by name (a shared simulation rebuilds errors without the class)', async () => {
      const missing = Object.assign(
        new Error('No hosted zone found with ID: Z0X'),
        {
          name: 'NoSuchHostedZone',
        },
      );
      await expect(
        assertHostedZoneServesDomain({
          awsClients: failingFactory(missing),
          target: prod,
          domainName: 'innovate.example',
          hostedZoneId: 'Z0XXXXXXXXXX',
        }),
      ).rejects.toThrow(
        'Route 53 hosted zone id: there is no hosted zone Z0XXXXXXXXXX in account 333333333333 (innovate-prod)',
      );
    });
  });
});
