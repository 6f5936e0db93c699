import { setTimeout as sleep } from 'node:timers/promises';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type Counters, parseBucketKey, type Scope } from '../stats/counters.js';
import { fnv1a } from '../stats/hash.js';
import { SPIKE_BASELINE_DAYS } from '../stats/methodology.js';
import type { ChunkWrite, PositionRef, StatsStore } from '../stats/ports.js';
import { parseHourKey } from '../stats/spikes.js';
import { forEachCounterItem, isLegacyCounterKey } from './export-reader.js';
import {
  APPLIED_SET_ENTITY,
  appliedSetKey,
  COUNTER_ENTITY,
  counterKey,
  dirtyKey,
  ENTITY_ATTRIBUTE,
  HOURLY_ENTITY,
  hourlyKey,
} from './keys.js';
import { transact } from './transactions.js';

/**
 * The stats table (keys: keys.ts, "Statistics"): sharded counters, the applied sets of the aggregation and the
 * dirty item. Counters only ever change by `ADD`, so writers never read them and concurrent writers commute.
 */

/** Applied sets outlive the stream's 24-hour retention by a margin: no record can be redelivered after that. */
export const APPLIED_SET_TTL_SECONDS = 4 * 24 * 3600;

/**
 * Shards per bucket, by scope: a province's buckets receive a write from every chunk of every stream shard that
 * touches the province; a district's far fewer; a ward's or an agency's few. Sizing: docs/statistics.md.
 */
export function counterShards(scope: Scope): number {
  if (!scope.startsWith('U#')) return 1;
  const code = scope.slice(2).replace(/-pre2025$/, '');
  if (code.length === 2) return 8;
  if (code.length === 3) return 2;
  return 1;
}

/**
 * The shard a chunk writes a bucket to: a hash of the chunk's first position, so that concurrent chunks (from
 * different stream shards) spread over the shards and rarely meet on one item.
 */
export function shardFor(scope: Scope, chunkId: string): number {
  const shards = counterShards(scope);
  return shards === 1 ? 0 : fnv1a(chunkId) % shards;
}

/** Attempts of a transaction cancelled only by a conflict with another transaction on the same item. */
const CONFLICT_ATTEMPTS = 6;
/** BatchGetItem's limit of keys per request. */
const BATCH_GET_KEYS = 100;

/** The StatsStore port over DynamoDB. */
export class DynamoStatsStore implements StatsStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Reads the applied sets of the positions (strongly consistent) and answers the tokens found in them. */
  async appliedAmong(positions: readonly PositionRef[]): Promise<Set<string>> {
    const sets = [...new Set(positions.map((position) => position.set))];
    const found = new Map<string, ReadonlySet<string>>();
    for (let i = 0; i < sets.length; i += BATCH_GET_KEYS) {
      let keys: Record<string, unknown>[] = sets.slice(i, i + BATCH_GET_KEYS).map((set) => appliedSetKey(set));
      for (let attempt = 0; keys.length > 0; attempt++) {
        if (attempt > 0) await sleep(20 * 2 ** Math.min(attempt, 6));
        const page: BatchGetCommandOutput = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of page.Responses?.[this.tableName] ?? []) {
          const tokens = item.tokens;
          if (typeof item.set === 'string' && tokens instanceof Set) found.set(item.set, tokens as Set<string>);
        }
        keys = page.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
        if (attempt > 8 && keys.length > 0) throw new Error('the applied sets could not be read (throttled)');
      }
    }
    return new Set(positions.filter((p) => found.get(p.set)?.has(p.id)).map((p) => p.id));
  }

  /**
   * One transaction: each applied set gets its new tokens, on condition that none is in it yet, and each bucket its
   * ADD. What the conditions guarantee: a position's deltas are added once, whichever delivery gets there first.
   */
  async applyChunk(chunk: ChunkWrite): Promise<'applied' | 'already-applied'> {
    const first = chunk.positions[0];
    if (!first) return 'applied';
    const bySet = new Map<string, string[]>();
    for (const position of chunk.positions) bySet.set(position.set, [...(bySet.get(position.set) ?? []), position.id]);
    const expiresAt = Math.floor(this.now() / 1000) + APPLIED_SET_TTL_SECONDS;
    const hourExpiresAt = Math.floor(this.now() / 1000) + HOURLY_TTL_SECONDS;
    const outcome = await transact(
      this.doc,
      [
        ...[...bySet].map(([set, tokens]) => ({ Update: this.#setUpdate(set, tokens, expiresAt) })),
        ...[...chunk.deltas].map(([key, counters]) => ({
          Update: counterUpdate(this.tableName, key, counters, shardFor(parseBucketKey(key).scope, first.id)),
        })),
        ...[...(chunk.hours ?? [])].map(([key, n]) => ({
          Update: hourlyUpdate(this.tableName, key, n, hourExpiresAt),
        })),
      ],
      {
        // Another transaction held one of the items at that instant: nothing was written; try again.
        conflictAttempts: CONFLICT_ATTEMPTS,
        backoffMs: 10,
        // Only the sets carry a condition: one of the tokens was added by another delivery meanwhile.
        onCancelled: (cancellation) => (cancellation.conditionFailed() ? 'already-applied' : undefined),
      },
    );
    return outcome ?? 'applied';
  }

  /** `ADD version 1` on the dirty item (outside the transactions: every batch of every shard writes it). */
  async markDirty(): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: dirtyKey(),
        UpdateExpression: 'ADD #version :one SET #changedAt = :now',
        ExpressionAttributeNames: { '#version': 'version', '#changedAt': 'changedAt' },
        ExpressionAttributeValues: { ':one': 1, ':now': new Date(this.now()).toISOString() },
      }),
    );
  }

  #setUpdate(set: string, tokens: readonly string[], expiresAt: number) {
    const values: Record<string, unknown> = {
      ':tokens': new Set(tokens),
      ':entity': APPLIED_SET_ENTITY,
      ':set': set,
      ':expiresAt': expiresAt,
    };
    tokens.forEach((token, index) => {
      values[`:t${index}`] = token;
    });
    return {
      TableName: this.tableName,
      Key: appliedSetKey(set),
      UpdateExpression: 'ADD #tokens :tokens SET #entity = :entity, #set = :set, #expiresAt = :expiresAt',
      ConditionExpression: tokens.map((_, index) => `NOT contains(#tokens, :t${index})`).join(' AND '),
      ExpressionAttributeNames: {
        '#tokens': 'tokens',
        '#entity': ENTITY_ATTRIBUTE,
        '#set': 'set',
        '#expiresAt': 'expiresAt',
      },
      ExpressionAttributeValues: values,
    };
  }
}

/**
 * A unit's hourly count outlives the baseline it serves (methodology.ts, SPIKE_BASELINE_DAYS) by a day, then TTL
 * removes it: nothing keeps the hours of responses longer than the spike rule needs them.
 */
export const HOURLY_TTL_SECONDS = (SPIKE_BASELINE_DAYS + 1) * 24 * 3600;

/** The Update of a unit's hourly count: ADD n; SET what it is and when it expires. */
function hourlyUpdate(tableName: string, key: string, n: number, expiresAt: number) {
  const { unitId, hour } = parseHourKey(key);
  return {
    TableName: tableName,
    Key: hourlyKey(unitId, hour),
    UpdateExpression: 'ADD #n :n SET #entity = :entity, #expiresAt = :expiresAt',
    ExpressionAttributeNames: { '#n': 'n', '#entity': ENTITY_ATTRIBUTE, '#expiresAt': 'expiresAt' },
    ExpressionAttributeValues: { ':n': n, ':entity': HOURLY_ENTITY, ':expiresAt': expiresAt },
  };
}

/** The Update of one counter shard: ADD every delta, and SET what the item is (for Scans). */
function counterUpdate(tableName: string, key: string, counters: Counters, shard: number) {
  const { scope, period } = parseBucketKey(key);
  const names: Record<string, string> = { '#entity': ENTITY_ATTRIBUTE, '#scope': 'scope', '#period': 'period' };
  const values: Record<string, unknown> = { ':entity': COUNTER_ENTITY, ':scope': scope, ':period': period };
  const adds: string[] = [];
  Object.entries(counters).forEach(([name, value], index) => {
    names[`#c${index}`] = name;
    values[`:c${index}`] = value;
    adds.push(`#c${index} :c${index}`);
  });
  const set = 'SET #entity = :entity, #scope = :scope, #period = :period';
  return {
    TableName: tableName,
    Key: counterKey(scope, period, shard),
    UpdateExpression: adds.length > 0 ? `${set} ADD ${adds.join(', ')}` : set,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** Deletes the counter items of the earlier layout (isLegacyCounterKey); answers how many there were. */
export async function deleteLegacyCounters(doc: DynamoDBDocumentClient, tableName: string): Promise<number> {
  const keys: { pk: string; sk: string }[] = [];
  await forEachCounterItem(doc, tableName, (item) => {
    if (typeof item.pk === 'string' && typeof item.sk === 'string' && isLegacyCounterKey(item.pk)) {
      keys.push({ pk: item.pk, sk: item.sk });
    }
  });
  const queue = [...keys];
  const worker = async function deleteLegacy(): Promise<void> {
    for (let key = queue.shift(); key; key = queue.shift()) {
      await doc.send(new DeleteCommand({ TableName: tableName, Key: key }));
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return keys.length;
}

/**
 * Adds correcting deltas (recomputed minus counted, in the stored layout) without markers: the repair of
 * `stats rebuild`. ADD keeps concurrent stream updates; the shard is 0 (a correction is rare, and shards are summed
 * on read).
 */
export async function addCorrections(
  doc: DynamoDBDocumentClient,
  tableName: string,
  corrections: ReadonlyMap<string, Counters>,
  onProgress?: (done: number) => void,
): Promise<void> {
  const queue = [...corrections];
  let done = 0;
  const worker = async function writeCorrections(): Promise<void> {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [key, counters] = next;
      await doc.send(new UpdateCommand(counterUpdate(tableName, key, counters, 0)));
      onProgress?.(++done);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** The dirty item's two versions (0 when absent). */
export async function readDirty(
  doc: DynamoDBDocumentClient,
  tableName: string,
): Promise<{ version: number; builtVersion: number }> {
  const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: dirtyKey(), ConsistentRead: true }));
  const version = typeof Item?.version === 'number' ? Item.version : 0;
  const builtVersion = typeof Item?.builtVersion === 'number' ? Item.builtVersion : 0;
  return { version, builtVersion };
}

/** Records that the site was rebuilt from the figures of `version`; never moves `builtVersion` backwards. */
export async function setBuiltVersion(doc: DynamoDBDocumentClient, tableName: string, version: number): Promise<void> {
  try {
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: dirtyKey(),
        UpdateExpression: 'SET #built = :v, #builtAt = :now',
        ConditionExpression: 'attribute_not_exists(#built) OR #built < :v',
        ExpressionAttributeNames: { '#built': 'builtVersion', '#builtAt': 'builtAt' },
        ExpressionAttributeValues: { ':v': version, ':now': new Date().toISOString() },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/** `ADD version 1` on the dirty item: for tools (rebuild) that change figures outside the stream. */
export async function markDirty(doc: DynamoDBDocumentClient, tableName: string): Promise<void> {
  await new DynamoStatsStore(doc, tableName).markDirty();
}
