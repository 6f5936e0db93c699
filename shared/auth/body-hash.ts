import { createHash } from 'node:crypto';

/** The `bh` claim of a body: base64url (no padding) of the SHA-256 of the exact bytes sent. */
export function bodyHash(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('base64url');
}
