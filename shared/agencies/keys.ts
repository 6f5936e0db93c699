import { createPublicKey } from 'node:crypto';
import { ed25519Thumbprint } from '../auth/sign-agency-request.js';
import { ValidationError } from '../errors.js';
import { type Ed25519PublicJwk, Ed25519PublicJwkSchema } from './schemas.js';

/** Reads an Ed25519 public key from SPKI PEM (`openssl pkey -pubout`) as a JWK; refuses any other key type. */
export function publicJwkFromPem(spkiPem: string): Ed25519PublicJwk {
  let exported: unknown;
  try {
    const key = createPublicKey({ key: spkiPem, format: 'pem' });
    if (key.asymmetricKeyType !== 'ed25519') {
      throw new ValidationError([
        { path: 'publicKey', message: `an Ed25519 key is required, not ${key.asymmetricKeyType}` },
      ]);
    }
    exported = key.export({ format: 'jwk' });
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw new ValidationError([{ path: 'publicKey', message: 'not a PEM public key (SPKI, "BEGIN PUBLIC KEY")' }]);
  }
  const parsed = Ed25519PublicJwkSchema.safeParse(exported);
  if (!parsed.success) throw new ValidationError([{ path: 'publicKey', message: 'not an Ed25519 public key' }]);
  return { kty: parsed.data.kty, crv: parsed.data.crv, x: parsed.data.x };
}

/** The RFC 7638 thumbprint (SHA-256, base64url) that names a key and is sent as the JWS `kid`. */
export function jwkThumbprint(jwk: Ed25519PublicJwk): Promise<string> {
  return ed25519Thumbprint(jwk.x);
}
