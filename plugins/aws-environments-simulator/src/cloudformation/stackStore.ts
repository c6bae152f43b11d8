/**
 * Compact storage of stacks at rest. Thousands of stacks made from the same few templates differ in little but ids
 * and names, so a stack with no operation in flight keeps its resources and events compressed, each against a
 * dictionary taken from the first stack of its template; they are expanded when read (resources through a small
 * cache, since inventories read them again and again) and stay expanded once an operation changes them. The state
 * file stores the compressed parts as they are.
 */
import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type {
  ResourceRecord,
  StackDefinition,
  StackEventRecord,
  StackRecord,
} from './model';

/** Deflate's window: a dictionary longer than this is not used beyond its end. */
const DICTIONARY_BYTES = 32 * 1024;
/** Expanded resource maps kept at once; an inventory walks one Region's stacks (about a hundred) at a time. */
const RESOURCE_CACHE_SIZE = 128;

interface Packed {
  dictionary: Buffer;
  /** Names the dictionary in the state file. */
  dictionaryHash: string;
  data: Buffer;
}

interface ColdResources extends Packed {
  types: ReadonlySet<string>;
}

/** A compressed part of a stack as the state file keeps it. */
export interface StoredPart {
  dictionaryHash: string;
  data: Buffer;
}

/** A stack for the state file: its compressed parts as they are, everything else as plain data. */
export interface StoredStack {
  /** The stack without the parts below (`definition.resources`, `events`) when they are compressed. */
  record: StackRecord;
  resources?: StoredPart;
  events?: StoredPart;
}

/** A map that forgets its least recently used entries beyond `capacity`. */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      this.entries.delete(this.entries.keys().next().value as K);
    }
  }

  delete(key: K): void {
    this.entries.delete(key);
  }
}

/** The compressed resources of stack definitions; a definition is compressed at most once. */
const coldResources = new WeakMap<StackDefinition, ColdResources>();

/** Whether a stack has a resource of a type, without expanding its resources when they are compressed. */
export function hasResourceType(stack: StackRecord, type: string): boolean {
  const cold = coldResources.get(stack.definition);
  if (cold) return cold.types.has(type);
  return Object.values(stack.definition.resources).some(r => r.type === type);
}

export class StackStore {
  /** By `<part>\u0000<template body>`. */
  private readonly dictionaries = new Map<
    string,
    { dictionary: Buffer; dictionaryHash: string }
  >();
  private readonly dictionariesByHash = new Map<string, Buffer>();
  private readonly typeSets = new Map<string, ReadonlySet<string>>();
  private readonly coldEvents = new WeakMap<StackRecord, Packed>();
  private readonly expanded = new LruCache<
    StackDefinition,
    Record<string, ResourceRecord>
  >(RESOURCE_CACHE_SIZE);

  /** Compresses the resources and events of a stack with no operation in flight; they read as before. */
  compact(stack: StackRecord): void {
    if (stack.operation) return;
    const definition = stack.definition;
    const key = definition.templateBody;
    if (!coldResources.has(definition)) {
      const resources = definition.resources;
      this.coldenResources(
        definition,
        this.pack(`resources\u0000${key}`, JSON.stringify(resources)),
        resources,
      );
    }
    if (!this.coldEvents.has(stack) && stack.events.length > 0) {
      this.coldenEvents(
        stack,
        this.pack(`events\u0000${key}`, JSON.stringify(stack.events)),
      );
    }
  }

  /** Makes a stack's events a plain array again, before events are added to it. */
  thawEvents(stack: StackRecord): void {
    if (this.coldEvents.has(stack)) this.warmEvents(stack, stack.events);
  }

  /** The stack as the state file stores it. */
  toStored(stack: StackRecord): StoredStack {
    const resources = coldResources.get(stack.definition);
    const events = this.coldEvents.get(stack);
    if (!resources && !events) return { record: stack };
    const record = without(stack, events ? 'events' : undefined);
    if (resources) record.definition = without(stack.definition, 'resources');
    return {
      record,
      ...(resources ? { resources: storedPart(resources) } : {}),
      ...(events ? { events: storedPart(events) } : {}),
    };
  }

  /** A stack read from the state file, its compressed parts kept compressed. */
  fromStored(
    stored: StoredStack,
    dictionaries: ReadonlyMap<string, Buffer>,
  ): StackRecord {
    const stack = stored.record;
    const key = stack.definition.templateBody;
    const packed = (part: string, { dictionaryHash, data }: StoredPart) => {
      const dictionary =
        this.dictionariesByHash.get(dictionaryHash) ??
        dictionaries.get(dictionaryHash);
      if (!dictionary) {
        throw new Error(
          `stack ${stack.stackName} of the state file names a dictionary the file does not hold`,
        );
      }
      this.dictionariesByHash.set(dictionaryHash, dictionary);
      if (!this.dictionaries.has(`${part}\u0000${key}`)) {
        this.dictionaries.set(`${part}\u0000${key}`, {
          dictionary,
          dictionaryHash,
        });
      }
      return { dictionary, dictionaryHash, data };
    };
    if (stored.resources) {
      const part = packed('resources', stored.resources);
      this.coldenResources(
        stack.definition,
        part,
        unpack(part) as Record<string, ResourceRecord>,
      );
    } else if (!stack.definition.resources) {
      stack.definition.resources = {};
    }
    if (stored.events)
      this.coldenEvents(stack, packed('events', stored.events));
    else if (!stack.events) stack.events = [];
    // A stack saved whole (in flight, or by an older version) is compacted now if it is at rest.
    this.compact(stack);
    return stack;
  }

  /** The bytes of a dictionary, for the state file. */
  dictionary(dictionaryHash: string): Buffer | undefined {
    return this.dictionariesByHash.get(dictionaryHash);
  }

  private coldenResources(
    definition: StackDefinition,
    packed: Packed,
    resources: Record<string, ResourceRecord>,
  ) {
    const cold: ColdResources = {
      ...packed,
      types: this.typeSet(Object.values(resources).map(r => r.type)),
    };
    coldResources.set(definition, cold);
    Object.defineProperty(definition, 'resources', {
      configurable: true,
      enumerable: true,
      get: () => this.expandResources(definition, cold),
      set: (value: Record<string, ResourceRecord>) =>
        this.warmResources(definition, value),
    });
  }

  private coldenEvents(stack: StackRecord, cold: Packed) {
    this.coldEvents.set(stack, cold);
    Object.defineProperty(stack, 'events', {
      configurable: true,
      enumerable: true,
      get: () => unpack(cold) as StackEventRecord[],
      set: (value: StackEventRecord[]) => this.warmEvents(stack, value),
    });
  }

  private expandResources(
    definition: StackDefinition,
    cold: ColdResources,
  ): Record<string, ResourceRecord> {
    let resources = this.expanded.get(definition);
    if (!resources) {
      resources = unpack(cold) as Record<string, ResourceRecord>;
      this.expanded.set(definition, resources);
    }
    return resources;
  }

  private warmResources(
    definition: StackDefinition,
    value: Record<string, ResourceRecord>,
  ) {
    coldResources.delete(definition);
    this.expanded.delete(definition);
    Object.defineProperty(definition, 'resources', {
      configurable: true,
      enumerable: true,
      writable: true,
      value,
    });
  }

  private warmEvents(stack: StackRecord, value: StackEventRecord[]) {
    this.coldEvents.delete(stack);
    Object.defineProperty(stack, 'events', {
      configurable: true,
      enumerable: true,
      writable: true,
      value,
    });
  }

  private pack(key: string, json: string): Packed {
    let entry = this.dictionaries.get(key);
    if (!entry) {
      const bytes = Buffer.from(json);
      const dictionary = Buffer.from(
        bytes.subarray(Math.max(0, bytes.length - DICTIONARY_BYTES)),
      );
      const dictionaryHash = createHash('sha256')
        .update(dictionary)
        .digest('hex');
      entry = { dictionary, dictionaryHash };
      this.dictionaries.set(key, entry);
      this.dictionariesByHash.set(dictionaryHash, dictionary);
    }
    const { dictionary, dictionaryHash } = entry;
    // Copied: deflate's output is a view of a larger buffer, which would otherwise stay allocated with it.
    return {
      dictionary,
      dictionaryHash,
      data: Buffer.from(deflateRawSync(json, { dictionary })),
    };
  }

  /** One shared set per distinct list of types: most stacks of a template have the same. */
  private typeSet(types: string[]): ReadonlySet<string> {
    const unique = [...new Set(types)].sort();
    const key = unique.join(',');
    let set = this.typeSets.get(key);
    if (!set) {
      set = new Set(unique);
      this.typeSets.set(key, set);
    }
    return set;
  }
}

function storedPart({ dictionaryHash, data }: Packed): StoredPart {
  return { dictionaryHash, data };
}

/** A shallow copy of an object's own enumerable properties but one, without reading that one. */
function without<T extends object>(value: T, omitted: string | undefined): T {
  const copy: Record<string, unknown> = {};
  for (const name of Object.keys(value)) {
    if (name !== omitted) copy[name] = (value as Record<string, unknown>)[name];
  }
  return copy as T;
}

function unpack(packed: Packed): unknown {
  return JSON.parse(
    inflateRawSync(packed.data, { dictionary: packed.dictionary }).toString(
      'utf8',
    ),
  );
}
