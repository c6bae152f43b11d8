import type { DatabaseService } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseInsightsStore } from './InsightsStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15', 'POSTGRES_16', 'POSTGRES_17'],
});

async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
  const knex = await databases.init(databaseId);
  const database: DatabaseService = { getClient: async () => knex };
  return DatabaseInsightsStore.create({ database });
}

describe.each(databases.eachSupportedId())(
  'DatabaseInsightsStore on %p',
  databaseId => {
    const ref = 'resource:default/innovate-dev';
    const collectedAt = new Date('2026-11-20T10:00:00.000Z');

    it('keeps the last good data and its time when a later collection fails', async () => {
      const store = await createStore(databaseId);
      await store.saveSuccess({
        entityRef: ref,
        section: 'health',
        data: {
          verdict: 'healthy',
          stacks: [{ stackName: 'innovate-dev-network' }],
        },
        summary: { verdict: 'healthy', reasons: [] },
        collectedAt,
      });
      await store.saveFailure({
        entityRef: ref,
        section: 'health',
        error: 'ThrottlingException: Rate exceeded',
        failedAt: new Date('2026-11-20T10:05:00.000Z'),
      });

      const stored = await store.get<{ verdict: string }>(ref, 'health');
      expect(stored?.data).toEqual({
        verdict: 'healthy',
        stacks: [{ stackName: 'innovate-dev-network' }],
      });
      expect(stored?.collectedAt?.toISOString()).toBe(
        '2026-11-20T10:00:00.000Z',
      );
      expect(stored?.lastError).toBe('ThrottlingException: Rate exceeded');
      expect(stored?.lastErrorAt?.toISOString()).toBe(
        '2026-11-20T10:05:00.000Z',
      );

      await store.saveSuccess({
        entityRef: ref,
        section: 'health',
        data: { verdict: 'degraded' },
        summary: { verdict: 'degraded', reasons: ['x'] },
        collectedAt: new Date('2026-11-20T10:10:00.000Z'),
      });
      const recovered = await store.get(ref, 'health');
      expect(recovered?.data).toEqual({ verdict: 'degraded' });
      expect(recovered?.lastError).toBeUndefined();
    });

    it('records a failure of a section that never succeeded, without data', async () => {
      const store = await createStore(databaseId);
      await store.saveFailure({
        entityRef: ref,
        section: 'costs',
        error: 'AccessDenied',
        failedAt: collectedAt,
      });
      const stored = await store.get(ref, 'costs');
      expect(stored?.data).toBeUndefined();
      expect(stored?.collectedAt).toBeUndefined();
      expect(stored?.lastError).toBe('AccessDenied');
    });

    it('lists summaries without the full data, and forgets environments that left the catalog', async () => {
      const store = await createStore(databaseId);
      for (const name of ['innovate-dev', 'innovate-staging', 'innovate-old']) {
        await store.saveSuccess({
          entityRef: `resource:default/${name}`,
          section: 'findings',
          data: { top: ['big'] },
          summary: { critical: 1, high: 2 },
          collectedAt,
        });
      }
      expect(
        await store.retainOnly([
          'resource:default/innovate-dev',
          'resource:default/innovate-staging',
        ]),
      ).toBe(1);
      const summaries = await store.listSummaries();
      expect(summaries.map(s => s.entityRef).sort()).toEqual([
        'resource:default/innovate-dev',
        'resource:default/innovate-staging',
      ]);
      expect(summaries[0]).toEqual({
        entityRef: expect.any(String),
        section: 'findings',
        summary: { critical: 1, high: 2 },
        collectedAt,
        lastError: undefined,
        lastErrorAt: undefined,
      });
    });

    it('changes the summaries version on every write and removal', async () => {
      const store = await createStore(databaseId);
      const versions = [await store.summariesVersion()];
      await store.saveSuccess({
        entityRef: ref,
        section: 'health',
        data: {},
        summary: {},
        collectedAt,
      });
      versions.push(await store.summariesVersion());
      await store.saveSuccess({
        entityRef: ref,
        section: 'health',
        data: {},
        summary: {},
        collectedAt: new Date(collectedAt.getTime() + 1000),
      });
      versions.push(await store.summariesVersion());
      await store.saveFailure({
        entityRef: ref,
        section: 'health',
        error: 'boom',
        failedAt: new Date(collectedAt.getTime() + 2000),
      });
      versions.push(await store.summariesVersion());
      await store.retainOnly([]);
      versions.push(await store.summariesVersion());
      // Every step changed the version (the last one is the empty store again).
      versions.slice(1).forEach((version, i) => {
        expect(version).not.toBe(versions[i]);
      });
      expect(await store.summariesVersion()).toBe(
        versions[versions.length - 1],
      );
    });

    it('stores the stack details of an environment in deployment order and replaces them on the next run', async () => {
      const store = await createStore(databaseId);
      const detail = (stackName: string, resources = 1) => ({
        stackName,
        status: 'CREATE_COMPLETE',
        resources: Array.from({ length: resources }, (_, i) => ({
          logicalId: `R${i}`,
          type: 'AWS::SNS::Topic',
          status: 'CREATE_COMPLETE',
        })),
        outputs: [{ key: 'Out', value: `${stackName}-out` }],
        events: [
          {
            timestamp: '2026-11-20T09:00:00.000Z',
            logicalId: stackName,
            status: 'CREATE_COMPLETE',
          },
        ],
      });
      expect(await store.getStacks(ref)).toBeUndefined();

      await store.saveStacks({
        entityRef: ref,
        stacks: [
          detail('innovate-dev-network'),
          detail('innovate-dev-security'),
          detail('innovate-dev-data', 3),
        ],
        collectedAt,
      });
      const stored = await store.getStacks(ref);
      expect(stored?.data?.map(s => s.stackName)).toEqual([
        'innovate-dev-network',
        'innovate-dev-security',
        'innovate-dev-data',
      ]);
      expect(stored?.data?.[2]).toEqual(detail('innovate-dev-data', 3));
      expect(stored?.collectedAt?.toISOString()).toBe(
        '2026-11-20T10:00:00.000Z',
      );
      expect(
        (await store.listSummaries()).find(s => s.section === 'stacks')
          ?.summary,
      ).toEqual({ stacks: 3, resources: 5 });

      // A failed run keeps the details; the next good one replaces them, dropping stacks that are gone.
      await store.saveFailure({
        entityRef: ref,
        section: 'stacks',
        error: 'AccessDenied',
        failedAt: new Date('2026-11-20T10:05:00.000Z'),
      });
      const failed = await store.getStacks(ref);
      expect(failed?.data).toHaveLength(3);
      expect(failed?.lastError).toBe('AccessDenied');

      await store.saveStacks({
        entityRef: ref,
        stacks: [detail('innovate-dev-data'), detail('innovate-dev-network')],
        collectedAt: new Date('2026-11-20T10:10:00.000Z'),
      });
      const replaced = await store.getStacks(ref);
      expect(replaced?.data?.map(s => s.stackName)).toEqual([
        'innovate-dev-data',
        'innovate-dev-network',
      ]);
      expect(replaced?.lastError).toBeUndefined();

      await store.retainOnly([]);
      expect(await store.getStacks(ref)).toBeUndefined();
    });

    it('serves no stack details for a stacks section that never succeeded', async () => {
      const store = await createStore(databaseId);
      await store.saveFailure({
        entityRef: ref,
        section: 'stacks',
        error: 'Rate exceeded',
        failedAt: collectedAt,
      });
      expect(await store.getStacks(ref)).toMatchObject({
        data: undefined,
        collectedAt: undefined,
        lastError: 'Rate exceeded',
      });
    });

    it('remembers the last full cost read of each account', async () => {
      const store = await createStore(databaseId);
      expect(
        await store.getLastFullCostRefresh('222222222222'),
      ).toBeUndefined();
      await store.saveFullCostRefresh('222222222222', collectedAt);
      const later = new Date('2026-11-27T10:00:00.000Z');
      await store.saveFullCostRefresh('222222222222', later);
      await store.saveFullCostRefresh('333333333333', collectedAt);
      expect(await store.getLastFullCostRefresh('222222222222')).toEqual(later);
      expect(await store.getLastFullCostRefresh('333333333333')).toEqual(
        collectedAt,
      );
    });

    it('grants one on-demand refresh per interval and says how long to wait', async () => {
      const store = await createStore(databaseId);
      const t0 = new Date('2026-11-20T10:00:00.000Z');
      expect(await store.claimManualRefresh(ref, t0, 60_000)).toEqual({
        granted: true,
      });
      expect(
        await store.claimManualRefresh(
          ref,
          new Date(t0.getTime() + 20_000),
          60_000,
        ),
      ).toEqual({
        granted: false,
        retryAfterMs: 40_000,
      });
      expect(
        await store.claimManualRefresh('resource:default/other', t0, 60_000),
      ).toEqual({ granted: true });
      expect(
        await store.claimManualRefresh(
          ref,
          new Date(t0.getTime() + 60_000),
          60_000,
        ),
      ).toEqual({ granted: true });
    });
  },
);
