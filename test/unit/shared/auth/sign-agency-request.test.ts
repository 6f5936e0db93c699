import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { jwkThumbprint, publicJwkFromPem } from '../../../../shared/agencies/keys.js';
import { bodyHash } from '../../../../shared/auth/body-hash.js';
import { bodyHashOf, signAgencyRequest, signingKeyFromPem } from '../../../../shared/auth/sign-agency-request.js';

describe('signing agency requests (Node and browser alike)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

  it('hashes the body with WebCrypto exactly as the verifier does', async () => {
    // Prepare
    const body = new TextEncoder().encode('{"summary":{"vi":"Kỷ luật"}}');
    // Act
    const hash = await bodyHashOf(body);
    // Assess
    expect(hash).toBe(bodyHash(body));
    expect(await bodyHashOf(new Uint8Array())).toBe(bodyHash(new Uint8Array()));
  });

  it('reads the key as non-extractable and names it by the thumbprint of its public half', async () => {
    const key = await signingKeyFromPem('hanoi-dktcv', privatePem);
    expect(key.privateKey.extractable).toBe(false);
    expect(key.kid).toBe(await jwkThumbprint(publicJwkFromPem(publicPem)));
  });

  it('signs method, path, body hash, issuer, audience, lifetime and a fresh jti', async () => {
    const key = await signingKeyFromPem('hanoi-dktcv', privatePem);
    const body = new TextEncoder().encode('{}');
    const now = new Date('2025-03-01T03:00:00Z');
    const first = await signAgencyRequest(key, { method: 'put', pathWithQuery: '/api/v1/conclusions/x', body, now });
    const second = await signAgencyRequest(key, { method: 'put', pathWithQuery: '/api/v1/conclusions/x', body, now });
    const token = first.replace(/^Bearer /, '');
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'EdDSA', kid: key.kid });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: 'hanoi-dktcv',
      aud: 'transparency-api',
      htm: 'PUT',
      htu: '/api/v1/conclusions/x',
      bh: bodyHash(body),
      iat: now.getTime() / 1000,
      exp: now.getTime() / 1000 + 120,
    });
    expect(claims.jti).not.toBe(decodeJwt(second.replace(/^Bearer /, '')).jti);
  });
});
