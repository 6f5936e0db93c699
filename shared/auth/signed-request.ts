import { createHash } from 'node:crypto';

/**
 * What is kept of an accepted agency request so that anyone can check later what the agency signed
 * (CONTRACT.md, "Verifiable publication"): the compact JWS as sent, the thumbprint of the key that verified it,
 * its `jti`, and the exact body bytes, content-addressed by their SHA-256 (the JWS's `bh` is the same hash,
 * base64url). The signature travels with every version it made; the bytes are stored once per hash.
 */

/** Stored with each version: enough to fetch the body and check the agency's signature over it. */
export interface VersionSignature {
  /** The compact JWS of the request, exactly as the agency sent it. */
  readonly jws: string;
  /** RFC 7638 thumbprint of the agency key that verified it. */
  readonly keyThumbprint: string;
  readonly jti: string;
  /** Lower-case hex SHA-256 of the body bytes (the name they are stored and published under). */
  readonly bodySha256: string;
}

/** The signature and the bytes it covers, as the write path carries them. */
export interface SignedRequest {
  readonly signature: VersionSignature;
  readonly body: Uint8Array;
}

/** Builds what is kept of a verified request. */
export function signedRequest(jws: string, keyThumbprint: string, jti: string, body: Uint8Array): SignedRequest {
  return { signature: { jws, keyThumbprint, jti, bodySha256: bodySha256Hex(body) }, body };
}

/** Lower-case hex SHA-256 of body bytes. */
export function bodySha256Hex(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

/** The site path the body bytes of a signed request are published at. */
export function signedBodyPath(sha256Hex: string): string {
  return `/data/bodies/${sha256Hex}.json`;
}
