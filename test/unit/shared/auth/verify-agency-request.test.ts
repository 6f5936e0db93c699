import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { jwkThumbprint, publicJwkFromPem } from '../../../../shared/agencies/keys.js';
import type { AgencyDirectory } from '../../../../shared/agencies/ports.js';
import type { Agency, AgencyKey } from '../../../../shared/agencies/schemas.js';
import { bodyHash } from '../../../../shared/auth/body-hash.js';
import { signAgencyRequest, signingKeyFromPem } from '../../../../shared/auth/sign-agency-request.js';
import { verifyAgencyRequest } from '../../../../shared/auth/verify-agency-request.js';
import { UNAUTHORIZED_DETAIL, UnauthorizedError } from '../../../../shared/errors.js';

/** Every refusal says the same to the caller; the exact reason is only in `reason` (logged). */
const refusedFor = (reason: RegExp) => ({
  name: 'UnauthorizedError',
  detail: UNAUTHORIZED_DETAIL,
  message: UNAUTHORIZED_DETAIL,
  reason: expect.stringMatching(reason),
});

const NOW = new Date('2025-03-01T03:00:00Z');
const body = Buffer.from('{"a":1}');
const agency: Agency = {
  id: 'hanoi-dktcv',
  name: 'Đoàn Kiểm tra công vụ TP Hà Nội',
  jurisdiction: ['01'],
  jurisdictionUnitIds: ['01'],
  status: 'active',
  createdAt: NOW.toISOString(),
};

async function keyPair(status: AgencyKey['status'] = 'active') {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = publicJwkFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  const key: AgencyKey = {
    agencyId: agency.id,
    thumbprint: await jwkThumbprint(jwk),
    jwk,
    status,
    createdAt: NOW.toISOString(),
  };
  const signing = await signingKeyFromPem(agency.id, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  return { key, signing };
}

function directory(keys: AgencyKey[], overrides: Partial<Agency> = {}): AgencyDirectory {
  return { find: async (id) => (id === agency.id ? { agency: { ...agency, ...overrides }, keys } : undefined) };
}

async function verify(
  authorization: string,
  deps: AgencyDirectory,
  options: { now?: Date; path?: string; raw?: Buffer; audience?: string } = {},
) {
  return verifyAgencyRequest({ authorization }, options.raw ?? body, 'POST', options.path ?? '/api/v1/conclusions', {
    agencies: deps,
    now: () => options.now ?? NOW,
    ...(options.audience ? { audience: options.audience } : {}),
  });
}

describe('verifyAgencyRequest', () => {
  it('accepts a token signed for this request and returns the replay marker to store', async () => {
    // Prepare
    const { key, signing } = await keyPair();
    const token = await signAgencyRequest(signing, {
      method: 'POST',
      pathWithQuery: '/api/v1/conclusions',
      body,
      now: NOW,
      jti: 'jti-000001',
    });

    // Act
    const verified = await verify(token, directory([key]));

    // Assess
    expect(verified.agency.id).toBe('hanoi-dktcv');
    expect(verified.keyThumbprint).toBe(key.thumbprint);
    expect(verified.replay).toEqual({
      agencyId: 'hanoi-dktcv',
      jti: 'jti-000001',
      expiresAt: NOW.getTime() / 1000 + 120 + 120,
    });
  });

  it('tolerates 60 s of clock skew either way, and no more', async () => {
    const { key, signing } = await keyPair();
    const sign = (offset: number) =>
      signAgencyRequest(signing, {
        method: 'POST',
        pathWithQuery: '/api/v1/conclusions',
        body,
        now: new Date(NOW.getTime() + offset * 1000),
        lifetimeSeconds: 60,
      });
    await expect(verify(await sign(55), directory([key]))).resolves.toBeDefined();
    await expect(verify(await sign(-115), directory([key]))).resolves.toBeDefined();
    await expect(verify(await sign(65), directory([key]))).rejects.toThrow(UnauthorizedError);
    await expect(verify(await sign(-125), directory([key]))).rejects.toMatchObject(refusedFor(/expired/));
  });

  it('tries every active key without kid and only the named one with it', async () => {
    const first = await keyPair();
    const second = await keyPair();
    const { kid: _kid, ...withoutKid } = second.signing;
    const unnamed = await signAgencyRequest(withoutKid, {
      method: 'POST',
      pathWithQuery: '/api/v1/conclusions',
      body,
      now: NOW,
    });
    const misnamed = await signAgencyRequest(
      { ...second.signing, kid: first.key.thumbprint },
      { method: 'POST', pathWithQuery: '/api/v1/conclusions', body, now: NOW },
    );
    await expect(verify(unnamed, directory([first.key, second.key]))).resolves.toMatchObject({
      keyThumbprint: second.key.thumbprint,
    });
    await expect(verify(misnamed, directory([first.key, second.key]))).rejects.toMatchObject(refusedFor(/signature/));
  });

  it('refuses revoked keys, suspended agencies, other paths and other bodies', async () => {
    const revoked = await keyPair('revoked');
    const active = await keyPair();
    const token = (signing = active.signing) =>
      signAgencyRequest(signing, { method: 'POST', pathWithQuery: '/api/v1/conclusions', body, now: NOW });
    await expect(verify(await token(revoked.signing), directory([revoked.key]))).rejects.toMatchObject(
      refusedFor(/not an active key/),
    );
    await expect(verify(await token(), directory([active.key], { status: 'suspended' }))).rejects.toMatchObject(
      refusedFor(/not active/),
    );
    await expect(
      verify(await token(), directory([active.key]), { path: '/api/v1/conclusions?x=1' }),
    ).rejects.toMatchObject(refusedFor(/htu/));
    await expect(verify(await token(), directory([active.key]), { raw: Buffer.from('{"a":2}') })).rejects.toMatchObject(
      refusedFor(/bh/),
    );
  });

  it('requires the deployment audience beside transparency-api when the deployment has one', async () => {
    const { key, signing } = await keyPair();
    const sign = (audience?: string) =>
      signAgencyRequest(signing, {
        method: 'POST',
        pathWithQuery: '/api/v1/conclusions',
        body,
        now: NOW,
        ...(audience ? { audience } : {}),
      });
    // A deployment without its own audience accepts both; one with it refuses tokens for another stack.
    await expect(verify(await sign(), directory([key]))).resolves.toBeDefined();
    await expect(verify(await sign('congvu.gov.vn'), directory([key]))).resolves.toBeDefined();
    await expect(
      verify(await sign('congvu.gov.vn'), directory([key]), { audience: 'congvu.gov.vn' }),
    ).resolves.toBeDefined();
    await expect(verify(await sign(), directory([key]), { audience: 'congvu.gov.vn' })).rejects.toMatchObject(
      refusedFor(/deployment/),
    );
    await expect(
      verify(await sign('staging.congvu.vn'), directory([key]), { audience: 'congvu.gov.vn' }),
    ).rejects.toMatchObject(refusedFor(/deployment/));
  });

  it('hashes the exact bytes: a re-encoded body with the same JSON meaning is another body', () => {
    expect(bodyHash(Buffer.from('{"a":1}'))).not.toBe(bodyHash(Buffer.from('{ "a": 1 }')));
    expect(bodyHash(Buffer.alloc(0))).toBe('47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU');
  });
});
