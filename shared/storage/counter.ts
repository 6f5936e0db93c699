import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionConflictException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ENTITY_ATTRIBUTE } from './keys.js';
import { asUnavailable } from './sdk-errors.js';

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

/** The parts of an update that adds one to the counter (UpdateItem's, or a transaction's Update). */
export function counterUpdate(add: CounterAdd): {
  readonly Key: Record<string, string>;
  readonly UpdateExpression: string;
  readonly ExpressionAttributeNames: Record<string, string>;
  readonly ExpressionAttributeValues: Record<string, unknown>;
} {
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
  return {
    Key: add.key,
    UpdateExpression: `ADD #counter :one SET ${assignments.join(', ')}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** Attempts of an add that finds its item held by a transaction (TransactionConflictException), then a 503. */
const CONFLICT_ATTEMPTS = 8;

/**
 * Adds one to a counter attribute in one UpdateItem: `ADD` creates the item and the attribute on the first add and
 * increments them atomically after, so concurrent writers each see a distinct count, never lose one, and nothing is
 * read first (the rate-limit buckets, the refused-submission days). A counter that transactions also count in (a
 * survey's rate-limit hit) may be held by one at that instant: the add waits and tries again, since nothing was
 * written. Returns the new count; "the database cannot answer" is a ServiceUnavailableError (503).
 */
export async function addOne(doc: DynamoDBDocumentClient, tableName: string, add: CounterAdd): Promise<number> {
  const command = new UpdateCommand({ TableName: tableName, ...counterUpdate(add), ReturnValues: 'UPDATED_NEW' });
  for (let attempt = 1; ; attempt++) {
    try {
      const { Attributes } = await doc.send(command);
      const count = Attributes?.[add.counter];
      if (typeof count !== 'number') throw new Error(`the counter ${add.counter} is missing from the update result`);
      return count;
    } catch (error) {
      if (error instanceof TransactionConflictException && attempt < CONFLICT_ATTEMPTS) {
        await sleep(10 * 2 ** attempt * Math.random());
        continue;
      }
      throw asUnavailable(error) ?? error;
    }
  }
}
