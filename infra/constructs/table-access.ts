import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RecordsUse, StatsUse } from '../../functions/routes.js';
import { RECORDS_PARTITIONS, type RecordsPartition, STATS_PARTITIONS } from '../../shared/storage/keys.js';
import type { TableDefinition } from '../../shared/storage/tables.js';
import { InfraDefinitionError, MissingStreamError } from '../errors.js';

/**
 * Least-privilege DynamoDB statements built from the shared table definition: the table and its named indexes
 * only (never `index/*`), and only the item-level actions each kind of access needs. Transactions need no
 * actions of their own: DynamoDB checks the per-item actions of each part.
 */

/** `read`: point reads and queries. `write`: adds item writes. `export`: adds Scan, for the statistics export. */
export type TableAccess = 'read' | 'write' | 'export';

const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] as const;

const ACTIONS: Readonly<Record<TableAccess, readonly string[]>> = {
  read: READ_ACTIONS,
  // The stream consumers' writes to the stats table: Puts and Updates, alone or in transactions. Nothing in a
  // function deletes an item or batch-writes (only the operator's CLI does, with its own credentials).
  write: [...READ_ACTIONS, 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  export: [...READ_ACTIONS, 'dynamodb:Scan'],
};

/**
 * The `dynamodb:LeadingKeys` condition that limits item actions to the partitions named (`SURVEY#*`, …). IAM
 * requires ForAllValues with this multivalued key; a request names its leading keys in every item action.
 */
export function leadingKeysCondition(
  partitions: readonly RecordsPartition[],
): Record<string, Record<string, string[]>> {
  return leadingPrefixesCondition(partitions.map((p) => RECORDS_PARTITIONS[p]));
}

/** The `dynamodb:LeadingKeys` condition for partition keys starting with one of `prefixes`. */
function leadingPrefixesCondition(prefixes: readonly string[]): Record<string, Record<string, string[]>> {
  return { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes.map((prefix) => `${prefix}*`) } };
}

/**
 * A route's statements on the records table, from its declaration (functions/routes.ts): reads on the table and
 * its indexes; writes, if any, exactly the declared actions, on the table only (an index is never written), and
 * only on items whose partition key starts with one of the route's own prefixes.
 */
export function recordsUseStatements(table: ITable, definition: TableDefinition, use: RecordsUse): PolicyStatement[] {
  const read = tableAccessStatement(table, definition, 'read');
  if (use === 'read') return [read];
  if (use.write.length === 0 || use.partitions.length === 0) {
    throw new InfraDefinitionError('a records write declares at least one action and one partition');
  }
  return [
    read,
    new PolicyStatement({
      actions: use.write.map((action) => `dynamodb:${action}`),
      resources: [table.tableArn],
      conditions: leadingKeysCondition(use.partitions),
    }),
  ];
}

/**
 * A route's statements on the stats table (functions/routes.ts): reads of the table, or exactly the declared write
 * actions on items whose partition key starts with one of the route's own prefixes (keys.ts, STATS_PARTITIONS), and
 * no read: the survey function adds to its rate-limit buckets and reads nothing else there.
 */
export function statsUseStatements(table: ITable, definition: TableDefinition, use: StatsUse): PolicyStatement[] {
  if (use === 'read') return [tableAccessStatement(table, definition, 'read')];
  if (use.write.length === 0 || use.partitions.length === 0) {
    throw new InfraDefinitionError('a stats write declares at least one action and one partition');
  }
  return [
    new PolicyStatement({
      actions: use.write.map((action) => `dynamodb:${action}`),
      resources: [table.tableArn],
      conditions: leadingPrefixesCondition(use.partitions.map((p) => STATS_PARTITIONS[p])),
    }),
  ];
}

/**
 * Item writes of named partitions of a table whose keys are not records' kinds (the stats table's `META#publish-lock`):
 * `actions` on the table only, on items whose partition key is exactly one of `partitionKeys`.
 */
export function partitionWriteStatement(
  table: ITable,
  actions: readonly string[],
  partitionKeys: readonly string[],
): PolicyStatement {
  return new PolicyStatement({
    actions: [...actions],
    resources: [table.tableArn],
    conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [...partitionKeys] } },
  });
}

/** Reads limited to some partitions of the records table and some partitions of its indexes. */
export interface PartitionReads {
  /** Kinds of item read on the table (GetItem, BatchGetItem, Query on their partition). */
  readonly partitions: readonly RecordsPartition[];
  /** Index partition key values queried (gsi1 `CONCLUSIONS`, …). */
  readonly indexPartitions: readonly string[];
}

/**
 * Point reads and queries of named partitions only: on the table, items whose partition key starts with one of the
 * prefixes; on the indexes, Query of the named index partitions (for a Query on an index IAM evaluates
 * `dynamodb:LeadingKeys` on the index's partition key). No Scan: a Scan names no leading key, so a LeadingKeys
 * condition could never bound it.
 */
export function partitionReadStatements(
  table: ITable,
  definition: TableDefinition,
  reads: PartitionReads,
): PolicyStatement[] {
  return [
    new PolicyStatement({
      actions: [...READ_ACTIONS],
      resources: [table.tableArn],
      conditions: leadingKeysCondition(reads.partitions),
    }),
    new PolicyStatement({
      actions: ['dynamodb:Query'],
      resources: definition.indexes.map((index) => `${table.tableArn}/index/${index.indexName}`),
      conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [...reads.indexPartitions] } },
    }),
  ];
}

/** One statement granting `access` on the table and each index its definition declares. */
export function tableAccessStatement(table: ITable, definition: TableDefinition, access: TableAccess): PolicyStatement {
  return new PolicyStatement({
    actions: [...ACTIONS[access]],
    resources: [table.tableArn, ...definition.indexes.map((index) => `${table.tableArn}/index/${index.indexName}`)],
  });
}

/**
 * What a DynamoDB Streams event source mapping needs. `ListStreams` is the one exception to resource scoping:
 * IAM supports no resource for it, and Lambda checks it when the mapping is created; it lists stream ARNs only.
 */
export function streamReadStatements(table: ITable): PolicyStatement[] {
  if (!table.tableStreamArn) throw new MissingStreamError(`table ${table.node.path} has no stream`);
  return [
    new PolicyStatement({
      actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
      resources: [table.tableStreamArn],
    }),
    new PolicyStatement({ actions: ['dynamodb:ListStreams'], resources: ['*'] }),
  ];
}
