import { requiredEnv } from '../env.js';

/**
 * The one definition of the project's DynamoDB tables. The CDK data stack, the local stack (`npm start`)
 * and the tests all build their tables from these objects, so keys, indexes, streams and TTL cannot drift.
 *
 * Two tables, on purpose:
 * - `records` holds what people and agencies submit (conclusions and their versions, survey responses,
 *   reports), the registries (units, agencies, keys) and the replay markers of agencies' tokens. Its stream (new
 *   and old images) feeds the aggregation and the transparency log.
 * - `stats` holds the counters the aggregation keeps and its exactly-once markers, and the survey function's
 *   rate-limit buckets (guards, kept off the records stream; keys.ts, "Rate-limit buckets"). Its stream carries
 *   keys only and feeds only the publisher (infra/stacks/publishing-stack.ts: a pipe that lets through the dirty
 *   marker's changes alone), never the aggregation, which so never feeds on its own writes.
 * Access patterns and key builders: `keys.ts`.
 */

export type KeyType = 'HASH' | 'RANGE';
export type AttributeType = 'S' | 'N' | 'B';

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

export interface TableDefinition {
  /** Logical name; the physical name is `${prefix}${logicalName}`. */
  readonly logicalName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly indexes: readonly IndexDefinition[];
  /** Attribute with an epoch-seconds expiry, or undefined for none. */
  readonly ttlAttribute?: string;
  readonly stream?: 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY';
  /**
   * `false` for a stream only AWS reads: the local stack and the tests then create the table without it. DynamoDB
   * Local writes a stream record inside every write, which slowed the aggregation's counter transactions several
   * times over (the Hanoi totals test: about 90 s before, over 240 s after), for a stream nothing local reads.
   */
  readonly streamLocally?: false;
}

/** Submitted records, registries and guards. Streamed to the aggregation. */
export const recordsTable = {
  logicalName: 'records',
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [
    // gsi1: secondary lookups (unit by code, conclusions by year, pending comments); see keys.ts.
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  ],
  ttlAttribute: 'expiresAt',
  stream: 'NEW_AND_OLD_IMAGES',
} as const satisfies TableDefinition;

/** Aggregated counters and the aggregation's applied-change markers. Streamed (keys only) to the publisher. */
export const statsTable = {
  logicalName: 'stats',
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [],
  ttlAttribute: 'expiresAt',
  // The publisher starts on a change of the dirty marker (`META#dirty`); its key is all it needs. Locally the site
  // rebuilder reads the marker itself (local/site-rebuilder.ts), so the engine keeps no stream of this table.
  stream: 'KEYS_ONLY',
  streamLocally: false,
} as const satisfies TableDefinition;

export const tables = [recordsTable, statsTable] as const;

/** Physical table names for one deployment or test run. */
export interface TableNames {
  readonly records: string;
  readonly stats: string;
}

/** Names from the environment (`RECORDS_TABLE`, `STATS_TABLE`), as set by CDK and the local stack. */
export function tableNamesFromEnv(env: NodeJS.ProcessEnv = process.env): TableNames {
  const values = requiredEnv(env, ['RECORDS_TABLE', 'STATS_TABLE'], 'RECORDS_TABLE and STATS_TABLE must be set');
  return { records: values.RECORDS_TABLE, stats: values.STATS_TABLE };
}

/** Names with a prefix, used by the local stack (`local-`) and by each test file (a unique prefix). */
export function prefixedTableNames(prefix: string): TableNames {
  return { records: `${prefix}${recordsTable.logicalName}`, stats: `${prefix}${statsTable.logicalName}` };
}
