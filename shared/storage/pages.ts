import {
  type DynamoDBDocumentClient,
  paginateQuery,
  paginateScan,
  type QueryCommandInput,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';

/**
 * Reading every page of a Query or a Scan with lib-dynamodb's paginators (they follow `LastEvaluatedKey`), so no
 * repository writes the loop again. Items come back as the document client gives them; the caller parses them.
 */

type Item = Record<string, unknown>;

/** Every item a Query returns, over all its pages. */
export async function queryAll(doc: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of paginateQuery({ client: doc }, input)) items.push(...(page.Items ?? []));
  return items;
}

/**
 * Every item a Scan returns, read in `segments` parallel segments (a whole-table read: export, verify, rebuild);
 * `onPage` hears each page's item count (progress).
 */
export async function scanAll(
  doc: DynamoDBDocumentClient,
  input: ScanCommandInput,
  options: { readonly segments?: number; readonly onPage?: (items: Item[]) => void } = {},
): Promise<Item[]> {
  const segments = options.segments ?? 1;
  const parts = await Promise.all(
    Array.from({ length: segments }, async function scanSegment(_, segment) {
      const items: Item[] = [];
      const segmentInput = segments > 1 ? { ...input, Segment: segment, TotalSegments: segments } : input;
      for await (const page of paginateScan({ client: doc }, segmentInput)) {
        const pageItems = page.Items ?? [];
        options.onPage?.(pageItems);
        items.push(...pageItems);
      }
      return items;
    }),
  );
  return parts.flat();
}

/** How many items a Scan matches (`Select: 'COUNT'`), over all its pages. */
export async function countAll(doc: DynamoDBDocumentClient, input: ScanCommandInput): Promise<number> {
  let count = 0;
  for await (const page of paginateScan({ client: doc }, { ...input, Select: 'COUNT' })) count += page.Count ?? 0;
  return count;
}
