import { base64url, type CryptoKey, calculateJwkThumbprint, exportJWK, importPKCS8, SignJWT } from 'jose';
import { API_AUDIENCE, MAX_TOKEN_LIFETIME_SECONDS, SIGNING_ALGORITHM } from './constants.js';

/**
 * The signing side of CONTRACT.md's agency authentication, used by `npm run publish`, the agency console in the
 * browser (/dang-tai/), the demo seed and tests. One token per request: it names the method, path and body hash,
 * so it cannot be reused for another request. Only WebCrypto and jose, no Node module: the same code signs in
 * Node and in the browser.
 */

export interface SigningKey {
  readonly agencyId: string;
  readonly privateKey: CryptoKey;
  /** RFC 7638 thumbprint of the public key, sent as `kid`; omit to let the API try every active key. */
  readonly kid?: string;
}

export interface SignOptions {
  readonly method: string;
  readonly pathWithQuery: string;
  readonly body: Uint8Array;
  readonly now?: Date;
  /** Seconds until `exp`; at most 300. */
  readonly lifetimeSeconds?: number;
  readonly jti?: string;
  /** The deployment's own audience, added beside `transparency-api` (see `deploymentAudienceFromEnv`). */
  readonly audience?: string;
}

/** The RFC 7638 thumbprint of an Ed25519 public key given by its `x`: the `kid` that names the key. */
export function ed25519Thumbprint(x: string): Promise<string> {
  // The thumbprint covers the public members only (crv, kty, x), so it names the public key.
  return calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x }, 'sha256');
}

/**
 * Reads an Ed25519 private key (PKCS#8 PEM, as `openssl genpkey -algorithm ed25519` writes) for an agency.
 * The key returned is not extractable: it is read once as extractable only to compute the thumbprint of its
 * public half, so a browser can keep it (IndexedDB) without the key material ever being readable again.
 */
export async function signingKeyFromPem(agencyId: string, pkcs8Pem: string): Promise<SigningKey> {
  const readable = await importPKCS8(pkcs8Pem, SIGNING_ALGORITHM, { extractable: true });
  const jwk = await exportJWK(readable);
  const kid = await ed25519Thumbprint(jwk.x ?? '');
  const privateKey = await importPKCS8(pkcs8Pem, SIGNING_ALGORITHM, { extractable: false });
  return { agencyId, privateKey, kid };
}

/**
 * The `bh` claim: base64url (no padding) of the SHA-256 of the exact bytes sent. The same value as
 * `bodyHash` (body-hash.ts, the verifier's synchronous Node version), through WebCrypto so it runs anywhere.
 */
export async function bodyHashOf(body: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', body as Uint8Array<ArrayBuffer>);
  return base64url.encode(new Uint8Array(digest));
}

/** Signs one request; returns the `Authorization` header value. */
export async function signAgencyRequest(key: SigningKey, options: SignOptions): Promise<string> {
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const lifetime = Math.min(options.lifetimeSeconds ?? 120, MAX_TOKEN_LIFETIME_SECONDS);
  const token = await new SignJWT({
    htm: options.method.toUpperCase(),
    htu: options.pathWithQuery,
    bh: await bodyHashOf(options.body),
  })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, typ: 'JWT', ...(key.kid ? { kid: key.kid } : {}) })
    .setIssuer(key.agencyId)
    .setAudience(options.audience ? [API_AUDIENCE, options.audience] : API_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + lifetime)
    .setJti(options.jti ?? crypto.randomUUID())
    .sign(key.privateKey);
  return `Bearer ${token}`;
}
