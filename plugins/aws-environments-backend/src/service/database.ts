import {
  resolvePackagePath,
  type DatabaseService,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';

/** One migration run per database service, however many of the plugin's stores open it. */
const migrated = new WeakMap<DatabaseService, Promise<Knex>>();

/** The plugin's database client, with its migrations (`migrations/`) applied once. */
export function migratedClient(database: DatabaseService): Promise<Knex> {
  let client = migrated.get(database);
  if (!client) {
    client = (async () => {
      const knex = await database.getClient();
      if (!database.migrations?.skip) {
        await knex.migrate.latest({
          directory: resolvePackagePath(
            '@internal/plugin-aws-environments-backend',
            'migrations',
          ),
        });
      }
      return knex;
    })();
    // A failed start may be retried with the same service.
    client.catch(() => migrated.delete(database));
    migrated.set(database, client);
  }
  return client;
}

/** A timestamp column as a Date: SQLite returns epoch milliseconds or text, PostgreSQL a Date. */
export function toDate(value: unknown): Date | undefined {
  if (value === null || value === undefined) {
    return undefined;
  }
  const date =
    value instanceof Date ? value : new Date(value as string | number);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A JSON text column, parsed; undefined when empty. */
export function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : undefined;
}
