import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ENTITY_ATTRIBUTE } from './keys.js';
import { orUnavailable } from './sdk-errors.js';

/** One counter to add to: where it is, which attribute counts, and what the item carries beside it. */
export interface CounterAdd {
  readonly key: Record<string, string>;
  readonly entity: string;
  readonly counter: string;
  /** Attributes written on every add (the entity is always one). */
  readonly set?: Readonly<Record<string, unknown>>;
  /** Attributes written only by the add that creates the item (a bucket's expiry stays that of its first hit). */
  readonly setIfAbsent?: Readonly<Record<string, unknown>>;
}

/**
 * Adds one to a counter attribute in one UpdateItem: `ADD` creates the item and the attribute on the first add and
 * increments them atomically after, so concurrent writers each see a distinct count, never lose one, and nothing is
 * read first (the rate-limit buckets, the refused-submission days). Returns the new count; "the database cannot
 * answer" is a ServiceUnavailableError (503).
 */
export async function addOne(doc: DynamoDBDocumentClient, tableName: string, add: CounterAdd): Promise<number> {
  const names: Record<string, string> = { '#counter': add.counter };
  const values: Record<string, unknown> = { ':one': 1 };
  const assignments: string[] = [];
  const assign = (attributes: Readonly<Record<string, unknown>>, ifAbsent: boolean) =>
    Object.entries(attributes).forEach(([attribute, value], index) => {
      const name = `#${ifAbsent ? 'a' : 's'}${index}`;
      const placeholder = `:${ifAbsent ? 'a' : 's'}${index}`;
      names[name] = attribute;
      values[placeholder] = value;
      assignments.push(ifAbsent ? `${name} = if_not_exists(${name}, ${placeholder})` : `${name} = ${placeholder}`);
    });
  assign(add.setIfAbsent ?? {}, true);
  assign({ [ENTITY_ATTRIBUTE]: add.entity, ...add.set }, false);
  const { Attributes } = await orUnavailable(
    doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: add.key,
        UpdateExpression: `ADD #counter :one SET ${assignments.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'UPDATED_NEW',
      }),
    ),
  );
  const count = Attributes?.[add.counter];
  if (typeof count !== 'number') throw new Error(`the counter ${add.counter} is missing from the update result`);
  return count;
}
