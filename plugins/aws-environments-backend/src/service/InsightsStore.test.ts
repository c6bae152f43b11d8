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

    const t0 = new Date('2026-11-20T10:00:00.000Z');
    const claim = (
      store: DatabaseInsightsStore,
      overrides: Partial<
        Parameters<DatabaseInsightsStore['claimManualRefresh']>[0]
      > = {},
    ) =>
      store.claimManualRefresh({
        entityRef: ref,
        sections: ['health'],
        principal: 'user:default/jane',
        now: t0,
        minIntervalMs: 60_000,
        perHour: 30,
        ...overrides,
      });
    const at = (ms: number) => new Date(t0.getTime() + ms);

    it('grants one on-demand refresh per section and interval, and says when the next is possible', async () => {
      const store = await createStore(databaseId);
      expect(await claim(store)).toMatchObject({
        due: ['health'],
        notDue: [],
        budget: { exceeded: false, remaining: 29 },
      });
      // Findings are limited on their own: refreshing health does not block them.
      expect(
        await claim(store, { sections: ['findings'], now: at(1_000) }),
      ).toMatchObject({ due: ['findings'], notDue: [] });
      // Asked again while the first refresh runs: queued, not refused, and not counted.
      const queued = await claim(store, {
        principal: 'user:default/joe',
        now: at(20_000),
      });
      expect(queued).toMatchObject({
        due: [],
        notDue: [
          { section: 'health', state: 'queued', nextRefreshAt: at(60_000) },
        ],
        budget: { exceeded: false, remaining: 30 },
      });
      await store.saveSuccess({
        entityRef: ref,
        section: 'health',
        data: {},
        summary: {},
        collectedAt: at(5_000),
      });
      const recent = await claim(store, { now: at(30_000) });
      expect(recent.due).toEqual([]);
      expect(recent.notDue).toEqual([
        {
          section: 'health',
          state: 'recent',
          collectedAt: at(5_000),
          lastError: undefined,
          nextRefreshAt: at(65_000),
        },
      ]);
      expect(await claim(store, { now: at(65_000) })).toMatchObject({
        due: ['health'],
      });
      expect(
        await claim(store, { entityRef: 'resource:default/other', now: at(1) }),
      ).toMatchObject({ due: ['health'] });
    });

    it('counts data just collected by the schedule as fresh, unless a collection failed since', async () => {
      const store = await createStore(databaseId);
      await store.saveSuccess({
        entityRef: ref,
        section: 'findings',
        data: {},
        summary: {},
        collectedAt: t0,
      });
      expect(
        await claim(store, { sections: ['findings'], now: at(10_000) }),
      ).toMatchObject({
        due: [],
        notDue: [
          { section: 'findings', state: 'recent', nextRefreshAt: at(60_000) },
        ],
      });
      await store.saveFailure({
        entityRef: ref,
        section: 'findings',
        error: 'ThrottlingException',
        failedAt: at(15_000),
      });
      expect(
        await claim(store, { sections: ['findings'], now: at(20_000) }),
      ).toMatchObject({ due: ['findings'] });
      // The refresh just claimed failed too: it is done, and says so.
      await store.saveFailure({
        entityRef: ref,
        section: 'findings',
        error: 'AccessDenied',
        failedAt: at(25_000),
      });
      expect(
        await claim(store, { sections: ['findings'], now: at(30_000) }),
      ).toMatchObject({
        due: [],
        notDue: [{ state: 'recent', lastError: 'AccessDenied' }],
      });
    });

    it('keeps a per-user budget over a rolling hour, across environments', async () => {
      const store = await createStore(databaseId);
      const minute = 60_000;
      for (let i = 0; i < 3; i++) {
        expect(
          await claim(store, {
            entityRef: `resource:default/env-${i}`,
            now: at(i * minute),
            perHour: 3,
          }),
        ).toMatchObject({
          due: ['health'],
          budget: { exceeded: false, remaining: 2 - i },
        });
      }
      const over = await claim(store, {
        entityRef: 'resource:default/env-9',
        now: at(10 * minute),
        perHour: 3,
      });
      expect(over).toMatchObject({
        due: ['health'],
        budget: { exceeded: true, remaining: 0, nextAt: at(60 * minute) },
      });
      // Nothing was claimed over budget.
      expect(
        await store.getManualRefreshStatus({
          entityRef: 'resource:default/env-9',
          sections: ['health'],
          principal: 'user:default/jane',
          now: at(10 * minute),
          minIntervalMs: minute,
          perHour: 3,
        }),
      ).toMatchObject({ due: ['health'], notDue: [] });
      // Another user has a budget of their own.
      expect(
        await claim(store, {
          entityRef: 'resource:default/env-9',
          principal: 'user:default/joe',
          now: at(10 * minute),
          perHour: 3,
        }),
      ).toMatchObject({ budget: { exceeded: false } });
      // A fresh section costs nothing, even over budget.
      expect(
        await claim(store, {
          entityRef: 'resource:default/env-9',
          now: at(10 * minute + 1_000),
          perHour: 3,
        }),
      ).toMatchObject({ due: [], budget: { exceeded: false } });
      // Once the first refresh is an hour old, there is room for one more.
      expect(
        await claim(store, {
          entityRef: 'resource:default/env-8',
          now: at(60 * minute),
          perHour: 3,
        }),
      ).toMatchObject({
        due: ['health'],
        budget: { exceeded: false, remaining: 0 },
      });
    });

    it('grants concurrent claims of one section once', async () => {
      const store = await createStore(databaseId);
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          claim(store, { principal: `user:default/u${i}` }),
        ),
      );
      expect(results.filter(r => r.due.length === 1)).toHaveLength(1);
    });
  },
);
