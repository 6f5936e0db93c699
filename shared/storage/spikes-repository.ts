import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, paginateQuery, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { NotFoundError } from '../errors.js';
import type { Hour, Spike, SpikeStore } from '../stats/spikes.js';
import { ENTITY_ATTRIBUTE, hourlyKey, SPIKE_ENTITY, SPIKES_PARTITION, spikeKey } from './keys.js';

/**
 * Spikes in the stats table (keys: keys.ts, "Spikes"): the hourly counts the aggregation ADDs in its transactions
 * (stats-repository.ts) are read here one unit at a time, and flagged spikes live in one partition, written once
 * (condition: absent) and then only to record their review.
 */
export class DynamoSpikeStore implements SpikeStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async hourlyCounts(unitId: string, from: Hour, to: Hour): Promise<ReadonlyMap<Hour, number>> {
    const out = new Map<Hour, number>();
    const pages = paginateQuery(
      { client: this.doc },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': hourlyKey(unitId, from).pk, ':from': from, ':to': to },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        if (typeof item.sk === 'string' && typeof item.n === 'number') out.set(item.sk, item.n);
      }
    }
    return out;
  }

  async flag(spike: Spike): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...spikeKey(spike.unitId, spike.hour), [ENTITY_ATTRIBUTE]: SPIKE_ENTITY, ...spike },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async list(): Promise<Spike[]> {
    const out: Spike[] = [];
    const pages = paginateQuery(
      { client: this.doc },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': SPIKES_PARTITION },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) for (const item of page.Items ?? []) out.push(spikeOf(item));
    return out;
  }

  async review(unitId: string, hour: Hour, review: { at: string; by: string; note?: string }): Promise<Spike> {
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: spikeKey(unitId, hour),
          UpdateExpression: `SET reviewedAt = :at, reviewedBy = :by${review.note ? ', note = :note' : ''}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: {
            ':at': review.at,
            ':by': review.by,
            ...(review.note ? { ':note': review.note } : {}),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return spikeOf(Attributes ?? {});
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new NotFoundError(`No spike at ${unitId} in hour ${hour}.`);
      throw error;
    }
  }
}

function spikeOf(item: Record<string, unknown>): Spike {
  const text = (name: string) => (typeof item[name] === 'string' ? (item[name] as string) : undefined);
  const number = (name: string) => (typeof item[name] === 'number' ? (item[name] as number) : 0);
  const reviewedAt = text('reviewedAt');
  const reviewedBy = text('reviewedBy');
  const note = text('note');
  return {
    unitId: text('unitId') ?? '',
    hour: text('hour') ?? '',
    responses: number('responses'),
    usual: number('usual'),
    threshold: number('threshold'),
    detectedAt: text('detectedAt') ?? '',
    ...(reviewedAt ? { reviewedAt } : {}),
    ...(reviewedBy ? { reviewedBy } : {}),
    ...(note ? { note } : {}),
  };
}
