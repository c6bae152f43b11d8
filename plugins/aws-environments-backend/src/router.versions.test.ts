import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DescribeClusterVersionsCommand, EKSClient } from '@aws-sdk/client-eks';
import { RDSClient } from '@aws-sdk/client-rds';
import type { AwsVersionsResponse } from '@internal/plugin-aws-environments-common';
import { VERSION_SNAPSHOT_DATE, awsClientFactoryServiceRef, type AwsClientFactory } from '@internal/plugin-aws-environments-node';
import { SimulatedAwsClientFactory } from '@internal/plugin-aws-environments-simulator';
import { mockClient } from 'aws-sdk-client-mock';
import request from 'supertest';
import {
  DEV_ACCOUNT,
  REGION,
  fakeAwsClientFactory,
} from './__testUtils__/fixtures';
import plugin from './index';

const VERSIONS_TASK = 'aws-environments-versions';
const PRICES_TASK = 'aws-environments-prices';

async function startBackend(factory: AwsClientFactory) {
  const scheduler = mockServices.scheduler.mock();
  const { server } = await startTestBackend({
    features: [
      plugin,
      scheduler.factory,
      mockServices.logger.mock().factory,
      catalogServiceMock.factory({ entities: [] }),
      mockServices.rootConfig.factory({ data: {} }),
      createServiceFactory({
        service: awsClientFactoryServiceRef,
        deps: {},
        factory: () => factory,
      }),
    ],
  });
  const task = (id: string) =>
    scheduler.scheduleTask.mock.calls.find(([t]) => t.id === id)?.[0];
  const run = (id: string) =>
    task(id)!.fn(new AbortController().signal) as Promise<void>;
  const getVersions = (query: Record<string, string>) =>
    request(server)
      .get('/api/aws-environments/aws-versions')
      .query(query)
      .set('Authorization', mockCredentials.user.header());
  return { server, task, run, getVersions };
}

const today = () => new Date().toISOString().slice(0, 10);

describe('GET /aws-versions', () => {
  it('reads an account and Region never read before at once, from the simulated organization', async () => {
    const { getVersions } = await startBackend(
      new SimulatedAwsClientFactory({ seedEnvironments: false }),
    );

    const response = await getVersions({
      accountId: DEV_ACCOUNT,
      region: REGION,
    });

    expect(response.status).toBe(200);
    const body = response.body as AwsVersionsResponse;
    expect(body).toMatchObject({
      accountId: DEV_ACCOUNT,
      region: REGION,
      source: 'simulated',
      snapshotDate: VERSION_SNAPSHOT_DATE,
      stale: false,
    });
    expect(body.collectedAt).toBeDefined();
    // Newest first, and nothing EKS no longer creates clusters on.
    const versions = body.kubernetes.map(v => v.version);
    expect(versions).toEqual(
      [...versions].sort(
        (a, b) => Number(b.split('.')[1]) - Number(a.split('.')[1]),
      ),
    );
    expect(body.kubernetes.every(v => v.phase !== 'unsupported')).toBe(true);
    expect(body.databases.postgres.length).toBeGreaterThan(0);
    expect(body.databases['aurora-postgresql'].length).toBeGreaterThan(0);
    expect(body.eksPricing).toMatchObject({
      standardHourly: 0.1,
      extendedHourly: 0.6,
    });
  });

  it('reads every allowed account and Region daily, and prices extended support with the read list prices', async () => {
    const { task, run, getVersions } = await startBackend(
      new SimulatedAwsClientFactory({ seedEnvironments: false }),
    );
    expect(task(VERSIONS_TASK)).toMatchObject({
      frequency: { hours: 24 },
      scope: 'global',
    });

    await run(VERSIONS_TASK);
    await run(PRICES_TASK);
    const body = (await getVersions({ accountId: DEV_ACCOUNT, region: REGION }))
      .body as AwsVersionsResponse;

    expect(body.source).toBe('simulated');
    expect(body.collectedAt?.slice(0, 10)).toBe(today());
    expect(body.eksPricing).toEqual({
      standardHourly: 0.1,
      extendedHourly: 0.6,
      source: 'simulated',
      asOf: today(),
    });
  });

  describe('when AWS cannot be read', () => {
    let eks: ReturnType<typeof mockClient>;
    let rds: ReturnType<typeof mockClient>;
    beforeAll(() => {
      eks = mockClient(EKSClient);
      rds = mockClient(RDSClient);
    });
    afterAll(() => {
      eks.restore();
      rds.restore();
    });

    it('answers the dated snapshot, says so, and names the error', async () => {
      const denied = Object.assign(
        new Error(
          'User: arn:aws:sts::222222222222:assumed-role/portal is not authorized to perform: eks:DescribeClusterVersions',
        ),
        { name: 'AccessDeniedException' },
      );
      eks.on(DescribeClusterVersionsCommand).rejects(denied);
      rds.rejects(denied);
      const { getVersions } = await startBackend({
        ...fakeAwsClientFactory(),
        mode: 'aws',
      });

      const body = (
        await getVersions({ accountId: DEV_ACCOUNT, region: REGION })
      ).body as AwsVersionsResponse;

      expect(body).toMatchObject({
        source: 'snapshot',
        snapshotDate: VERSION_SNAPSHOT_DATE,
        stale: true,
      });
      expect(body.collectedAt).toBeUndefined();
      expect(body.error).toContain('not authorized to perform');
      expect(body.kubernetes.length).toBeGreaterThan(0);
    });
  });

  it('refuses an account or Region not on the allowlist, and a malformed one', async () => {
    const { getVersions } = await startBackend(
      new SimulatedAwsClientFactory({ seedEnvironments: false }),
    );

    const unknownAccount = await getVersions({
      accountId: '999999999999',
      region: REGION,
    });
    expect(unknownAccount.status).toBe(403);
    expect(unknownAccount.body.error.message).toContain(
      "AWS account '999999999999' is not on the portal's allowlist",
    );

    const otherRegion = await getVersions({
      accountId: DEV_ACCOUNT,
      region: 'ap-south-2',
    });
    expect(otherRegion.status).toBe(403);
    expect(otherRegion.body.error.message).toContain(
      "Region 'ap-south-2' is not allowed",
    );

    const malformed = await getVersions({ accountId: 'dev', region: REGION });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toBe(
      'Invalid query: accountId must be a 12-digit AWS account ID such as 222222222222.',
    );
  });

  it('answers signed-in users only', async () => {
    const { server } = await startBackend(
      new SimulatedAwsClientFactory({ seedEnvironments: false }),
    );
    const response = await request(server)
      .get('/api/aws-environments/aws-versions')
      .query({ accountId: DEV_ACCOUNT, region: REGION })
      .set('Authorization', mockCredentials.none.header());
    expect(response.status).toBe(401);
  });
});
