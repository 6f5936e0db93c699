import { describe, expect, it } from 'vitest';
import { encodeLogEntry, type LogEntry } from '../../../../shared/log/entry.js';
import { leafHash, MerkleTree, verifyConsistency, verifyInclusion } from '../../../../shared/log/merkle.js';
import { generateNoteKey } from '../../../../shared/log/note.js';
import { buildLogFiles, proofPath } from '../../../../shared/log/publish.js';
import { logIdentity } from '../../../../shared/log/signer.js';
import { checkTlogProof, mth, readWholeLog } from '../../../support/tlog-reference.js';

const identity = logIdentity('example.localhost/log', generateNoteKey());

function entry(i: number): LogEntry {
  return {
    type: 'conclusion',
    id: `k${String(i).padStart(19, 'a')}`.slice(0, 20),
    version: (i % 3) + 1,
    status: 'published',
    agency: 'demo-agency',
    keyThumbprint: 'A'.repeat(43),
    jti: `jti-${i}-xxxxxxxx`,
    jws: `eyJhbGciOiJFZERTQSJ9.eyJpIjo${i}.c2ln`,
    body: `/data/bodies/${String(i).padStart(64, '0')}.json`,
    bodySha256: String(i).padStart(64, '0'),
    publishedAt: '2026-11-29T12:00:00.000Z',
  };
}

function entries(size: number): Uint8Array[] {
  // Unique (type, id, version) per entry: id carries the index.
  return Array.from({ length: size }, (_, i) => encodeLogEntry({ ...entry(i), id: `k${String(i).padStart(19, '0')}` }));
}

async function published(size: number) {
  const built = await buildLogFiles(entries(size), identity);
  const files = new Map(built.files.map((file) => [file.path, file.bytes]));
  const fetchLog = async (path: string) => files.get(`log/${path}`);
  return { ...built, files, fetchLog };
}

describe('the published log, read by an implementation of the specifications', () => {
  for (const size of [1, 2, 3, 7, 256, 257, 600]) {
    it(`verifies a log of ${size} entries: checkpoint, tiles, bundles and every inclusion proof`, async () => {
      const { files, fetchLog, tree } = await published(size);

      const read = await readWholeLog(fetchLog, identity.verifierKey);

      expect(read.size).toBe(size);
      expect(read.entries.map((e) => Buffer.from(e).toString())).toEqual(
        entries(size).map((e) => Buffer.from(e).toString()),
      );
      expect(Buffer.from(tree.root()).equals(mth(entries(size)))).toBe(true);
      entries(size).forEach((bytes, i) => {
        const path = proofPath('conclusion', `k${String(i).padStart(19, '0')}`, (i % 3) + 1).slice(1);
        const proof = files.get(path);
        expect(proof, path).toBeDefined();
        expect(checkTlogProof(Buffer.from(proof as Uint8Array).toString(), bytes, identity.verifierKey)).toEqual({
          index: i,
          size,
        });
      });
    });
  }

  it('serves exactly the tiles the specification names for 256 entries (one full level-0 tile, a level-1 tile of width 1)', async () => {
    const { files } = await published(256);

    const tiles = [...files.keys()].filter((path) => path.startsWith('log/tile/')).sort();

    expect(tiles).toEqual(['log/tile/0/000', 'log/tile/1/000.p/1', 'log/tile/entries/000']);
  });

  it('fails when a byte of a tile changes', async () => {
    const { files, fetchLog } = await published(257);
    flipByte(files.get('log/tile/0/000'), 5);

    await expect(readWholeLog(fetchLog, identity.verifierKey)).rejects.toThrow(/tile\/0\/000 does not match/);
  });

  it('fails when a byte of an entry changes', async () => {
    const { files, fetchLog } = await published(7);
    flipByte(files.get('log/tile/entries/000.p/7'), 10);

    await expect(readWholeLog(fetchLog, identity.verifierKey)).rejects.toThrow(/does not match|root/);
  });

  it('fails when the checkpoint signature changes, or is by another key', async () => {
    const { files, fetchLog } = await published(3);
    const note = Buffer.from(files.get('log/checkpoint') as Uint8Array).toString();
    const other = logIdentity('example.localhost/log', generateNoteKey());

    await expect(readWholeLog(fetchLog, other.verifierKey)).rejects.toThrow(/signature/);
    const forged = note.replace(
      / (\S)(\S+)\n$/,
      (_, first: string, rest: string) => ` ${first === 'A' ? 'B' : 'A'}${rest}\n`,
    );
    files.set('log/checkpoint', new TextEncoder().encode(forged));
    await expect(readWholeLog(fetchLog, identity.verifierKey)).rejects.toThrow(/signature/);
  });

  it('fails when the checkpoint names another size or root, even with the tiles intact', async () => {
    const { files, fetchLog } = await published(7);
    const note = Buffer.from(files.get('log/checkpoint') as Uint8Array).toString();
    files.set('log/checkpoint', new TextEncoder().encode(note.replace('\n7\n', '\n6\n')));

    await expect(readWholeLog(fetchLog, identity.verifierKey)).rejects.toThrow(/signature/);
  });
});

describe('MerkleTree', () => {
  it('gives inclusion and consistency proofs that verify for every index and every pair of sizes up to 40', () => {
    const leaves = entries(40).map(leafHash);
    const tree = new MerkleTree(leaves);
    for (let n = 1; n <= 40; n++) {
      const root = tree.root(n);
      expect(Buffer.from(root).equals(mth(entries(n)))).toBe(true);
      for (let i = 0; i < n; i++)
        expect(verifyInclusion(i, n, leaves[i] as Uint8Array, tree.inclusionProof(i, n), root)).toBe(true);
      for (let m = 1; m <= n; m++) {
        expect(verifyConsistency(m, n, tree.consistencyProof(m, n), tree.root(m), root), `${m}→${n}`).toBe(true);
      }
    }
  });

  it('refuses a consistency proof between trees that do not extend each other', () => {
    const tree = new MerkleTree(entries(9).map(leafHash));
    const other = new MerkleTree([...entries(4), new Uint8Array([1]), ...entries(9).slice(5)].map(leafHash));

    expect(verifyConsistency(5, 9, tree.consistencyProof(5, 9), other.root(5), tree.root(9))).toBe(false);
    expect(verifyInclusion(3, 9, leafHash(new Uint8Array([9])), tree.inclusionProof(3, 9), tree.root(9))).toBe(false);
  });
});

function flipByte(bytes: Uint8Array | undefined, at: number): void {
  if (!bytes) throw new Error('no such file');
  bytes[at] = (bytes[at] as number) ^ 1;
}
