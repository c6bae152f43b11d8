import type { DatabaseService } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import type { EnvironmentHistoryEntry } from '@internal/plugin-aws-environments-common';
import {
  DatabaseEnvironmentHistory,
  parseHistoryEntry,
} from './EnvironmentHistory';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15', 'POSTGRES_16', 'POSTGRES_17'],
});

async function createHistory(databaseId: Parameters<typeof databases.init>[0]) {
  const knex = await databases.init(databaseId);
  const database: DatabaseService = { getClient: async () => knex };
  return DatabaseEnvironmentHistory.create({ database });
}

function entry(
  overrides: Partial<EnvironmentHistoryEntry>,
): EnvironmentHistoryEntry {
  return {
    id: 'task:t-1:deploy',
    entityRef: 'resource:default/innovate-qa',
    operation: 'create',
    actor: 'user:default/jane',
    inputs: { environment: { name: 'innovate-qa' } },
    changes: [
      {
        stackName: 'innovate-qa-network',
        layer: 'network',
        outcome: 'created',
        add: 12,
        modify: 0,
        remove: 0,
        replacements: 0,
      },
    ],
    result: 'succeeded',
    message: 'Created innovate-qa.',
    startedAt: '2026-11-20T10:00:00.000Z',
    completedAt: '2026-11-20T10:20:00.000Z',
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())(
  'DatabaseEnvironmentHistory on %p',
  databaseId => {
    it('answers newest first, a page at a time, with the total', async () => {
      const history = await createHistory(databaseId);
      await history.record(entry({}));
      await history.record(
        entry({
          id: 'task:t-2:deploy',
          operation: 'update',
          completedAt: '2026-11-21T09:00:00.000Z',
        }),
      );
      await history.record(
        entry({
          id: 'task:t-3:destroy',
          operation: 'teardown',
          result: 'failed',
          message: 'The data stack could not be deleted.',
          completedAt: '2026-11-22T09:00:00.000Z',
        }),
      );
      await history.record(
        entry({ id: 'task:t-9:deploy', entityRef: 'resource:default/other' }),
      );

      const first = await history.list({
        entityRef: 'resource:default/innovate-qa',
        limit: 2,
        offset: 0,
      });
      expect(first.totalCount).toBe(3);
      expect(first.items.map(i => i.operation)).toEqual(['teardown', 'update']);
      expect(first.items[0].result).toBe('failed');
      const second = await history.list({
        entityRef: 'Resource:default/Innovate-QA',
        limit: 2,
        offset: 2,
      });
      expect(second.items.map(i => i.id)).toEqual(['task:t-1:deploy']);
      expect(second.items[0].changes[0].add).toBe(12);
    });

    it('replaces the entry of a task step that ran again', async () => {
      const history = await createHistory(databaseId);
      await history.record(
        entry({ result: 'failed', message: 'Interrupted by a restart.' }),
      );
      await history.record(entry({ completedAt: '2026-11-20T10:40:00.000Z' }));
      const page = await history.list({
        entityRef: 'resource:default/innovate-qa',
        limit: 10,
        offset: 0,
      });
      expect(page.totalCount).toBe(1);
      expect(page.items[0].result).toBe('succeeded');
    });
  },
);

describe('parseHistoryEntry', () => {
  it('accepts a whole entry and refuses a payload that is not one', () => {
    expect(parseHistoryEntry(entry({}))?.id).toBe('task:t-1:deploy');
    expect(
      parseHistoryEntry({ ...entry({}), result: 'maybe' }),
    ).toBeUndefined();
    expect(parseHistoryEntry({ environment: 'innovate-qa' })).toBeUndefined();
  });
});
