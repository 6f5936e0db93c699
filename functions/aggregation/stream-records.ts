import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import type { ChangeRecord } from '../../shared/stats/ports.js';

/**
 * Stream records (the shape Lambda delivers, and the local poller too) to the domain's ChangeRecord: the images
 * in plain values. Numbers become JavaScript numbers: every number of the records table is a count or a version,
 * far below 2^53 (`unmarshall` refuses one that is not).
 */

/** The change a stream record describes; undefined for a record without an id or a sequence number. */
export function toChangeRecord(record: DynamoDBRecord): ChangeRecord | undefined {
  const stream = record.dynamodb;
  const eventId = record.eventID;
  const sequence = stream?.SequenceNumber;
  if (!stream || !eventId || !sequence) return undefined;
  return {
    eventId,
    sequence,
    ...(typeof stream.ApproximateCreationDateTime === 'number'
      ? { createdAt: stream.ApproximateCreationDateTime }
      : {}),
    ...(stream.OldImage ? { oldImage: unmarshallImage(stream.OldImage) } : {}),
    ...(stream.NewImage ? { newImage: unmarshallImage(stream.NewImage) } : {}),
  };
}

/**
 * A marshalled image (`{ "n": { "N": "1" } }`) as plain values (`{ n: 1 }`), by util-dynamodb's `unmarshall`. Lambda
 * delivers the images as JSON in the SDK's own attribute-value shape, so the SDK's converter reads them as they are.
 */
export function unmarshallImage(image: Readonly<Record<string, AttributeValue>>): Record<string, unknown> {
  return unmarshall(image as Record<string, SdkAttributeValue>);
}
