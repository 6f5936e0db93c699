import { type DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { REFUSAL_REASONS, type RefusalReason } from '../surveys/integrity.js';
import type { RefusalStore } from '../surveys/ports.js';
import { addOne } from './counter.js';
import { ENTITY_ATTRIBUTE, REFUSAL_ENTITY, REFUSALS_PARTITION, refusalIndexKey, refusalKey } from './keys.js';

/**
 * Refused survey submissions per day (keys: keys.ts, "Refused submissions"): one atomic add (counter.ts) to the day's
 * attribute of the reason, creating the item on the day's first refusal, so concurrent refusals never lose a count
 * and nothing is read first.
 */
export class DynamoRefusalStore implements RefusalStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Adds one refusal of `reason` to the day `date` (Vietnam, `YYYY-MM-DD`). */
  async count(date: string, reason: RefusalReason): Promise<void> {
    await addOne(this.doc, this.tableName, {
      key: refusalKey(date),
      entity: REFUSAL_ENTITY,
      counter: reason,
      set: { date, ...refusalIndexKey(date) },
    });
  }
}

/** Refusals by reason, of one day; a reason never refused that day is absent. */
export type RefusalCounts = Partial<Record<RefusalReason, number>>;

/** Every day's refusal counts (gsi1 `REFUSALS`), for the export: a few hundred items a year. */
export async function readRefusals(
  doc: DynamoDBDocumentClient,
  tableName: string,
): Promise<Map<string, RefusalCounts>> {
  const out = new Map<string, RefusalCounts>();
  const pages = paginateQuery(
    { client: doc },
    {
      TableName: tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': REFUSALS_PARTITION },
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      if (item[ENTITY_ATTRIBUTE] !== REFUSAL_ENTITY || typeof item.date !== 'string') continue;
      const counts: RefusalCounts = {};
      for (const reason of REFUSAL_REASONS) {
        const value = item[reason];
        if (typeof value === 'number' && value > 0) counts[reason] = value;
      }
      out.set(item.date, counts);
    }
  }
  return out;
}
