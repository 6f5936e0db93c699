import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { SignedRequest } from '../auth/signed-request.js';
import { ENTITY_ATTRIBUTE, SIGNED_BODY_ENTITY, signedBodyKey } from './keys.js';
import { asUnavailable } from './sdk-errors.js';

/**
 * The exact body bytes of accepted agency requests (keys.ts, "Signed requests"), stored once per SHA-256 in the
 * transaction of the version that cites them, and read back by the export to publish them at
 * `/data/bodies/<sha256>.json`.
 */

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The Put of a request body, for the transaction of its version. Unconditional: the key is the bytes' hash. */
export function signedBodyPut(tableName: string, signed: SignedRequest): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...signedBodyKey(signed.signature.bodySha256),
        [ENTITY_ATTRIBUTE]: SIGNED_BODY_ENTITY,
        sha256: signed.signature.bodySha256,
        bytes: signed.body,
      },
    },
  };
}

/** Reads the bodies with these hashes (hex); a missing one is absent from the map. */
export async function readSignedBodies(
  doc: DynamoDBDocumentClient,
  tableName: string,
  hashes: Iterable<string>,
): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  const pending = [...new Set(hashes)].map((hash) => signedBodyKey(hash));
  try {
    while (pending.length > 0) {
      const batch = pending.splice(0, 100);
      let keys: Record<string, unknown>[] | undefined = batch;
      // BatchGet may leave keys unprocessed under load: ask again for those until none is left.
      while (keys && keys.length > 0) {
        const result: BatchGetCommandOutput = await doc.send(
          new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of result.Responses?.[tableName] ?? []) {
          if (typeof item.sha256 === 'string' && item.bytes instanceof Uint8Array) out.set(item.sha256, item.bytes);
        }
        keys = result.UnprocessedKeys?.[tableName]?.Keys;
      }
    }
  } catch (error) {
    throw asUnavailable(error) ?? error;
  }
  return out;
}
