import { createHash } from 'node:crypto';
import {
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import { isIsoDate } from '../time/periods.js';
import { readRegistryUnits } from '../units/bundled.js';
import type { ResolvedUnit, UnitLookup } from '../units/ports.js';
import type { UnitRegistry } from '../units/registry.js';
import { unitSets, withSets } from '../units/resolved.js';
import { inForceOn, type Unit, UnitSchema } from '../units/types.js';
import * as z from '../zod.js';
import {
  ENTITY_ATTRIBUTE,
  UNIT_ENTITY,
  UNIT_MANIFEST_ENTITY,
  unitCodeIndexKey,
  unitCodePartition,
  unitKey,
  unitManifestKey,
} from './keys.js';
import { countAll, queryAll } from './pages.js';
import { orUnavailable } from './sdk-errors.js';
import { recordsTable } from './tables.js';

/**
 * The unit registry in the `records` table (keys and access patterns: keys.ts). Each unit is stored with its
 * precomputed roll-up and coverage, so a handler or the aggregation resolves a code on a date with one Query
 * and never needs the whole registry in memory.
 */

/** Bumped when the stored form of a unit changes, so that a store written by older code is rewritten. */
const UNIT_ITEM_VERSION = 1;

const BATCH_SIZE = 25; // BatchWriteItem's limit
const PARALLEL_BATCHES = 4;
const MAX_ATTEMPTS = 8;

const StoredUnitSchema = z.extend(UnitSchema, {
  rollup: z.array(z.string()),
  coverage: z.array(z.string()),
  changes: z.optional(
    z.array(z.object({ from: z.string(), rollup: z.array(z.string()), coverage: z.array(z.string()) })),
  ),
});
type StoredUnit = z.infer<typeof StoredUnitSchema>;

export interface UnitsManifest {
  readonly count: number;
  /** unitsDigest() of the units written: compare with the committed registry to know whether to reload. */
  readonly digest: string;
  readonly savedAt: string;
}

/** The item of a unit: every Unit field, its precomputed sets, and its keys. */
export function unitItem(unit: Unit, registry: UnitRegistry): Record<string, unknown> {
  return {
    ...unitKey(unit.id),
    ...unitCodeIndexKey(unit.code, unit.validFrom, unit.id),
    [ENTITY_ATTRIBUTE]: UNIT_ENTITY,
    ...unit,
    ...unitSets(registry, unit.id),
  };
}

/** A digest of a list of units (and of the stored form), to tell whether a store holds exactly these units. */
export function unitsDigest(units: readonly Unit[]): string {
  const hash = createHash('sha256').update(`v${UNIT_ITEM_VERSION}\n`);
  for (const unit of units) hash.update(`${JSON.stringify(unit)}\n`);
  return hash.digest('hex');
}

/**
 * Writes the units (with their sets, computed from the registry) in batches of 25, retrying unprocessed items
 * with backoff, then the manifest. Puts are idempotent, so an interrupted import is simply run again; the
 * manifest is written last, so after an interrupted import the store has no manifest, or an older one whose
 * digest does not match the units.
 */
export async function saveUnits(
  doc: DynamoDBDocumentClient,
  tableName: string,
  units: readonly Unit[],
  registry: UnitRegistry,
  onProgress?: (written: number, total: number) => void,
): Promise<UnitsManifest> {
  const items = units.map((unit) => unitItem(unit, registry));
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += BATCH_SIZE) batches.push(items.slice(i, i + BATCH_SIZE));
  let written = 0;
  let nextBatch = 0;
  const worker = async function writeBatches(): Promise<void> {
    for (let index = nextBatch++; index < batches.length; index = nextBatch++) {
      const batch = batches[index] ?? [];
      await writeBatch(doc, tableName, batch);
      written += batch.length;
      onProgress?.(written, items.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_BATCHES, batches.length) }, worker));
  const manifest: UnitsManifest = {
    count: units.length,
    digest: unitsDigest(units),
    savedAt: new Date().toISOString(),
  };
  await saveUnitsManifest(doc, tableName, manifest);
  return manifest;
}

/** Writes the manifest of an import (saveUnits does, last). */
export async function saveUnitsManifest(
  doc: DynamoDBDocumentClient,
  tableName: string,
  manifest: UnitsManifest,
): Promise<void> {
  await doc.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...unitManifestKey(), [ENTITY_ATTRIBUTE]: UNIT_MANIFEST_ENTITY, ...manifest },
    }),
  );
}

async function writeBatch(doc: DynamoDBDocumentClient, tableName: string, items: Record<string, unknown>[]) {
  let requests = items.map((Item) => ({ PutRequest: { Item } }));
  for (let attempt = 1; requests.length > 0; attempt++) {
    if (attempt > MAX_ATTEMPTS) {
      throw new Error(`${requests.length} unit items still unprocessed after ${MAX_ATTEMPTS} attempts`);
    }
    if (attempt > 1) await sleep(Math.min(2000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2));
    const output: BatchWriteCommandOutput = await doc.send(
      new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
    );
    // Unprocessed items are what DynamoDB could not take this time (throttling, partition limits): send them again.
    requests = (output.UnprocessedItems?.[tableName] ?? []).flatMap((request) =>
      request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : [],
    );
  }
}

/** The manifest of the last completed import, or undefined when no import completed. */
export async function readUnitsManifest(
  doc: DynamoDBDocumentClient,
  tableName: string,
): Promise<UnitsManifest | undefined> {
  const { Item } = await doc.send(
    new GetCommand({ TableName: tableName, Key: unitManifestKey(), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  return { count: Number(Item.count), digest: String(Item.digest), savedAt: String(Item.savedAt) };
}

/**
 * Counts the unit items by scanning the table: exact, but it reads the whole table, so it is for tools and tests;
 * at start-up read the manifest instead.
 */
export async function countUnits(doc: DynamoDBDocumentClient, tableName: string): Promise<number> {
  return countAll(doc, {
    TableName: tableName,
    FilterExpression: '#entity = :unit',
    ExpressionAttributeNames: { '#entity': ENTITY_ATTRIBUTE },
    ExpressionAttributeValues: { ':unit': UNIT_ENTITY },
  });
}

export interface DynamoUnitLookupOptions {
  /** How long a looked-up unit is reused; units change about once a decade, so minutes are safe. */
  readonly ttlMs?: number;
  /** Most cached entries; the oldest go first. Bounds memory against lookups of many unknown codes. */
  readonly maxEntries?: number;
  /** Clock, for tests. */
  readonly now?: () => number;
  /**
   * The registry shipped with the code (`bundledUnits`), to resolve units without a request: trusted only while its
   * digest equals that of the store's manifest (read once per cache period), so a store imported from another
   * registry is always answered from the store. Without it, every code is looked up in the store.
   */
  readonly bundled?: () => Promise<BundledUnits | undefined>;
}

/** A registry in memory and the digest of its units (unitsDigest), to compare with a store's manifest. */
export interface BundledUnits {
  readonly registry: UnitRegistry;
  readonly digest: string;
}

let bundledOnce: Promise<BundledUnits | undefined> | undefined;

/**
 * The committed registry shipped with the code (shared/units/bundled.ts), read, indexed and digested once per
 * process on first use (about 0.25 s for the whole country), never at module init. Undefined when the file is not
 * there or cannot be read: the lookup then asks the store, as it would for any store it cannot vouch for.
 */
export function bundledUnits(): Promise<BundledUnits | undefined> {
  bundledOnce ??= loadBundledUnits();
  return bundledOnce;
}

/** A registry file read, indexed and digested (`bundledUnits` does it once per process); undefined when missing or unreadable. */
export async function loadBundledUnits(path?: string): Promise<BundledUnits | undefined> {
  try {
    const units = await readRegistryUnits(path);
    if (!units) return undefined;
    // Imported here, not at the top: the registry's module (and its collator) is evaluated only by a function that
    // resolves a unit, on its first lookup, so a bundle's module init stays what it was (esbuild keeps it lazy).
    const { UnitRegistry } = await import('../units/registry.js');
    return { registry: new UnitRegistry(units), digest: unitsDigest(units) };
  } catch {
    return undefined;
  }
}

/**
 * The UnitLookup port over DynamoDB, with an in-process cache: a warm Lambda resolves a code without a request.
 * Unknown codes are cached too (as absent). SDK failures that mean "try later" become ServiceUnavailableError.
 */
export class DynamoUnitLookup implements UnitLookup {
  readonly #cache: TtlCache<StoredUnit[]>;
  /** The bundled registry while the store's manifest vouches for it, else undefined; one entry, same expiry. */
  readonly #trusted: TtlCache<UnitRegistry | undefined>;
  readonly #bundled: (() => Promise<BundledUnits | undefined>) | undefined;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoUnitLookupOptions = {},
  ) {
    const ttlMs = options.ttlMs ?? 10 * 60_000;
    this.#cache = new TtlCache(ttlMs, options.maxEntries ?? 20_000, options.now ?? Date.now);
    this.#trusted = new TtlCache(ttlMs, 1, options.now ?? Date.now);
    this.#bundled = options.bundled;
  }

  /** The unit with this code in force on the date, with its sets for a record of that date. */
  async resolve(code: string, onDate: string): Promise<ResolvedUnit | undefined> {
    if (!isIsoDate(onDate)) throw new RangeError(`not a date (YYYY-MM-DD): ${onDate}`);
    const registry = await this.#trustedRegistry();
    const versions = registry
      ? this.#fromRegistry(registry, registry.versions(code))
      : await this.#cache.get(`code:${code}`, () => this.#queryCode(code));
    const stored = versions.find((unit) => inForceOn(unit, onDate));
    return stored && toResolved(stored, onDate);
  }

  /** The unit with this id, with its sets for the date (over all time without one). */
  async get(id: string, onDate?: string): Promise<ResolvedUnit | undefined> {
    const registry = await this.#trustedRegistry();
    const unit = registry?.get(id);
    const [stored] = registry
      ? this.#fromRegistry(registry, unit ? [unit] : [])
      : await this.#cache.get(`id:${id}`, () => this.#getItem(id));
    return stored && toResolved(stored, onDate);
  }

  /** Forgets everything cached (after an import in the same process). */
  clear(): void {
    this.#cache.clear();
    this.#trusted.clear();
  }

  /**
   * The bundled registry when the store holds exactly its units: the manifest's digest (read once per cache period,
   * like any cached unit) equals the bundled units' digest. Their items were computed from those units
   * (`unitItem`), so the registry gives the same answers the store would.
   */
  #trustedRegistry(): Promise<UnitRegistry | undefined> {
    const bundled = this.#bundled;
    if (!bundled) return Promise.resolve(undefined);
    return this.#trusted.get('manifest', async () => {
      const manifest = await orUnavailable(readUnitsManifest(this.doc, this.tableName));
      if (!manifest) return undefined;
      const units = await bundled();
      return units?.digest === manifest.digest ? units.registry : undefined;
    });
  }

  /** Units of the registry in their stored form, as the store's item would give them (sets, then validation). */
  #fromRegistry(registry: UnitRegistry, units: readonly Unit[]): StoredUnit[] {
    return units.map((unit) => StoredUnitSchema.parse({ ...unit, ...unitSets(registry, unit.id) }));
  }

  async #queryCode(code: string): Promise<StoredUnit[]> {
    const items = await orUnavailable(
      queryAll(this.doc, {
        TableName: this.tableName,
        IndexName: recordsTable.indexes[0].indexName,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': unitCodePartition(code) },
      }),
    );
    return items.map((item) => StoredUnitSchema.parse(item));
  }

  async #getItem(id: string): Promise<StoredUnit[]> {
    const { Item } = await orUnavailable(
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: unitKey(id) })),
    );
    return Item ? [StoredUnitSchema.parse(Item)] : [];
  }
}

function toResolved(stored: StoredUnit, onDate: string | undefined): ResolvedUnit {
  const { rollup, coverage, changes, ...unit } = stored;
  return withSets(unit, { rollup, coverage, ...(changes ? { changes } : {}) }, onDate);
}

/** A small cache of promises (concurrent lookups of one key share one request) with expiry and a size bound. */
class TtlCache<V> {
  readonly #entries = new Map<string, { readonly expires: number; readonly value: Promise<V> }>();
  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.#entries.get(key);
    if (hit && hit.expires > this.now()) return hit.value;
    this.#entries.delete(key);
    const value = load();
    this.#entries.set(key, { expires: this.now() + this.ttlMs, value });
    // A failed lookup is not remembered: the next call tries again.
    value.catch(() => {
      if (this.#entries.get(key)?.value === value) this.#entries.delete(key);
    });
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
    return value;
  }

  clear(): void {
    this.#entries.clear();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
