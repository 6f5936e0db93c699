import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RecordsUse, StatsUse } from '../../functions/routes.js';
import { RECORDS_PARTITIONS, type RecordsPartition, STATS_PARTITIONS } from '../../shared/storage/keys.js';
import { recordsTable, type TableNames } from '../../shared/storage/tables.js';

/**
 * What a process really asks of DynamoDB, item by item, as IAM sees it: a recording proxy in front of DynamoDB
 * Local (point `DYNAMODB_ENDPOINT` at it, the production wiring needs no change), and the IAM actions and
 * leading keys (`dynamodb:LeadingKeys`) each request carries. The tests compare them with the grants that
 * functions/routes.ts and the publishing stack declare, so a new write that a deployed role would refuse fails
 * here first, and a granted action nobody uses shows.
 */

/** One item-level request: the IAM action, the table (by logical name) or index, and the partition keys it names. */
export interface ItemAccess {
  readonly action: string;
  readonly table: keyof TableNames | 'other';
  readonly index?: string;
  /** Partition key values (of the table, or of the index for a Query on one); empty for a Scan. */
  readonly leadingKeys: readonly string[];
}

type Json = Record<string, unknown>;

/** The partition key value of an item or key in DynamoDB JSON (`{ pk: { S: '…' } }`). */
function partitionOf(item: unknown, attribute = 'pk'): string {
  const value = (item as Json | undefined)?.[attribute] as { S?: string } | undefined;
  return value?.S ?? '';
}

/** The value a Query's key condition binds to its partition attribute (`pk = :pk`, `#k = :v`, either order). */
function queryPartition(body: Json, attribute: string): string {
  const expression = String(body.KeyConditionExpression ?? '');
  const names = (body.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (body.ExpressionAttributeValues ?? {}) as Record<string, { S?: string }>;
  for (const clause of expression.split(/\s+AND\s+/i)) {
    const match = /^\s*\(?\s*([#\w]+)\s*=\s*(:\w+)\s*\)?\s*$/.exec(clause);
    if (!match) continue;
    const [, left = '', placeholder = ''] = match;
    if ((names[left] ?? left) === attribute) return values[placeholder]?.S ?? '';
  }
  return '';
}

/** The item accesses of one DynamoDB request (`X-Amz-Target` and its JSON body). */
export function itemAccesses(target: string, body: Json, tables: TableNames): ItemAccess[] {
  const operation = target.split('.').pop() ?? target;
  const tableOf = (name: unknown): ItemAccess['table'] =>
    name === tables.records ? 'records' : name === tables.stats ? 'stats' : 'other';
  const one = (action: string, part: Json, key: unknown): ItemAccess => ({
    action: `dynamodb:${action}`,
    table: tableOf(part.TableName),
    leadingKeys: [partitionOf(key)],
  });
  switch (operation) {
    case 'GetItem':
    case 'DeleteItem':
    case 'UpdateItem':
      return [one(operation, body, body.Key)];
    case 'PutItem':
      return [one(operation, body, body.Item)];
    case 'TransactWriteItems':
    case 'TransactGetItems':
      return ((body.TransactItems ?? []) as Json[]).map((part) => {
        const [kind = '', detail = {}] = Object.entries(part)[0] ?? [];
        const inner = detail as Json;
        const action =
          {
            Put: 'PutItem',
            Update: 'UpdateItem',
            Delete: 'DeleteItem',
            ConditionCheck: 'ConditionCheckItem',
            Get: 'GetItem',
          }[kind] ?? kind;
        return one(action, inner, inner.Item ?? inner.Key);
      });
    case 'BatchGetItem':
      return Object.entries((body.RequestItems ?? {}) as Record<string, { Keys?: unknown[] }>).map(([name, read]) => ({
        action: 'dynamodb:BatchGetItem',
        table: tableOf(name),
        leadingKeys: (read.Keys ?? []).map((key) => partitionOf(key)),
      }));
    case 'BatchWriteItem':
      return Object.entries((body.RequestItems ?? {}) as Record<string, Json[]>).map(([name, writes]) => ({
        action: 'dynamodb:BatchWriteItem',
        table: tableOf(name),
        leadingKeys: writes.map((write) =>
          partitionOf((write.PutRequest as Json | undefined)?.Item ?? (write.DeleteRequest as Json | undefined)?.Key),
        ),
      }));
    case 'Query': {
      const index = typeof body.IndexName === 'string' ? body.IndexName : undefined;
      const definition = recordsTable.indexes.find((candidate) => candidate.indexName === index);
      return [
        {
          action: 'dynamodb:Query',
          table: tableOf(body.TableName),
          ...(index ? { index } : {}),
          leadingKeys: [queryPartition(body, definition?.partitionKey ?? 'pk')],
        },
      ];
    }
    default:
      return [{ action: `dynamodb:${operation}`, table: tableOf(body.TableName), leadingKeys: [] }];
  }
}

const READS = new Set(['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query']);

/**
 * Why a route's grants (functions/routes.ts, as infra/constructs/table-access.ts turns them into IAM) would refuse
 * this access, or undefined when they allow it.
 */
export function refusedByRoute(
  access: ItemAccess,
  tables: { readonly records?: RecordsUse; readonly stats?: StatsUse },
): string | undefined {
  const what = `${access.action} on ${access.table}${access.index ? `/${access.index}` : ''} [${access.leadingKeys.join(', ')}]`;
  const table = access.table;
  const use = table === 'other' ? undefined : tables[table];
  if (table === 'other' || use === undefined) return `${what}: the route declares no access to that table`;
  // A write use of the records table includes its reads; one of the stats table grants its writes alone.
  if (READS.has(access.action) && (use === 'read' || table === 'records')) return undefined;
  if (use === 'read') return `${what}: the route declares reads only`;
  if (!use.write.some((action) => `dynamodb:${action}` === access.action)) return `${what}: action not declared`;
  if (access.index) return `${what}: writes go to the table, never an index`;
  const prefixes = declaredPrefixes(table, use);
  const outside = access.leadingKeys.filter((key) => !prefixes.some((prefix) => key.startsWith(prefix)));
  return outside.length > 0 ? `${what}: partition outside ${prefixes.join(', ')}` : undefined;
}

/** The partition-key prefixes a route's write use of a table names (keys.ts, RECORDS_PARTITIONS or STATS_PARTITIONS). */
export function declaredPrefixes(
  table: 'records' | 'stats',
  use: Exclude<RecordsUse, 'read'> | Exclude<StatsUse, 'read'>,
): string[] {
  const map: Readonly<Record<string, string>> = table === 'records' ? RECORDS_PARTITIONS : STATS_PARTITIONS;
  return use.partitions.map((partition) => map[partition] ?? `(no ${table} partition ${partition})`);
}

export interface DynamoRecorder {
  /** The endpoint to give the code under test (`DYNAMODB_ENDPOINT`). */
  readonly endpoint: string;
  /** Item accesses recorded since the last `take()`, and forgets them. */
  take(): ItemAccess[];
  /**
   * The DynamoDB operations (round trips: `GetItem`, `Query`, `TransactWriteItems`…) sent since the last call, in
   * order, and forgets them; independent of `take()`.
   */
  takeOperations(): string[];
  close(): Promise<void>;
}

/** Starts a recording proxy to `upstream` (DynamoDB Local) on a free loopback port. */
export async function startDynamoRecorder(upstream: string, tables: TableNames): Promise<DynamoRecorder> {
  const target = new URL(upstream);
  let recorded: ItemAccess[] = [];
  let operations: string[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const bytes = Buffer.concat(chunks);
      const amzTarget = String(incoming.headers['x-amz-target'] ?? '');
      if (amzTarget !== '') {
        operations.push(amzTarget.split('.').pop() ?? amzTarget);
        try {
          recorded.push(...itemAccesses(amzTarget, JSON.parse(bytes.toString('utf8')) as Json, tables));
        } catch {
          recorded.push({ action: `unreadable ${amzTarget}`, table: 'other', leadingKeys: [] });
        }
      }
      const forward = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forward.on('error', () => {
        outgoing.writeHead(502);
        outgoing.end();
      });
      forward.end(bytes);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    take() {
      const taken = recorded;
      recorded = [];
      return taken;
    },
    takeOperations() {
      const taken = operations;
      operations = [];
      return taken;
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/**
 * Why the site build's grants on the records table (infra/constructs/table-access.ts, partitionReadStatements)
 * would refuse this access, or undefined when they allow it. The stats table it reads whole.
 */
export function refusedBySiteBuild(
  access: ItemAccess,
  reads: { readonly partitions: readonly RecordsPartition[]; readonly indexPartitions: readonly string[] },
): string | undefined {
  const what = `${access.action} on ${access.table}${access.index ? `/${access.index}` : ''} [${access.leadingKeys.join(', ')}]`;
  if (access.table === 'stats') {
    return READS.has(access.action) || access.action === 'dynamodb:Scan' ? undefined : `${what}: not a read`;
  }
  if (access.table !== 'records') return `${what}: another table`;
  if (!READS.has(access.action)) return `${what}: not a point read or query`;
  if (access.index) {
    const outside = access.leadingKeys.filter((key) => !reads.indexPartitions.includes(key));
    return access.action === 'dynamodb:Query' && outside.length === 0
      ? undefined
      : `${what}: index partition not granted`;
  }
  const prefixes = reads.partitions.map((partition) => RECORDS_PARTITIONS[partition]);
  const outside = access.leadingKeys.filter((key) => !prefixes.some((prefix) => key.startsWith(prefix)));
  return outside.length > 0 ? `${what}: partition outside ${prefixes.join(', ')}` : undefined;
}

/** The kind of item (RECORDS_PARTITIONS) a partition key belongs to, if any. */
export function partitionOfKey(key: string): RecordsPartition | undefined {
  return (Object.entries(RECORDS_PARTITIONS) as [RecordsPartition, string][]).find(([, prefix]) =>
    key.startsWith(prefix),
  )?.[0];
}
