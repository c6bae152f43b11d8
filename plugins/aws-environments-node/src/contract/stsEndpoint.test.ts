import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CloudFormationClient,
  paginateDescribeStacks,
} from '@aws-sdk/client-cloudformation';
import { EKSClient, DescribeClusterCommand } from '@aws-sdk/client-eks';
import { DefaultAwsClientFactory } from '../DefaultAwsClientFactory';
import {
  AwsWire,
  XMLNS,
  guardDns,
  isolateFromAwsEnvironment,
  queryError,
  queryResult,
  restJson,
} from './awsWire';
import {
  DEV,
  DEV_ACCOUNT,
  MAIN_KEYS,
  PROD_ACCOUNT,
  REGION,
  answerAssumeRole,
  endpointsTo,
  realModeConfig,
  realModeFactory,
  sessionKeysFor,
} from './realMode';

/** What the catalog provider does with each account: every stack, all pages. */
async function listStackNames(
  factory: DefaultAwsClientFactory,
  target = DEV,
): Promise<string[]> {
  const client = await factory.getClient(CloudFormationClient, target);
  const names: string[] = [];
  for await (const page of paginateDescribeStacks({ client }, {})) {
    names.push(...(page.Stacks ?? []).map(s => s.StackName ?? ''));
  }
  return names;
}

function answerDescribeStacks(wire: AwsWire) {
  wire.on(
    'cloudformation',
    'DescribeStacks',
    queryResult(XMLNS.cloudformation, 'DescribeStacks', {
      Stacks: [
        {
          StackId: `arn:aws:cloudformation:${REGION}:${DEV_ACCOUNT}:stack/innovate-dev-network/0d1c2b3a-0000-4000-8000-000000000001`,
          StackName: 'innovate-dev-network',
          CreationTime: new Date('2026-11-02T08:00:00Z'),
          StackStatus: 'CREATE_COMPLETE',
        },
      ],
    }),
  );
}

describe('STS through awsEnvironments.endpoints.sts (config only, no AWS_ENDPOINT_URL)', () => {
  let wire: AwsWire;
  let dnsGuard: ReturnType<typeof guardDns>;
  let environment: ReturnType<typeof isolateFromAwsEnvironment>;

  beforeAll(async () => {
    wire = await AwsWire.start();
  });
  afterAll(() => wire.close());
  beforeEach(() => {
    wire.reset();
    environment = isolateFromAwsEnvironment();
    dnsGuard = guardDns();
  });
  afterEach(() => {
    dnsGuard.restore();
    environment.restore();
  });

  it('assumes the account role at the override and signs the first call with the role session', async () => {
    answerAssumeRole(wire);
    answerDescribeStacks(wire);

    await expect(listStackNames(realModeFactory(wire))).resolves.toEqual([
      'innovate-dev-network',
    ]);

    expect(wire.operations()).toEqual([
      'sts.AssumeRole',
      'cloudformation.DescribeStacks',
    ]);
    const [assumeRole, describeStacks] = wire.requests;
    expect(Object.fromEntries(assumeRole.params)).toEqual({
      Action: 'AssumeRole',
      Version: '2011-06-15',
      RoleArn: `arn:aws:iam::${DEV_ACCOUNT}:role/innovate-portal`,
      RoleSessionName: 'backstage',
      ExternalId: 'innovate-external-id',
    });
    // The role is assumed with the portal's own keys...
    expect(assumeRole.signature).toMatchObject({
      accessKeyId: MAIN_KEYS.accessKeyId,
      service: 'sts',
      region: 'us-east-1',
    });
    // ...and the call is made with the role's temporary credentials, in the environment's Region.
    expect(describeStacks.signature).toMatchObject({
      accessKeyId: sessionKeysFor(DEV_ACCOUNT).accessKeyId,
      service: 'cloudformation',
      region: REGION,
    });
    expect(describeStacks.headers['x-amz-security-token']).toBe(
      sessionKeysFor(DEV_ACCOUNT).sessionToken,
    );
    expect(describeStacks.headers['user-agent']).toContain('innovate-portal/');
    expect(dnsGuard.lookups).toEqual([]);
  });

  it('assumes each role once for all the clients of its account, and each account its own role', async () => {
    answerAssumeRole(wire);
    answerDescribeStacks(wire);
    wire.on(
      'eks',
      'DescribeCluster',
      restJson({ cluster: { name: 'innovate-dev', status: 'ACTIVE' } }),
    );
    const factory = realModeFactory(wire);

    await listStackNames(factory);
    const eks = await factory.getClient(EKSClient, DEV);
    await eks.send(new DescribeClusterCommand({ name: 'innovate-dev' }));
    await listStackNames(factory, {
      accountId: PROD_ACCOUNT,
      region: REGION,
    });

    const roles = wire
      .requestsFor('sts', 'AssumeRole')
      .map(r => r.params.get('RoleArn'));
    expect(roles).toEqual([
      `arn:aws:iam::${DEV_ACCOUNT}:role/innovate-portal`,
      `arn:aws:iam::${PROD_ACCOUNT}:role/innovate-portal`,
    ]);
    expect(
      wire.requestsFor('eks', 'DescribeCluster')[0].signature?.accessKeyId,
    ).toBe(sessionKeysFor(DEV_ACCOUNT).accessKeyId);
    expect(
      wire.requestsFor('cloudformation', 'DescribeStacks')[1].signature
        ?.accessKeyId,
    ).toBe(sessionKeysFor(PROD_ACCOUNT).accessKeyId);
    expect(dnsGuard.lookups).toEqual([]);
  });

  it('replaces a session that expires within five minutes, then reuses the new one', async () => {
    const session = (accessKeyId: string, minutes: number) =>
      queryResult(XMLNS.sts, 'AssumeRole', {
        Credentials: {
          AccessKeyId: accessKeyId,
          SecretAccessKey: `${accessKeyId}-secret`,
          SessionToken: `${accessKeyId}-token`,
          Expiration: new Date(Date.now() + minutes * 60 * 1000),
        },
        AssumedRoleUser: {
          AssumedRoleId: `AROA${DEV_ACCOUNT}EXAMPLE:backstage`,
          Arn: `arn:aws:sts::${DEV_ACCOUNT}:assumed-role/innovate-portal/backstage`,
        },
      });
    // The first session is at its end (4 minutes left), the second fresh (an hour).
    wire.on(
      'sts',
      'AssumeRole',
      session('ASIAENDINGEXAMPLE', 4),
      session('ASIAFRESHEXAMPLE', 60),
    );
    answerDescribeStacks(wire);
    wire.on(
      'eks',
      'DescribeCluster',
      restJson({ cluster: { name: 'innovate-dev', status: 'ACTIVE' } }),
    );
    const factory = realModeFactory(wire);

    await listStackNames(factory);
    const eks = await factory.getClient(EKSClient, DEV);
    await eks.send(new DescribeClusterCommand({ name: 'innovate-dev' }));

    expect(wire.requestsFor('sts', 'AssumeRole')).toHaveLength(2);
    expect(
      wire.requestsFor('cloudformation', 'DescribeStacks')[0].signature
        ?.accessKeyId,
    ).toBe('ASIAFRESHEXAMPLE');
    expect(
      wire.requestsFor('eks', 'DescribeCluster')[0].signature?.accessKeyId,
    ).toBe('ASIAFRESHEXAMPLE');
    expect(dnsGuard.lookups).toEqual([]);
  });

  it('assumes the role of aws.accountDefaults for an account aws.accounts does not list', async () => {
    answerAssumeRole(wire);
    answerDescribeStacks(wire);
    const factory = realModeFactory(wire, {
      aws: {
        mainAccount: MAIN_KEYS,
        accountDefaults: { roleName: 'innovate-portal', region: 'eu-west-1' },
      },
    });

    await listStackNames(factory);

    const [assumeRole] = wire.requestsFor('sts', 'AssumeRole');
    expect(assumeRole.params.get('RoleArn')).toBe(
      `arn:aws:iam::${DEV_ACCOUNT}:role/innovate-portal`,
    );
    expect(assumeRole.params.has('ExternalId')).toBe(false);
    // The STS Region of the config signs the request, whatever endpoint it goes to.
    expect(assumeRole.signature?.region).toBe('eu-west-1');
    expect(dnsGuard.lookups).toEqual([]);
  });

  it('looks up the identity of the main credentials at the override when the account is the portal’s own', async () => {
    wire.on(
      'sts',
      'GetCallerIdentity',
      queryResult(XMLNS.sts, 'GetCallerIdentity', {
        Arn: 'arn:aws:iam::000000000000:user/emulator',
        UserId: 'AIDAEMULATOREXAMPLE',
        Account: '000000000000',
      }),
    );
    answerDescribeStacks(wire);
    const factory = realModeFactory(wire, {
      aws: { mainAccount: MAIN_KEYS },
      accounts: [
        {
          accountId: '000000000000',
          name: 'emulator',
          stage: 'dev',
          regions: ['us-east-1'],
        },
      ],
    });

    await listStackNames(factory, {
      accountId: '000000000000',
      region: 'us-east-1',
    });

    expect(wire.operations()).toEqual([
      'sts.GetCallerIdentity',
      'cloudformation.DescribeStacks',
    ]);
    expect(wire.requests.map(r => r.signature?.accessKeyId)).toEqual([
      MAIN_KEYS.accessKeyId,
      MAIN_KEYS.accessKeyId,
    ]);
    expect(dnsGuard.lookups).toEqual([]);
  });

  it('refuses an account the config gives no credentials for, naming both accounts', async () => {
    wire.on(
      'sts',
      'GetCallerIdentity',
      queryResult(XMLNS.sts, 'GetCallerIdentity', {
        Arn: 'arn:aws:iam::111111111111:user/portal',
        UserId: 'AIDAPORTALEXAMPLE',
        Account: '111111111111',
      }),
    );
    const factory = realModeFactory(wire, { aws: { mainAccount: MAIN_KEYS } });

    await expect(factory.getClient(CloudFormationClient, DEV)).rejects.toThrow(
      `There is no AWS integration that matches account ${DEV_ACCOUNT}: add it to aws.accounts (or give aws.accountDefaults a roleName); the portal's own credentials belong to account 111111111111`,
    );
    expect(wire.operations()).toEqual(['sts.GetCallerIdentity']);
    expect(dnsGuard.lookups).toEqual([]);
  });

  it('fails the call with STS’s reason and the role when the role cannot be assumed, without calling the service', async () => {
    wire.on(
      'sts',
      'AssumeRole',
      queryError(
        XMLNS.sts,
        'AccessDenied',
        `User: arn:aws:iam::111111111111:user/portal is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${DEV_ACCOUNT}:role/innovate-portal`,
        403,
      ),
    );

    const attempt = listStackNames(realModeFactory(wire));

    await expect(attempt).rejects.toMatchObject({
      name: 'AccessDenied',
      message: `Could not get AWS credentials for account ${DEV_ACCOUNT} through role arn:aws:iam::${DEV_ACCOUNT}:role/innovate-portal: User: arn:aws:iam::111111111111:user/portal is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${DEV_ACCOUNT}:role/innovate-portal`,
    });
    // AccessDenied is not worth retrying, and nothing is sent unsigned.
    expect(wire.operations()).toEqual(['sts.AssumeRole']);
    expect(dnsGuard.lookups).toEqual([]);
  });

  it('exchanges a web identity token for the role at the override', async () => {
    const dir = fs.mkdtempSync(
      path.join(os.tmpdir(), 'contract-web-identity-'),
    );
    const tokenFile = path.join(dir, 'token');
    fs.writeFileSync(tokenFile, 'eyJ.web-identity-token.sig\n');
    try {
      wire.on('sts', 'AssumeRoleWithWebIdentity', request =>
        queryResult(XMLNS.sts, 'AssumeRoleWithWebIdentity', {
          Credentials: {
            AccessKeyId: sessionKeysFor(DEV_ACCOUNT).accessKeyId,
            SecretAccessKey: sessionKeysFor(DEV_ACCOUNT).secretAccessKey,
            SessionToken: sessionKeysFor(DEV_ACCOUNT).sessionToken,
            Expiration: new Date(Date.now() + 60 * 60 * 1000),
          },
          SubjectFromWebIdentityToken: 'system:serviceaccount:backstage:portal',
          AssumedRoleUser: {
            AssumedRoleId: `AROA${DEV_ACCOUNT}EXAMPLE:${request.params.get(
              'RoleSessionName',
            )}`,
            Arn: `arn:aws:sts::${DEV_ACCOUNT}:assumed-role/innovate-portal/backstage`,
          },
        }),
      );
      answerDescribeStacks(wire);
      const factory = realModeFactory(wire, {
        aws: {
          accounts: [
            {
              accountId: DEV_ACCOUNT,
              roleName: 'innovate-portal',
              webIdentityTokenFile: tokenFile,
            },
          ],
        },
      });

      await listStackNames(factory);

      const [exchange, call] = wire.requests;
      expect(exchange.operation).toBe('AssumeRoleWithWebIdentity');
      expect(exchange.params.get('WebIdentityToken')).toBe(
        'eyJ.web-identity-token.sig',
      );
      expect(exchange.params.get('RoleArn')).toBe(
        `arn:aws:iam::${DEV_ACCOUNT}:role/innovate-portal`,
      );
      expect(call.signature?.accessKeyId).toBe(
        sessionKeysFor(DEV_ACCOUNT).accessKeyId,
      );
      expect(dnsGuard.lookups).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps static keys of an account as they are: no STS call at all', async () => {
    answerDescribeStacks(wire);
    const factory = realModeFactory(wire, {
      aws: {
        accounts: [
          {
            accountId: DEV_ACCOUNT,
            accessKeyId: 'AKIADEVEXAMPLE',
            secretAccessKey: 'dev-secret',
          },
        ],
      },
    });

    await listStackNames(factory);

    expect(wire.operations()).toEqual(['cloudformation.DescribeStacks']);
    expect(wire.requests[0].signature?.accessKeyId).toBe('AKIADEVEXAMPLE');
    expect(dnsGuard.lookups).toEqual([]);
  });

  it('without an sts key, role assumption still goes to AWS’s STS: the guard catches the lookup', async () => {
    // The case the sts key fixes, kept as a check that the DNS guard of these tests does catch a request to AWS.
    answerDescribeStacks(wire);
    const { sts: _sts, ...withoutSts } = endpointsTo(wire);
    const factory = DefaultAwsClientFactory.fromConfig(
      realModeConfig(wire, {
        endpoints: withoutSts,
        retry: { maxAttempts: 1 },
      }),
    );

    await expect(listStackNames(factory)).rejects.toThrow(
      /sts\.us-east-1\.amazonaws\.com/,
    );

    expect(dnsGuard.lookups).toContain('sts.us-east-1.amazonaws.com');
    expect(wire.requests).toEqual([]);
  });
});
