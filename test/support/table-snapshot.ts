import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { ProblemSchema } from '../../shared/openapi/responses.js';
import type { TableNames } from '../../shared/storage/tables.js';

/**
 * Whole-table snapshots, to prove that a refused request changed nothing: scan both tables before and after and
 * compare item by item. Meant for the small tables of a test, not for a loaded store.
 */

export type Snapshot = ReadonlyMap<string, string>;

/**
 * The one thing a refused survey submission writes: the day's count of refusals by reason (integrity statistics,
 * keys.ts `refusal-count`), nothing of the submission itself. Left out of snapshots; the integrity tests count it.
 */
const REFUSAL_COUNT_PREFIX = 'REFUSED#';

/** Every item of both tables (but refusal counts), keyed `table|pk|sk`, each as canonical JSON. */
export async function snapshotTables(doc: DynamoDBDocumentClient, tables: TableNames): Promise<Snapshot> {
  const items = new Map<string, string>();
  for (const [label, tableName] of Object.entries(tables)) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true }),
      );
      for (const item of page.Items ?? []) {
        if (String(item.pk).startsWith(REFUSAL_COUNT_PREFIX)) continue;
        items.set(`${label}|${String(item.pk)}|${String(item.sk)}`, canonical(item));
      }
      start = page.LastEvaluatedKey;
    } while (start);
  }
  return items;
}

/**
 * What differs between two snapshots: keys added, removed or changed (empty when nothing changed). An item gone
 * after its expiry (`expiresAt`, the tables' TTL attribute) is left out: DynamoDB Local deletes expired items of a
 * table without a stream (the stats table's rate-limit buckets) within seconds, as TTL does, and no function
 * deletes anything (none is granted DeleteItem), so it is never a request's doing.
 */
export function snapshotDiff(before: Snapshot, after: Snapshot): string[] {
  const changes: string[] = [];
  for (const [key, value] of after) {
    const old = before.get(key);
    if (old === undefined) changes.push(`added ${key}`);
    else if (old !== value) changes.push(`changed ${key}`);
  }
  const now = Date.now() / 1000;
  for (const [key, value] of before) {
    if (after.has(key)) continue;
    const expiresAt = (JSON.parse(value) as { expiresAt?: unknown }).expiresAt;
    if (typeof expiresAt === 'number' && expiresAt <= now) continue;
    changes.push(`removed ${key}`);
  }
  return changes;
}

/** Runs a request that must be refused, and asserts that it answered problem+json and that no table changed. */
export async function refusedWithoutChange<A extends { readonly body: unknown }>(
  tables: { readonly doc: DynamoDBDocumentClient; readonly names: TableNames },
  run: () => Promise<A>,
): Promise<A> {
  const before = await snapshotTables(tables.doc, tables.names);
  const answer = await run();
  expect(snapshotDiff(before, await snapshotTables(tables.doc, tables.names))).toEqual([]);
  expect(ProblemSchema.safeParse(answer.body).success).toBe(true);
  return answer;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner instanceof Set
      ? [...inner].sort()
      : inner && typeof inner === 'object' && !Array.isArray(inner)
        ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : inner,
  );
}
