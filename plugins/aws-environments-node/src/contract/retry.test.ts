import {
  CloudFormationClient,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
} from '@aws-sdk/client-cloudwatch';
import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import {
  AwsWire,
  XMLNS,
  awsJson,
  awsJsonError,
  guardDns,
  isolateFromAwsEnvironment,
  queryError,
  queryResult,
} from './awsWire';
import { DEV, answerAssumeRole, realModeFactory } from './realMode';

const STACKS = queryResult(XMLNS.cloudformation, 'DescribeStacks', {
  Stacks: [
    {
      StackName: 'innovate-dev-network',
      StackId:
        'arn:aws:cloudformation:eu-central-1:222222222222:stack/innovate-dev-network/1',
      CreationTime: new Date('2026-11-02T08:00:00Z'),
      StackStatus: 'CREATE_COMPLETE',
    },
  ],
});

describe('the retry strategy on the wire', () => {
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

  it('sends a throttled CloudFormation request again with the default (adaptive) strategy and returns the answer of the retry (query protocol)', async () => {
    wire.on(
      'cloudformation',
      'DescribeStacks',
      queryError(XMLNS.cloudformation, 'Throttling', 'Rate exceeded'),
      STACKS,
    );
    const cfn = await realModeFactory(wire).getClient(
      CloudFormationClient,
      DEV,
    );

    const output = await cfn.send(new DescribeStacksCommand({}));

    expect(output.Stacks?.map(s => s.StackName)).toEqual([
      'innovate-dev-network',
    ]);
    expect(output.$metadata.attempts).toBe(2);
    const [first, retry] = wire.requestsFor('cloudformation', 'DescribeStacks');
    expect(retry.body).toBe(first.body);
    // The retry is signed again and says which attempt it is.
    expect(retry.headers['amz-sdk-request']).toMatch(/attempt=2/);
    expect(retry.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 /);
  });

  it('sends a throttled awsJson request again (ThrottlingException, HTTP 400)', async () => {
    wire.on(
      'tagging',
      'GetResources',
      awsJsonError('ThrottlingException', 'Rate exceeded'),
      awsJson({ PaginationToken: '', ResourceTagMappingList: [] }),
    );
    // Standard mode here and below: the default (adaptive) is the first test's, and its rate limiter only slows these.
    const tagging = await realModeFactory(wire, {
      retry: { mode: 'standard' },
    }).getClient(ResourceGroupsTaggingAPIClient, DEV);

    const output = await tagging.send(new GetResourcesCommand({}));

    expect(output.ResourceTagMappingList).toEqual([]);
    expect(wire.requestsFor('tagging', 'GetResources')).toHaveLength(2);
  });

  it('reads CloudWatch’s query-compatible throttling error (awsJson 1.0) and retries it', async () => {
    wire.on(
      'monitoring',
      'DescribeAlarms',
      awsJsonError('com.amazonaws.cloudwatch#Throttling', 'Rate exceeded', {
        version: '1.0',
        queryError: 'Throttling;Sender',
      }),
      awsJson({ MetricAlarms: [] }, '1.0'),
    );
    const cloudwatch = await realModeFactory(wire, {
      retry: { mode: 'standard' },
    }).getClient(CloudWatchClient, DEV);

    await cloudwatch.send(new DescribeAlarmsCommand({}));

    const requests = wire.requestsFor('monitoring', 'DescribeAlarms');
    expect(requests).toHaveLength(2);
    // The installed client speaks awsJson 1.0 to CloudWatch, in query-compatible mode.
    expect(requests[0].headers['content-type']).toBe(
      'application/x-amz-json-1.0',
    );
    expect(requests[0].headers['x-amz-target']).toBe(
      'GraniteServiceVersion20100801.DescribeAlarms',
    );
    expect(requests[0].headers['x-amzn-query-mode']).toBe('true');
  });

  it('does not retry an error that another attempt cannot fix', async () => {
    wire
      .on(
        'cloudformation',
        'DescribeStacks',
        queryError(
          XMLNS.cloudformation,
          'ValidationError',
          'Stack with id innovate-gone does not exist',
        ),
      )
      .on(
        'pricing',
        'GetProducts',
        awsJsonError(
          'InvalidParameterException',
          'Input parameters are invalid: ServiceCode',
        ),
      );
    const factory = realModeFactory(wire);
    const cfn = await factory.getClient(CloudFormationClient, DEV);
    const pricing = await factory.getClient(PricingClient, DEV);

    await expect(
      cfn.send(new DescribeStacksCommand({ StackName: 'innovate-gone' })),
    ).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(
      pricing.send(new GetProductsCommand({ ServiceCode: 'NoSuchService' })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Input parameters are invalid: ServiceCode',
    });

    expect(wire.requestsFor('cloudformation', 'DescribeStacks')).toHaveLength(
      1,
    );
    expect(wire.requestsFor('pricing', 'GetProducts')).toHaveLength(1);
  });

  it('gives up after awsEnvironments.retry.maxAttempts and reports AWS’s throttling error', async () => {
    wire.on(
      'cloudformation',
      'DescribeStacks',
      queryError(XMLNS.cloudformation, 'Throttling', 'Rate exceeded'),
    );
    const cfn = await realModeFactory(wire, {
      retry: { mode: 'standard', maxAttempts: 3 },
    }).getClient(CloudFormationClient, DEV);

    await expect(cfn.send(new DescribeStacksCommand({}))).rejects.toMatchObject(
      {
        name: 'Throttling',
        message: 'Rate exceeded',
        $metadata: { httpStatusCode: 400, attempts: 3 },
      },
    );
    expect(wire.requestsFor('cloudformation', 'DescribeStacks')).toHaveLength(
      3,
    );
  });

  it('retries a server error (HTTP 503) like a throttle', async () => {
    wire.on(
      'cloudformation',
      'DescribeStacks',
      queryError(
        XMLNS.cloudformation,
        'ServiceUnavailable',
        'Service is unavailable',
        503,
      ),
      STACKS,
    );
    const cfn = await realModeFactory(wire).getClient(
      CloudFormationClient,
      DEV,
    );

    await expect(
      cfn.send(new DescribeStacksCommand({})),
    ).resolves.toMatchObject({ $metadata: { attempts: 2 } });
  });
});
