import { GetHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import {
  ResourceGroupsTaggingAPIClient,
  paginateGetResources,
} from '@aws-sdk/client-resource-groups-tagging-api';
import {
  AwsWire,
  XMLNS,
  awsJson,
  guardDns,
  isolateFromAwsEnvironment,
  restXml,
  restXmlError,
} from './awsWire';
import {
  DEV,
  DEV_ACCOUNT,
  REGION,
  answerAssumeRole,
  realModeFactory,
} from './realMode';

describe('Route 53 (restXml) and the tagging API (awsJson 1.1) on the wire', () => {
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
    answerAssumeRole(wire);
  });
  afterEach(() => {
    dnsGuard.restore();
    environment.restore();
    dnsGuard.assertNoLookups();
  });

  it('reads a hosted zone by id, with or without the /hostedzone/ prefix', async () => {
    // https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetHostedZone.html
    wire.on(
      'route53',
      'GetHostedZone',
      restXml(XMLNS.route53, 'GetHostedZoneResponse', {
        HostedZone: {
          Id: '/hostedzone/Z0DEVINNOVATEEXAMPLE',
          Name: 'innovate.example.',
          CallerReference: 'innovate-dev-zone',
          Config: { Comment: 'Innovate dev', PrivateZone: false },
          ResourceRecordSetCount: 4,
        },
        DelegationSet: {
          NameServers: {
            NameServer: 'ns-1.awsdns-01.org',
          },
        },
      }),
    );
    const route53 = await realModeFactory(wire).getClient(Route53Client, DEV);

    const { HostedZone } = await route53.send(
      new GetHostedZoneCommand({ Id: '/hostedzone/Z0DEVINNOVATEEXAMPLE' }),
    );
    await route53.send(
      new GetHostedZoneCommand({ Id: 'Z0DEVINNOVATEEXAMPLE' }),
    );

    expect(HostedZone).toEqual({
      Id: '/hostedzone/Z0DEVINNOVATEEXAMPLE',
      Name: 'innovate.example.',
      CallerReference: 'innovate-dev-zone',
      Config: { Comment: 'Innovate dev', PrivateZone: false },
      ResourceRecordSetCount: 4,
    });
    const requests = wire.requestsFor('route53', 'GetHostedZone');
    expect(requests.map(r => `${r.method} ${r.path}`)).toEqual([
      'GET /2013-04-01/hostedzone/Z0DEVINNOVATEEXAMPLE',
      'GET /2013-04-01/hostedzone/Z0DEVINNOVATEEXAMPLE',
    ]);
    expect(requests[0].signature?.accessKeyId).toBe(
      `ASIA${DEV_ACCOUNT}EXAMPLE`,
    );
  });

  it('reads an unknown hosted zone as NoSuchHostedZone, the name the deploy action turns into a form error', async () => {
    wire.on(
      'route53',
      'GetHostedZone',
      restXmlError(
        XMLNS.route53,
        'NoSuchHostedZone',
        'No hosted zone found with ID: Z0UNKNOWN',
        404,
      ),
    );
    const route53 = await realModeFactory(wire).getClient(Route53Client, DEV);

    await expect(
      route53.send(new GetHostedZoneCommand({ Id: 'Z0UNKNOWN' })),
    ).rejects.toMatchObject({
      name: 'NoSuchHostedZone',
      message: 'No hosted zone found with ID: Z0UNKNOWN',
      $metadata: { httpStatusCode: 404 },
    });
    expect(wire.requestsFor('route53', 'GetHostedZone')).toHaveLength(1);
  });

  it('lists tagged resources across pages until AWS answers an empty PaginationToken', async () => {
    // https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html
    const mapping = (name: string) => ({
      ResourceARN: `arn:aws:eks:${REGION}:${DEV_ACCOUNT}:cluster/${name}`,
      Tags: [{ Key: 'innovate:environment', Value: 'innovate-dev' }],
    });
    wire.on(
      'tagging',
      'GetResources',
      awsJson({
        PaginationToken: 'resources-2',
        ResourceTagMappingList: [mapping('innovate-dev')],
      }),
      awsJson({
        PaginationToken: '',
        ResourceTagMappingList: [mapping('innovate-dev-batch')],
      }),
    );
    const client = await realModeFactory(wire).getClient(
      ResourceGroupsTaggingAPIClient,
      DEV,
    );

    const arns: string[] = [];
    for await (const page of paginateGetResources(
      { client },
      {
        TagFilters: [{ Key: 'innovate:environment', Values: ['innovate-dev'] }],
      },
    )) {
      arns.push(
        ...(page.ResourceTagMappingList ?? []).map(m => m.ResourceARN!),
      );
    }

    expect(arns).toEqual([
      `arn:aws:eks:${REGION}:${DEV_ACCOUNT}:cluster/innovate-dev`,
      `arn:aws:eks:${REGION}:${DEV_ACCOUNT}:cluster/innovate-dev-batch`,
    ]);
    const requests = wire.requestsFor('tagging', 'GetResources');
    expect(requests.map(r => r.headers['x-amz-target'])).toEqual([
      'ResourceGroupsTaggingAPI_20170126.GetResources',
      'ResourceGroupsTaggingAPI_20170126.GetResources',
    ]);
    expect(requests[0].json).toEqual({
      TagFilters: [{ Key: 'innovate:environment', Values: ['innovate-dev'] }],
    });
    expect(requests[1].json.PaginationToken).toBe('resources-2');
  });
});
