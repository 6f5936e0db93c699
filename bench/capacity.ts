import { type AttributeValue, BatchGetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';

/**
 * Write capacity as DynamoDB bills and throttles it, for every write a client sends: a write costs one unit per
 * started kilobyte of the item (the larger of its size before and after), and a transactional write twice that,
 * condition checks included. DynamoDB Local does report `ConsumedCapacity`, but not faithfully for transactions
 * (a transaction of four small updates reports 2 units, not 8), so the meter reads every item a write touched back
 * right after the write and applies the rules to its size: exact for items that only grow, as counters and
 * applied-change sets do. The read-backs make the client slower: meter a separate pass, never a timed one.
 */

const KILOBYTE = 1024;
const WRITES = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);

type Item = Record<string, AttributeValue>;
type Touched = { table: string; key: Item; put?: Item };

/** The size DynamoDB gives an attribute value (documented rules: names and strings in UTF-8, numbers ~digits/2+1). */
function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S, 'utf8');
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, s) => sum + Buffer.byteLength(s, 'utf8'), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, n) => sum + numberSize(n), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, b) => sum + b.byteLength, 0);
  if (value.L !== undefined) return 3 + value.L.reduce((sum, v) => sum + 1 + valueSize(v), 0);
  if (value.M !== undefined) return 3 + itemSize(value.M) + Object.keys(value.M).length;
  return 0;
}

function numberSize(text: string): number {
  const digits = text.replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

/** An item's size in bytes, as DynamoDB counts it for capacity. */
export function itemSize(item: Item): number {
  return Object.entries(item).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name, 'utf8') + valueSize(value),
    0,
  );
}

const units = (bytes: number) => Math.max(1, Math.ceil(bytes / KILOBYTE));

/** The items a write touches, with the item itself for puts (its size is known without reading). */
function touched(
  commandName: string,
  input: Record<string, unknown>,
  keyNames: (table: string) => string[],
): Touched[] {
  const native = (value: unknown): Item =>
    // lib-dynamodb commands reach the client's stack with their input marshalled or not depending on the step.
    Object.values(value as object).every(
      (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1,
    )
      ? (value as Item)
      : marshall(value as Record<string, unknown>, { removeUndefinedValues: true, convertClassInstanceToMap: true });
  const keyOf = (table: string, item: Item): Item =>
    Object.fromEntries(keyNames(table).map((name) => [name, item[name] as AttributeValue]));
  const table = String(input.TableName ?? '');
  switch (commandName) {
    case 'PutItemCommand': {
      const item = native(input.Item);
      return [{ table, key: keyOf(table, item), put: item }];
    }
    case 'UpdateItemCommand':
    case 'DeleteItemCommand':
      return [{ table, key: native(input.Key) }];
    case 'TransactWriteItemsCommand':
      return (input.TransactItems as Record<string, Record<string, unknown>>[]).map((entry) => {
        const [kind, operation] = Object.entries(entry)[0] as [string, Record<string, unknown>];
        const name = String(operation.TableName);
        if (kind === 'Put') {
          const item = native(operation.Item);
          return { table: name, key: keyOf(name, item), put: item };
        }
        return { table: name, key: native(operation.Key) };
      });
    case 'BatchWriteItemCommand':
      return Object.entries(input.RequestItems as Record<string, Record<string, Record<string, unknown>>[]>).flatMap(
        ([name, requests]) =>
          requests.map((request) => {
            if (request.PutRequest) {
              const item = native(request.PutRequest.Item);
              return { table: name, key: keyOf(name, item), put: item };
            }
            return { table: name, key: native(request.DeleteRequest?.Key) };
          }),
      );
    default:
      return [];
  }
}

/** The kind of item a key names, for the breakdown: its partition key up to the first `#` (`FIG`, `APPLIED`). */
function kindOf(key: Item): string {
  const first = key.pk ?? Object.values(key)[0];
  return first?.S !== undefined ? (first.S.split('#')[0] ?? '') : '';
}

/**
 * Meters the write capacity a client consumes from now on. `keyNames` gives each table's key attribute names (the
 * partition key first). The reads it makes to size updated items are not counted. `byKind` splits the units by the
 * kind of item written (kindOf), so a figure can say where its capacity goes.
 */
export function meterWriteCapacity(
  client: DynamoDBClient,
  keyNames: (table: string) => string[],
): { readonly units: () => number; readonly byKind: () => ReadonlyMap<string, number>; reset: () => void } {
  let total = 0;
  const kinds = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const commandName = context.commandName ?? '';
      if (!WRITES.has(commandName)) return result;
      const factor = commandName === 'TransactWriteItemsCommand' ? 2 : 1;
      const items = touched(commandName, args.input as Record<string, unknown>, keyNames);
      const sizes = await sizesAfter(client, items);
      for (const [index, size] of sizes.entries()) {
        const charged = factor * units(size);
        total += charged;
        const kind = kindOf((items[index] as Touched).key);
        kinds.set(kind, (kinds.get(kind) ?? 0) + charged);
      }
      return result;
    },
    { step: 'initialize', name: 'benchWriteCapacityMeter' },
  );
  return {
    units: () => total,
    byKind: () => new Map(kinds),
    reset: () => {
      total = 0;
      kinds.clear();
    },
  };
}

/** The size of each touched item after the write: a put's own item, anything else read back (0 when deleted). */
async function sizesAfter(client: DynamoDBClient, items: readonly Touched[]): Promise<number[]> {
  const toRead = items.filter((item) => !item.put);
  const found = new Map<string, number>();
  const id = (table: string, key: Item) => `${table}|${JSON.stringify(key)}`;
  for (let i = 0; i < toRead.length; i += 100) {
    let request: Record<string, { Keys: Item[]; ConsistentRead: boolean }> = {};
    for (const { table, key } of toRead.slice(i, i + 100)) {
      request[table] ??= { Keys: [], ConsistentRead: true };
      const keys = request[table].Keys;
      if (!keys.some((k) => JSON.stringify(k) === JSON.stringify(key))) keys.push(key);
    }
    while (Object.keys(request).length > 0) {
      const out = await client.send(new BatchGetItemCommand({ RequestItems: request }));
      for (const [table, rows] of Object.entries(out.Responses ?? {})) {
        const names = Object.keys(request[table]?.Keys[0] ?? {});
        for (const row of rows) {
          found.set(id(table, Object.fromEntries(names.map((n) => [n, row[n] as AttributeValue]))), itemSize(row));
        }
      }
      request = (out.UnprocessedKeys ?? {}) as typeof request;
    }
  }
  return items.map((item) => (item.put ? itemSize(item.put) : (found.get(id(item.table, item.key)) ?? 0)));
}
