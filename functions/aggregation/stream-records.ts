import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import type { ChangeRecord } from '../../shared/stats/ports.js';

/**
 * Stream records (the shape Lambda delivers, and the local poller too) to the domain's ChangeRecord: the images
 * in plain values. Numbers become JavaScript numbers: every number of the records table is a count or a version,
 * far below 2^53.
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

/** A marshalled image (`{ "n": { "N": "1" } }`) as plain values (`{ n: 1 }`). */
export function unmarshallImage(image: Readonly<Record<string, AttributeValue>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(image)) out[name] = unmarshallValue(value);
  return out;
}

function unmarshallValue(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.M !== undefined) return unmarshallImage(value.M);
  if (value.L !== undefined) return value.L.map(unmarshallValue);
  if (value.SS !== undefined) return new Set(value.SS);
  if (value.NS !== undefined) return new Set(value.NS.map(Number));
  if (value.BS !== undefined) return new Set(value.BS);
  if (value.B !== undefined) return value.B;
  return undefined;
}
