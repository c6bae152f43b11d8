import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Client } from 'pg';
import {
  acquireStartupLock,
  lockConnectionConfig,
  type StartupLock,
} from './startupLock';

describe('lockConnectionConfig', () => {
  it('uses the maintenance database when a connection string names none', () => {
    const config = new ConfigReader({
      backend: {
        database: {
          client: 'pg',
          connection: 'postgresql://portal:secret@db.internal:5432',
        },
      },
    });
    expect(lockConnectionConfig(config)).toEqual({
      connectionString: 'postgresql://portal:secret@db.internal:5432/postgres',
    });
  });

  it('keeps the connection settings of the backend and drops the connector type', () => {
    const config = new ConfigReader({
      backend: {
        database: {
          client: 'pg',
          connection: {
            type: 'default',
            host: 'db.internal',
            port: 5432,
            user: 'portal',
            password: 'secret',
            ssl: { rejectUnauthorized: true },
          },
        },
      },
    });
    expect(lockConnectionConfig(config)).toEqual({
      host: 'db.internal',
      port: 5432,
      user: 'portal',
      password: 'secret',
      ssl: { rejectUnauthorized: true },
      database: 'postgres',
    });
  });
});

// scripts/test starts PostgreSQL and exports its URL the way Backstage's TestDatabases expects it.
const postgresUrl = Object.entries(process.env).find(([name]) =>
  /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(name),
)?.[1];

if (!postgresUrl && process.env.CI) {
  throw new Error(
    'No PostgreSQL for the start-up lock test: run the suite through scripts/test, which starts one',
  );
}

(postgresUrl ? describe : describe.skip)('acquireStartupLock', () => {
  const logger = mockServices.logger.mock();
  const held: StartupLock[] = [];
  const configFor = (prefix: string) =>
    new ConfigReader({
      backend: {
        database: { client: 'pg', connection: postgresUrl, prefix },
      },
    });
  const acquire = async (
    prefix: string,
    applicationName: string,
    timeoutMs = 30_000,
  ) => {
    const lock = await acquireStartupLock(configFor(prefix), logger, {
      timeoutMs,
      applicationName,
    });
    held.push(lock);
    return lock;
  };

  afterEach(async () => {
    await Promise.all(held.splice(0).map(lock => lock.release()));
  });

  it('makes a second replica wait until the first has started', async () => {
    const prefix = `lock_${Date.now()}_a_`;
    const first = await acquire(prefix, 'replica-a');

    await expect(acquire(prefix, 'replica-b', 1_500)).rejects.toThrow(
      /replica-a is still starting on the same database and holds the start-up lock/,
    );

    const second = acquire(prefix, 'replica-c');
    await first.release();
    await expect(second).resolves.toBeDefined();
  });

  it('does not make deployments with other database prefixes wait', async () => {
    await acquire(`lock_${Date.now()}_b_`, 'portal-one');
    await expect(
      acquire(`lock_${Date.now()}_c_`, 'portal-two', 1_500),
    ).resolves.toBeDefined();
  });

  it('is free again when the replica holding it dies', async () => {
    const prefix = `lock_${Date.now()}_d_`;
    await acquire(prefix, 'replica-that-dies');
    const next = acquire(prefix, 'replica-after');

    const admin = new Client({ connectionString: postgresUrl });
    await admin.connect();
    try {
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'replica-that-dies'`,
      );
    } finally {
      await admin.end();
    }
    await expect(next).resolves.toBeDefined();
  });
});
