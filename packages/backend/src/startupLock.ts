import os from 'node:os';
import {
  coreServices,
  createServiceFactory,
  type LoggerService,
} from '@backstage/backend-plugin-api';
import { DatabaseManager } from '@backstage/backend-defaults/database';
import {
  ConfigReader,
  readDurationFromConfig,
  type Config,
} from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { Client, type ClientConfig } from 'pg';

/**
 * Every plugin migrates its own tables while the backend starts, and knex refuses a second migration on the same
 * tables with `MigrationLocked` instead of waiting: two replicas starting together on a fresh (or newly upgraded)
 * database would make one of them fail. Replicas therefore take turns starting: each holds a PostgreSQL advisory
 * lock from its first database use until every plugin has started. The lock lives in a session, so a replica that
 * dies while starting releases it at once.
 */
export interface StartupLock {
  release(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 15 * 60_000;
const POLL_INTERVAL_MS = 1_000;
const WAIT_LOG_INTERVAL_MS = 30_000;

/** The connection the lock session uses: the backend's own settings, on the maintenance database when none is named. */
export function lockConnectionConfig(config: Config): ClientConfig {
  const connection = config.getOptional('backend.database.connection');
  if (typeof connection === 'string') {
    const url = new URL(connection);
    if (url.pathname === '' || url.pathname === '/') {
      url.pathname = '/postgres';
    }
    return { connectionString: url.toString() };
  }
  const settings = {
    ...((connection ?? {}) as Record<string, unknown>),
  };
  delete settings.type;
  return {
    ...settings,
    database: (settings.database as string | undefined) ?? 'postgres',
  } as ClientConfig;
}

/** One lock per set of plugin databases: deployments sharing a server under different prefixes do not wait for each other. */
function lockName(config: Config): string {
  return `innovate-portal:startup:${
    config.getOptionalString('backend.database.prefix') ?? 'backstage_plugin_'
  }`;
}

export function startupLockTimeoutMs(config: Config): number {
  const key = 'backend.database.startupLock.timeout';
  return config.has(key)
    ? durationToMilliseconds(readDurationFromConfig(config, { key }))
    : DEFAULT_TIMEOUT_MS;
}

/** Waits until no other replica is starting, then holds the start-up lock until `release()`. */
export async function acquireStartupLock(
  config: Config,
  logger: LoggerService,
  options: { timeoutMs?: number; applicationName?: string } = {},
): Promise<StartupLock> {
  const timeoutMs = options.timeoutMs ?? startupLockTimeoutMs(config);
  const name = lockName(config);
  const client = new Client({
    ...lockConnectionConfig(config),
    application_name:
      options.applicationName ??
      `innovate-portal start-up ${os.hostname()}/${process.pid}`,
  });
  // A dropped session must not crash the process: it only means the lock is gone.
  client.on('error', error =>
    logger.warn(`Start-up lock session lost: ${error.message}`),
  );
  await client.connect();

  const tryLock = async () => {
    const { rows } = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
      [name],
    );
    return rows[0].locked;
  };
  const holder = async () => {
    const { rows } = await client.query<{ holder: string | null }>(
      `SELECT a.application_name AS holder
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.objid = (hashtext($1)::bigint & 4294967295)::oid`,
      [name],
    );
    return rows[0]?.holder || 'another replica';
  };

  try {
    const started = Date.now();
    let lastLog = 0;
    while (!(await tryLock())) {
      const waited = Date.now() - started;
      if (waited >= timeoutMs) {
        throw new Error(
          `Gave up starting after ${Math.round(
            waited / 1000,
          )} s: ${await holder()} is still starting on the same database and holds the start-up lock ` +
            `(backend.database.startupLock.timeout). If no other replica is starting, look for a stuck process in pg_stat_activity.`,
        );
      }
      if (Date.now() - lastLog >= WAIT_LOG_INTERVAL_MS) {
        lastLog = Date.now();
        logger.info(
          `Waiting for ${await holder()} to finish starting (database migrations) before this replica starts`,
        );
      }
      await new Promise(resolve => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }

  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      // Ending the session releases the lock; the explicit unlock only makes it prompt.
      await client
        .query('SELECT pg_advisory_unlock(hashtext($1))', [name])
        .catch(() => {});
      await client.end().catch(() => {});
    },
  };
}

/**
 * Backstage's database service, with replicas on PostgreSQL taking turns to start (see `acquireStartupLock`).
 * The lock is taken when the first plugin asks for its database and released once every plugin has started.
 */
export const databaseServiceWithStartupLock = createServiceFactory({
  service: coreServices.database,
  deps: {
    config: coreServices.rootConfig,
    lifecycle: coreServices.lifecycle,
    logger: coreServices.logger,
    pluginMetadata: coreServices.pluginMetadata,
    rootLifecycle: coreServices.rootLifecycle,
    rootLogger: coreServices.rootLogger,
  },
  async createRootContext({ config, rootLifecycle, rootLogger }) {
    if (config.getOptionalString('backend.database.client') === 'pg') {
      const logger = rootLogger.child({ service: 'startup-lock' });
      const lock = await acquireStartupLock(config, logger);
      logger.info('Holding the start-up lock until every plugin has started');
      rootLifecycle.addStartupHook(() => lock.release());
      rootLifecycle.addShutdownHook(() => lock.release());
    }
    // As Backstage's own database service: an in-memory SQLite database when none is configured.
    const databaseConfig = config.getOptional('backend.database')
      ? config
      : new ConfigReader({
          backend: {
            database: { client: 'better-sqlite3', connection: ':memory:' },
          },
        });
    return DatabaseManager.fromConfig(databaseConfig, {
      rootLifecycle,
      rootLogger,
    });
  },
  async factory({ pluginMetadata, lifecycle, logger }, databaseManager) {
    return databaseManager.forPlugin(pluginMetadata.getId(), {
      lifecycle,
      logger,
    });
  },
});
