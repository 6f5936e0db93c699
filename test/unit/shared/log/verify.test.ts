import { generateKeyPairSync } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { signAgencyRequest, signingKeyFromPem } from '../../../../shared/auth/sign-agency-request.js';
import { bodySha256Hex, signedBodyPath } from '../../../../shared/auth/signed-request.js';
import { encodeLogEntry, type LogEntry } from '../../../../shared/log/entry.js';
import { exportLog } from '../../../../shared/log/export-log.js';
import { generateNoteKey } from '../../../../shared/log/note.js';
import { logIdentity } from '../../../../shared/log/signer.js';
import { verifyPublishedLog } from '../../../../shared/log/verify.js';

const identity = logIdentity('verify.localhost/log', generateNoteKey());
const AGENCY = 'hanoi-dktcv';
let signer: Awaited<ReturnType<typeof signingKeyFromPem>>;
let agencyFile: Uint8Array;

beforeAll(async () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  signer = await signingKeyFromPem(AGENCY, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  const jwk = await exportJWK(publicKey);
  const thumbprint = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: jwk.x ?? '' }, 'sha256');
  agencyFile = utf8(
    JSON.stringify({
      agency: { id: AGENCY, name: 'Thanh tra' },
      keys: [
        {
          thumbprint,
          jwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x },
          status: 'active',
          addedAt: '2020-01-01T00:00:00Z',
          revokedAt: null,
        },
      ],
      periods: {},
    }),
  );
});

/** A site with `size` signed versions in its log (what the export writes), as a map of paths to bytes. */
async function site(size: number, note = 'Kết luận'): Promise<Map<string, Uint8Array>> {
  const bodies = new Map<string, Uint8Array>();
  const entries: Uint8Array[] = [];
  for (let i = 0; i < size; i++) {
    const body = utf8(JSON.stringify({ documentNumber: `${i}/KL`, note }));
    const authorization = await signAgencyRequest(signer, {
      method: 'POST',
      pathWithQuery: '/api/v1/conclusions',
      body,
      jti: `jti-${i}-abcdefgh`,
    });
    const sha = bodySha256Hex(body);
    bodies.set(sha, body);
    const entry: LogEntry = {
      type: 'conclusion',
      id: `c${i}`,
      version: 1,
      status: 'published',
      agency: AGENCY,
      keyThumbprint: signer.kid ?? '',
      jti: `jti-${i}-abcdefgh`,
      jws: authorization.slice('Bearer '.length),
      body: signedBodyPath(sha),
      bodySha256: sha,
      publishedAt: '2026-11-29T00:00:00Z',
    };
    entries.push(encodeLogEntry(entry));
  }
  const files = new Map<string, Uint8Array>([[`/data/agencies/${AGENCY}.json`, agencyFile]]);
  await exportLog(
    identity,
    { readEntries: async () => entries, readBodies: async () => bodies },
    { write: async (file) => void files.set(`/${file.path}`, file.bytes) },
  );
  return files;
}

const fetchFrom = (files: Map<string, Uint8Array>) => async (path: string) => files.get(path);

describe('verifyPublishedLog', () => {
  it('passes a log whose entries, bodies, signatures, tiles and checkpoint are all intact', async () => {
    const files = await site(7);

    const report = await verifyPublishedLog(fetchFrom(files), { verifierKey: identity.verifierKey });

    expect(report.failures).toEqual([]);
    expect(report.entries).toBe(7);
  });

  it('names the entry whose published body changed by one byte', async () => {
    const files = await site(3);
    const [path, bytes] = [...files].find(([p]) => p.startsWith('/data/bodies/')) as [string, Uint8Array];
    bytes[2] = (bytes[2] as number) ^ 1;

    const report = await verifyPublishedLog(fetchFrom(files));

    expect(report.failures).toHaveLength(1);
    expect(report.failures[0]).toMatch(
      new RegExp(`^entry \\d \\(conclusion c\\d version 1\\): the body at ${path} does not have the SHA-256`),
    );
  });

  it('fails when a byte of a stored entry or of a tile changes', async () => {
    const files = await site(3);
    const bundle = files.get('/log/tile/entries/000.p/3') as Uint8Array;
    bundle[40] = (bundle[40] as number) ^ 1;
    expect((await verifyPublishedLog(fetchFrom(files))).failures.join('\n')).toMatch(
      /do not hash to the checkpoint's root|not a valid log entry/,
    );

    const other = await site(3);
    const tile = other.get('/log/tile/0/000.p/3') as Uint8Array;
    tile[0] = (tile[0] as number) ^ 1;
    expect((await verifyPublishedLog(fetchFrom(other))).failures).toEqual([
      '/log/tile/0/000.p/3: does not match the entries and the checkpoint',
    ]);
  });

  it('fails when the agency signature does not verify, or the checkpoint is not signed by the pinned log key', async () => {
    const files = await site(2);
    const forged = new Map(files);
    const stranger = logIdentity('verify.localhost/log', generateNoteKey());

    expect((await verifyPublishedLog(fetchFrom(files), { verifierKey: stranger.verifierKey })).failures[0]).toMatch(
      /^checkpoint: .*no valid signature/,
    );
    forged.set(`/data/agencies/${AGENCY}.json`, utf8(JSON.stringify({ keys: [] })));
    expect((await verifyPublishedLog(fetchFrom(forged))).failures[0]).toMatch(/is not listed in \/data\/agencies/);
  });

  it('checks that the log only grew since a saved checkpoint, and says so when it was rewritten', async () => {
    const small = await site(3);
    const saved = new TextDecoder().decode(small.get('/log/checkpoint'));
    const grown = await site(5);

    expect((await verifyPublishedLog(fetchFrom(grown), { since: saved })).failures).toEqual([]);
    const shrunk = await site(2);
    expect((await verifyPublishedLog(fetchFrom(shrunk), { since: saved })).failures).toEqual([
      'consistency with the saved checkpoint: the log shrank from 3 to 2 entries',
    ]);
    // A log whose first entries say something else (each still validly signed) is not a continuation.
    const rewritten = await site(4, 'Kết luận đã sửa');
    expect((await verifyPublishedLog(fetchFrom(rewritten), { since: saved })).failures).toEqual([
      'consistency with the saved checkpoint: the first 3 entries are not the ones the saved checkpoint signed: the log was rewritten',
    ]);
  });
});

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
