import type { DatabaseService } from '@backstage/backend-plugin-api';
import {
  ENVIRONMENT_OPERATIONS,
  type EnvironmentHistoryEntry,
  type EnvironmentOperation,
} from '@internal/plugin-aws-environments-common';
import type { Knex } from 'knex';
import { z } from 'zod';
import { migratedClient } from '../database';

const HISTORY_TABLE = 'aws_environment_history';

/** One page of an environment's history, newest first. */
export interface HistoryPage {
  items: EnvironmentHistoryEntry[];
  totalCount: number;
}

/** The history of every environment: what was done to it, by whom, when, and how it ended. */
export interface EnvironmentHistory {
  /** Stores the entry; an entry with the same id (a task step run again) is replaced. */
  record(entry: EnvironmentHistoryEntry): Promise<void>;
  list(options: {
    entityRef: string;
    limit: number;
    offset: number;
  }): Promise<HistoryPage>;
}

const changeSchema = z.object({
  stackName: z.string().max(255),
  layer: z.string().max(64).optional(),
  outcome: z.string().max(32),
  add: z.number().int().min(0),
  modify: z.number().int().min(0),
  remove: z.number().int().min(0),
  replacements: z.number().int().min(0),
});

/** What an entry from another plugin (through the events service) must look like before it is stored. */
export const historyEntrySchema = z.object({
  id: z.string().min(1).max(255),
  entityRef: z.string().min(1).max(255),
  operation: z.enum(
    ENVIRONMENT_OPERATIONS as [EnvironmentOperation, ...EnvironmentOperation[]],
  ),
  actor: z.string().min(1).max(255),
  template: z
    .object({
      entityRef: z.string().max(255),
      version: z.string().max(64).optional(),
    })
    .optional(),
  task: z
    .object({
      id: z.string().max(255),
      stepId: z.string().max(255).optional(),
      url: z.string().max(1024),
    })
    .optional(),
  inputs: z.record(z.string(), z.unknown()),
  changes: z.array(changeSchema).max(100),
  result: z.enum(['succeeded', 'failed']),
  message: z.string().max(2000),
  startedAt: z.iso.datetime({ offset: true }),
  completedAt: z.iso.datetime({ offset: true }),
});

/** The entry, or undefined when the payload is not one (it is then not stored). */
export function parseHistoryEntry(
  payload: unknown,
): EnvironmentHistoryEntry | undefined {
  const parsed = historyEntrySchema.safeParse(payload);
  return parsed.success ? (parsed.data as EnvironmentHistoryEntry) : undefined;
}

/** Entity refs are compared as the catalog compares them: without regard to case. */
function normalizeRef(entityRef: string): string {
  return entityRef.toLocaleLowerCase('en-US');
}

export class DatabaseEnvironmentHistory implements EnvironmentHistory {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseEnvironmentHistory> {
    return new DatabaseEnvironmentHistory(
      await migratedClient(options.database),
    );
  }

  private constructor(private readonly db: Knex) {}

  async record(entry: EnvironmentHistoryEntry): Promise<void> {
    await this.db(HISTORY_TABLE)
      .insert({
        id: entry.id,
        entity_ref: normalizeRef(entry.entityRef),
        operation: entry.operation,
        actor: entry.actor,
        result: entry.result,
        entry: JSON.stringify(entry),
        completed_at: new Date(entry.completedAt),
      })
      .onConflict('id')
      .merge();
  }

  async list(options: {
    entityRef: string;
    limit: number;
    offset: number;
  }): Promise<HistoryPage> {
    const entityRef = normalizeRef(options.entityRef);
    const [rows, [count]] = await Promise.all([
      this.db(HISTORY_TABLE)
        .where({ entity_ref: entityRef })
        .orderBy([
          { column: 'completed_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(options.limit)
        .offset(options.offset)
        .select('entry'),
      this.db(HISTORY_TABLE)
        .where({ entity_ref: entityRef })
        .count({ count: '*' }),
    ]);
    return {
      items: rows.map(row => JSON.parse(row.entry) as EnvironmentHistoryEntry),
      totalCount: Number(count?.count ?? 0),
    };
  }
}
