import { randomUUID } from 'node:crypto';
import { type CryptoKey, calculateJwkThumbprint, exportJWK, importPKCS8, SignJWT } from 'jose';
import { bodyHash } from './body-hash.js';
import { API_AUDIENCE, MAX_TOKEN_LIFETIME_SECONDS, SIGNING_ALGORITHM } from './constants.js';

/**
 * The signing side of CONTRACT.md's agency authentication, used by `npm run publish`, the demo seed and tests.
 * One token per request: it names the method, path and body hash, so it cannot be reused for another request.
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

/** Reads an Ed25519 private key (PKCS#8 PEM, as `openssl genpkey -algorithm ed25519` writes) for an agency. */
export async function signingKeyFromPem(agencyId: string, pkcs8Pem: string): Promise<SigningKey> {
  const privateKey = await importPKCS8(pkcs8Pem, SIGNING_ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  // The thumbprint covers the public members only (crv, kty, x), so it names the public key.
  const kid = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: jwk.x ?? '' }, 'sha256');
  return { agencyId, privateKey, kid };
}

/** Signs one request; returns the `Authorization` header value. */
export async function signAgencyRequest(key: SigningKey, options: SignOptions): Promise<string> {
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const lifetime = Math.min(options.lifetimeSeconds ?? 120, MAX_TOKEN_LIFETIME_SECONDS);
  const token = await new SignJWT({
    htm: options.method.toUpperCase(),
    htu: options.pathWithQuery,
    bh: bodyHash(options.body),
  })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, typ: 'JWT', ...(key.kid ? { kid: key.kid } : {}) })
    .setIssuer(key.agencyId)
    .setAudience(options.audience ? [API_AUDIENCE, options.audience] : API_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + lifetime)
    .setJti(options.jti ?? randomUUID())
    .sign(key.privateKey);
  return `Bearer ${token}`;
}
