import { type DynamoDBDocumentClient, GetCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { AppendOutcome, EncodedEntry, LogStore } from '../log/appender.js';
import type { LogEntry } from '../log/entry.js';
import {
  ENTITY_ATTRIBUTE,
  LOG_ENTRIES_PARTITION,
  LOG_ENTRY_ENTITY,
  LOG_HEAD_ENTITY,
  LOG_KEY_ENTITY,
  logEntryKey,
  logHeadKey,
  logVersionKey,
} from './keys.js';
import { asUnavailable } from './sdk-errors.js';
import { type TransactItem, transact } from './transactions.js';

/**
 * The transparency log in the stats table (keys.ts, "Transparency log"). One transaction per append moves the
 * head from n to n+k, writes entries n…n+k-1 and their versions' keys (k = 1 for a single append), each under a
 * condition, so two appenders can never write the same index, a gap is impossible, and a version redelivered by
 * the stream is refused by its key.
 * Nothing here ever updates or deletes an entry.
 */
export class DynamoLogStore implements LogStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async size(): Promise<number> {
    try {
      const { Item } = await this.doc.send(
        new GetCommand({ TableName: this.tableName, Key: logHeadKey(), ConsistentRead: true }),
      );
      return typeof Item?.size === 'number' ? Item.size : 0;
    } catch (error) {
      throw asUnavailable(error) ?? error;
    }
  }

  async indexOf(entry: Pick<LogEntry, 'type' | 'id' | 'version'>): Promise<number | undefined> {
    try {
      const { Item } = await this.doc.send(
        new GetCommand({
          TableName: this.tableName,
          Key: logVersionKey(entry.type, entry.id, entry.version),
          ConsistentRead: true,
        }),
      );
      return typeof Item?.index === 'number' ? Item.index : undefined;
    } catch (error) {
      throw asUnavailable(error) ?? error;
    }
  }

  async append(index: number, entry: LogEntry, bytes: Uint8Array): Promise<AppendOutcome> {
    return this.appendRun(index, [{ entry, bytes }]);
  }

  async appendRun(index: number, run: readonly EncodedEntry[]): Promise<AppendOutcome> {
    const items: TransactItem[] = [
      {
        // The head names the next free index: only the appender that saw `index` may take it, and the run moves it
        // past all of its entries at once.
        Update: {
          TableName: this.tableName,
          Key: logHeadKey(),
          UpdateExpression: 'SET #size = :next, #entity = :entity',
          ConditionExpression: index === 0 ? 'attribute_not_exists(pk)' : '#size = :index',
          ExpressionAttributeNames: { '#size': 'size', '#entity': ENTITY_ATTRIBUTE },
          ExpressionAttributeValues: {
            ':next': index + run.length,
            ':entity': LOG_HEAD_ENTITY,
            ...(index === 0 ? {} : { ':index': index }),
          },
        },
      },
    ];
    for (const [offset, { entry, bytes }] of run.entries()) {
      items.push(
        {
          // Belt and braces: an entry, once written, is never overwritten.
          Put: {
            TableName: this.tableName,
            Item: {
              ...logEntryKey(index + offset),
              [ENTITY_ATTRIBUTE]: LOG_ENTRY_ENTITY,
              index: index + offset,
              entry: bytes,
              type: entry.type,
              id: entry.id,
              version: entry.version,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          // One entry per version, whatever the stream redelivers.
          Put: {
            TableName: this.tableName,
            Item: {
              ...logVersionKey(entry.type, entry.id, entry.version),
              [ENTITY_ATTRIBUTE]: LOG_KEY_ENTITY,
              index: index + offset,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      );
    }
    const outcome = await transact<AppendOutcome>(this.doc, items, {
      // A version's key (every second item from the third) already there: another delivery logged it. Any other
      // cancellation, or a conflict, means another appender moved the head first: read it again.
      onCancelled: (cancellation) =>
        run.some((_, offset) => cancellation.conditionFailed(2 + 2 * offset)) ? 'already-logged' : 'stale-head',
    });
    return outcome ?? 'appended';
  }
}

/** Every entry's bytes, in log order (entry i at position i); stops at a gap, which the append rule rules out. */
export async function readLogEntries(doc: DynamoDBDocumentClient, tableName: string): Promise<Uint8Array[]> {
  const entries: Uint8Array[] = [];
  try {
    const pages = paginateQuery(
      { client: doc },
      {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': LOG_ENTRIES_PARTITION },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        if (item.index !== entries.length || !(item.entry instanceof Uint8Array)) return entries;
        entries.push(item.entry);
      }
    }
  } catch (error) {
    throw asUnavailable(error) ?? error;
  }
  return entries;
}
