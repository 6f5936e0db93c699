import { createHash, createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cosignCheckpoint, cosignedAt, cosignerVerifierKey } from '../../../../shared/log/cosignature.js';
import { generateNoteKey, rawPublicKey } from '../../../../shared/log/note.js';
import { buildLogFiles } from '../../../../shared/log/publish.js';
import { logIdentity } from '../../../../shared/log/signer.js';
import { readCheckpoint } from '../../../support/tlog-reference.js';

const log = logIdentity('cosign.localhost/log', generateNoteKey());
const witnessKey = generateNoteKey();
const witnessPublic = rawPublicKey(createPublicKey(witnessKey));

describe('tlog-cosignature v1 (Ed25519)', () => {
  it('adds a line the specification’s verifier accepts, and keeps the log’s own signature valid', async () => {
    // Prepare
    const { checkpoint } = await buildLogFiles([], log);
    const at = new Date('2026-11-29T12:00:00Z');

    // Act
    const cosigned = cosignCheckpoint(checkpoint, 'witness.localhost/w1', witnessKey, at);

    // Assess: decode the line by the specification alone.
    const line = cosigned.trimEnd().split('\n').at(-1) ?? '';
    const [, name, encoded] = /^\u2014 (\S+) (\S+)$/.exec(line) ?? [];
    expect(name).toBe('witness.localhost/w1');
    const raw = Buffer.from(encoded ?? '', 'base64');
    const keyId = createHash('sha256')
      .update('witness.localhost/w1\n')
      .update(Uint8Array.of(4))
      .update(witnessPublic)
      .digest();
    expect(raw.subarray(0, 4).equals(keyId.subarray(0, 4))).toBe(true);
    expect(raw.readBigUInt64BE(4)).toBe(BigInt(at.getTime() / 1000));
    const text = checkpoint.slice(0, checkpoint.indexOf('\n\n') + 1);
    const signedMessage = Buffer.from(`cosignature/v1\ntime ${at.getTime() / 1000}\n${text}`);
    expect(verify(null, signedMessage, createPublicKey(witnessKey), raw.subarray(12))).toBe(true);
    expect(readCheckpoint(cosigned, log.verifierKey).size).toBe(0);
    expect(cosignedAt(cosigned, 'witness.localhost/w1', witnessPublic)).toEqual(at);
    expect(cosignerVerifierKey('witness.localhost/w1', witnessPublic)).toMatch(
      /^witness\.localhost\/w1\+[0-9a-f]{8}\+/,
    );
  });

  it('finds no cosignature by another key or on another checkpoint', async () => {
    const first = (await buildLogFiles([], log)).checkpoint;
    const cosigned = cosignCheckpoint(first, 'witness.localhost/w1', witnessKey);
    const other = rawPublicKey(createPublicKey(generateNoteKey()));

    expect(cosignedAt(cosigned, 'witness.localhost/w1', other)).toBeUndefined();
    expect(cosignedAt(cosigned.replace('\n0\n', '\n1\n'), 'witness.localhost/w1', witnessPublic)).toBeUndefined();
  });
});
