/**
 * The simulation's state file: an SQLite database with one row per stack, written when the stack changes, so that
 * a restarted backend finds the environments it created. Template bodies, the same for most stacks, are kept once;
 * the resources and events of stacks at rest are stored compressed as the stack store keeps them in memory, with
 * the dictionaries they were compressed against.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { RegionState } from './cloudformation/engine';
import type { StackRecord } from './cloudformation/model';
import type { StackStore, StoredPart } from './cloudformation/stackStore';

/** Raised when the file at the state path is not a state file this simulation can read. */
export class UnreadableStateFileError extends Error {}

const FORMAT = 'innovate-simulation-state/3';
/** Formats this version reads: version 2 kept every stack whole in its row. */
const READABLE_FORMATS = new Set([FORMAT, 'innovate-simulation-state/2']);
const SQLITE_HEADER = 'SQLite format 3\u0000';
const TEMPLATE_PREFIX = '$template:';

export interface SavedRegion {
  accountId: string;
  region: string;
  stacks: StackRecord[];
  tokens: RegionState['tokens'];
  driftDetections: RegionState['driftDetections'];
}

export interface SavedState {
  regions: SavedRegion[];
  alarms: Array<[string, string]>;
}

/** Columns of a stack row with its compressed parts (empty when the stack's row holds it whole). */
const PART_COLUMNS = [
  'resources',
  'resources_dictionary',
  'events',
  'events_dictionary',
];

interface StackRow {
  account_id: string;
  region: string;
  body: Buffer;
  resources: Buffer | null;
  resources_dictionary: string | null;
  events: Buffer | null;
  events_dictionary: string | null;
}

export class SimulationStateFile {
  private readonly db: Database.Database;
  private readonly templateHashes = new Map<string, string>();
  private readonly savedTemplates = new Set<string>();
  private readonly savedDictionaries = new Set<string>();

  /**
   * Opens (or creates) the state file. Throws `UnreadableStateFileError` when the file exists but is not this
   * simulation's SQLite state (e.g. the JSON file of an older version).
   */
  static open(file: string, seed: number): SimulationStateFile {
    if (fs.existsSync(file) && fs.statSync(file).size > 0) {
      const header = Buffer.alloc(SQLITE_HEADER.length);
      const fd = fs.openSync(file, 'r');
      try {
        fs.readSync(fd, header, 0, header.length, 0);
      } finally {
        fs.closeSync(fd);
      }
      if (header.toString('latin1') !== SQLITE_HEADER) {
        throw new UnreadableStateFileError(
          `${file} is not a simulation state database (it may be the state file of an older version)`,
        );
      }
    } else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
    }
    return new SimulationStateFile(new Database(file), seed);
  }

  private constructor(db: Database.Database, private readonly seed: number) {
    this.db = db;
    db.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS templates (hash TEXT PRIMARY KEY, body BLOB NOT NULL);
      CREATE TABLE IF NOT EXISTS stacks (
        stack_id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        position INTEGER NOT NULL,
        body BLOB NOT NULL
      );
      CREATE TABLE IF NOT EXISTS dictionaries (hash TEXT PRIMARY KEY, body BLOB NOT NULL);
      CREATE TABLE IF NOT EXISTS regions (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        tokens TEXT NOT NULL,
        drift_detections TEXT NOT NULL,
        PRIMARY KEY (account_id, region)
      );
    `);
    const columns = new Set(
      (
        db.prepare('PRAGMA table_info(stacks)').all() as Array<{ name: string }>
      ).map(c => c.name),
    );
    for (const column of PART_COLUMNS) {
      if (!columns.has(column))
        db.exec(`ALTER TABLE stacks ADD COLUMN ${column}`);
    }
    for (const row of db.prepare('SELECT hash FROM templates').all() as Array<{
      hash: string;
    }>) {
      this.savedTemplates.add(row.hash);
    }
    for (const row of db
      .prepare('SELECT hash FROM dictionaries')
      .all() as Array<{ hash: string }>) {
      this.savedDictionaries.add(row.hash);
    }
  }

  /**
   * The saved state, or undefined when the file holds none yet. Throws `UnreadableStateFileError` when it was
   * written with another seed or format. Stacks come back with their compressed parts in `store`.
   */
  load(store: StackStore): SavedState | undefined {
    const meta = new Map(
      (
        this.db.prepare('SELECT key, value FROM meta').all() as Array<{
          key: string;
          value: string;
        }>
      ).map(row => [row.key, row.value]),
    );
    if (!meta.has('format')) return undefined;
    if (
      !READABLE_FORMATS.has(meta.get('format') ?? '') ||
      meta.get('seed') !== String(this.seed)
    ) {
      throw new UnreadableStateFileError(
        'the state file was written with another seed or format',
      );
    }
    const templates = new Map(
      (
        this.db.prepare('SELECT hash, body FROM templates').all() as Array<{
          hash: string;
          body: Buffer;
        }>
      ).map(row => [row.hash, inflateRawSync(row.body).toString('utf8')]),
    );
    const dictionaries = new Map(
      (
        this.db.prepare('SELECT hash, body FROM dictionaries').all() as Array<{
          hash: string;
          body: Buffer;
        }>
      ).map(row => [row.hash, row.body]),
    );
    const regions = new Map<string, SavedRegion>();
    const regionOf = (accountId: string, region: string) => {
      const key = `${accountId}/${region}`;
      let saved = regions.get(key);
      if (!saved) {
        saved = {
          accountId,
          region,
          stacks: [],
          tokens: new Map(),
          driftDetections: new Map(),
        };
        regions.set(key, saved);
      }
      return saved;
    };
    const stackRows = this.db
      .prepare(
        `SELECT account_id, region, body, ${PART_COLUMNS.join(
          ', ',
        )} FROM stacks ORDER BY account_id, region, position`,
      )
      .iterate() as IterableIterator<StackRow>;
    for (const row of stackRows) {
      const stack = JSON.parse(
        inflateRawSync(row.body).toString('utf8'),
        (key, value) =>
          key === 'templateBody' &&
          typeof value === 'string' &&
          value.startsWith(TEMPLATE_PREFIX)
            ? templates.get(value.slice(TEMPLATE_PREFIX.length)) ?? ''
            : value,
      ) as StackRecord;
      const part = (data: Buffer | null, dictionaryHash: string | null) =>
        data && dictionaryHash ? { data, dictionaryHash } : undefined;
      regionOf(row.account_id, row.region).stacks.push(
        store.fromStored(
          {
            record: stack,
            resources: part(row.resources, row.resources_dictionary),
            events: part(row.events, row.events_dictionary),
          },
          dictionaries,
        ),
      );
    }
    const regionRows = this.db
      .prepare(
        'SELECT account_id, region, tokens, drift_detections FROM regions',
      )
      .all() as Array<{
      account_id: string;
      region: string;
      tokens: string;
      drift_detections: string;
    }>;
    for (const row of regionRows) {
      const saved = regionOf(row.account_id, row.region);
      saved.tokens = new Map(JSON.parse(row.tokens));
      saved.driftDetections = new Map(JSON.parse(row.drift_detections));
    }
    return {
      regions: [...regions.values()],
      alarms: JSON.parse(meta.get('alarms') ?? '[]'),
    };
  }

  /** Writes the given stacks (their position is their index in their Region), every Region's maps and the alarms, in one transaction. */
  save(
    regions: RegionState[],
    stacks: Iterable<StackRecord>,
    alarms: Array<[string, string]>,
    store: StackStore,
  ): void {
    const putTemplate = this.db.prepare(
      'INSERT OR IGNORE INTO templates (hash, body) VALUES (?, ?)',
    );
    const putDictionary = this.db.prepare(
      'INSERT OR IGNORE INTO dictionaries (hash, body) VALUES (?, ?)',
    );
    const putStack = this.db.prepare(
      `INSERT INTO stacks (stack_id, account_id, region, position, body, ${PART_COLUMNS.join(
        ', ',
      )}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (stack_id) DO UPDATE SET position = excluded.position, body = excluded.body, ${PART_COLUMNS.map(
         c => `${c} = excluded.${c}`,
       ).join(', ')}`,
    );
    const putRegion = this.db.prepare(
      `INSERT INTO regions (account_id, region, tokens, drift_detections) VALUES (?, ?, ?, ?)
       ON CONFLICT (account_id, region) DO UPDATE SET tokens = excluded.tokens,
         drift_detections = excluded.drift_detections`,
    );
    const putMeta = this.db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    const positions = new Map<StackRecord, number>();
    for (const state of regions) {
      state.stacks.forEach((stack, index) => positions.set(stack, index));
    }
    const part = (stored: StoredPart | undefined) => {
      if (!stored) return [null, null];
      if (!this.savedDictionaries.has(stored.dictionaryHash)) {
        putDictionary.run(
          stored.dictionaryHash,
          store.dictionary(stored.dictionaryHash),
        );
        this.savedDictionaries.add(stored.dictionaryHash);
      }
      return [stored.data, stored.dictionaryHash];
    };
    this.db.transaction(() => {
      for (const stack of stacks) {
        const { record, resources, events } = store.toStored(stack);
        const ref = (body: string) => {
          if (!body) return body;
          const hash = this.templateHash(body);
          if (!this.savedTemplates.has(hash)) {
            putTemplate.run(hash, deflateRawSync(body, { level: 1 }));
            this.savedTemplates.add(hash);
          }
          return `${TEMPLATE_PREFIX}${hash}`;
        };
        // The bodies of the stack and its change sets are stored once; an operation in flight keeps its own.
        const json = JSON.stringify({
          ...record,
          definition: {
            ...record.definition,
            templateBody: ref(record.definition.templateBody),
          },
          changeSets: record.changeSets.map(changeSet => ({
            ...changeSet,
            templateBody: ref(changeSet.templateBody),
          })),
        });
        putStack.run(
          stack.stackId,
          stack.accountId,
          stack.region,
          positions.get(stack) ?? 0,
          deflateRawSync(json, { level: 1 }),
          ...part(resources),
          ...part(events),
        );
      }
      for (const state of regions) {
        putRegion.run(
          state.accountId,
          state.region,
          JSON.stringify([...state.tokens]),
          JSON.stringify([...state.driftDetections]),
        );
      }
      putMeta.run('format', FORMAT);
      putMeta.run('seed', String(this.seed));
      putMeta.run('alarms', JSON.stringify(alarms));
    })();
  }

  /** Forgets everything saved (a state of another seed or format). */
  clear(): void {
    this.db.exec(
      'DELETE FROM meta; DELETE FROM templates; DELETE FROM dictionaries; DELETE FROM stacks; DELETE FROM regions;',
    );
    this.savedTemplates.clear();
    this.savedDictionaries.clear();
  }

  close(): void {
    this.db.close();
  }

  private templateHash(body: string): string {
    let hash = this.templateHashes.get(body);
    if (!hash) {
      hash = createHash('sha256').update(body).digest('hex');
      this.templateHashes.set(body, hash);
    }
    return hash;
  }
}
