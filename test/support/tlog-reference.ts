import { createHash, createPublicKey, verify } from 'node:crypto';

/**
 * An independent reader of a published log, written from the specifications alone (RFC 6962 §2.1; C2SP
 * signed-note, tlog-checkpoint, tlog-tiles, tlog-proof), sharing no code with shared/log/: the tests judge the
 * writer by it, so a mistake made twice in the same helper cannot hide. Deliberately naive: it recomputes the
 * tree from the leaves by the RFC's recursive definition.
 */

export type Fetch = (path: string) => Promise<Uint8Array | undefined>;

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

function h(...parts: Uint8Array[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** RFC 6962 §2.1: MTH over leaf *entries*. */
export function mth(entries: readonly Uint8Array[]): Buffer {
  if (entries.length === 0) return h();
  if (entries.length === 1) return h(Uint8Array.of(0), entries[0] as Uint8Array);
  let k = 1;
  while (k << 1 < entries.length) k <<= 1;
  return h(Uint8Array.of(1), mth(entries.slice(0, k)), mth(entries.slice(k)));
}

/** MTH over already-computed subtree hashes that are the leaves of a perfect-or-left-filled tree of hashes. */
function mthOfHashes(hashes: readonly Buffer[]): Buffer {
  if (hashes.length === 1) return hashes[0] as Buffer;
  let k = 1;
  while (k << 1 < hashes.length) k <<= 1;
  return h(Uint8Array.of(1), mthOfHashes(hashes.slice(0, k)), mthOfHashes(hashes.slice(k)));
}

/** The key ID and key of a verifier key `<name>+<hex id>+<base64(0x01 || key)>` (signed-note). */
export function readVerifierKey(text: string): { name: string; id: Buffer; key: Buffer } {
  const t = text.trim();
  const first = t.indexOf('+');
  const second = t.indexOf('+', first + 1);
  const [name, hexId, b64] = [t.slice(0, first), t.slice(first + 1, second), t.slice(second + 1)];
  if (first <= 0 || second < 0 || !hexId || !b64) throw new Error('bad verifier key');
  const raw = Buffer.from(b64, 'base64');
  if (raw.length !== 33 || raw[0] !== 1) throw new Error('not an Ed25519 verifier key');
  const key = raw.subarray(1);
  const id = h(enc.encode(name), Uint8Array.of(0x0a), raw).subarray(0, 4);
  if (id.toString('hex') !== hexId) throw new Error('verifier key id mismatch');
  return { name, id, key };
}

/** Verifies a checkpoint's signature by the key and returns its size and root. Throws with the reason. */
export function readCheckpoint(note: string, verifierKey: string): { origin: string; size: number; root: Buffer } {
  const { name, id, key } = readVerifierKey(verifierKey);
  const cut = note.indexOf('\n\n');
  if (cut < 0) throw new Error('checkpoint: no blank line');
  const text = note.slice(0, cut + 1);
  const sigLines = note.slice(cut + 2).split('\n');
  if (sigLines.pop() !== '') throw new Error('checkpoint: no final newline');
  const spki = createPublicKey({
    key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), key]),
    format: 'der',
    type: 'spki',
  });
  const ok = sigLines.some((line) => {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!m || m[1] !== name) return false;
    const raw = Buffer.from(m[2] as string, 'base64');
    return raw.length === 68 && raw.subarray(0, 4).equals(id) && verify(null, enc.encode(text), spki, raw.subarray(4));
  });
  if (!ok) throw new Error('checkpoint: signature does not verify');
  const [origin, size, root] = text.split('\n');
  if (origin !== name) throw new Error('checkpoint: origin is not the key name');
  if (!/^\d+$/.test(size ?? '')) throw new Error('checkpoint: bad size');
  const rootBytes = Buffer.from(root ?? '', 'base64');
  if (rootBytes.length !== 32) throw new Error('checkpoint: bad root');
  return { origin, size: Number(size), root: rootBytes };
}

function indexPath(n: number): string {
  const s = String(n);
  const padded = s.padStart(Math.ceil(s.length / 3) * 3, '0');
  const groups = padded.match(/.{3}/g) ?? ['000'];
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

/**
 * Reads the whole log behind `fetch` (paths relative to the log prefix) and checks everything the specs promise:
 * the checkpoint's signature, that the entry bundles hash to the level-0 tiles, that each level's tiles hash to the
 * level above, and that the tree they make has the checkpoint's root. Returns the entries. Throws with the reason.
 */
export async function readWholeLog(
  fetch: Fetch,
  verifierKey: string,
): Promise<{ size: number; root: Buffer; entries: Uint8Array[] }> {
  const note = await fetch('checkpoint');
  if (!note) throw new Error('no checkpoint');
  const { size, root } = readCheckpoint(dec.decode(note), verifierKey);
  const entries: Uint8Array[] = [];
  // Entry bundles, then the level-0 tiles they must match.
  for (let n = 0; n * 256 < size; n++) {
    const width = Math.min(256, size - n * 256);
    const path = `tile/entries/${indexPath(n)}${width < 256 ? `.p/${width}` : ''}`;
    const bundle = await fetch(path);
    if (!bundle) throw new Error(`missing ${path}`);
    let off = 0;
    const inBundle: Uint8Array[] = [];
    while (off < bundle.length) {
      const len = ((bundle[off] as number) << 8) | (bundle[off + 1] as number);
      inBundle.push(bundle.subarray(off + 2, off + 2 + len));
      off += 2 + len;
    }
    if (off !== bundle.length || inBundle.length !== width)
      throw new Error(`${path}: ${inBundle.length} entries, ${width} expected`);
    entries.push(...inBundle);
  }
  // Every level's tiles: level 0 = leaf hashes of the entries; level l+1 = MTH of each full tile of level l.
  let below: Buffer[] = entries.map((e) => h(Uint8Array.of(0), e));
  for (let level = 0; ; level++) {
    const count = Math.floor(size / 256 ** level);
    if (count === 0) break;
    if (below.length !== count) throw new Error(`level ${level}: ${below.length} hashes, ${count} expected`);
    for (let n = 0; n * 256 < count; n++) {
      const width = Math.min(256, count - n * 256);
      const path = `tile/${level}/${indexPath(n)}${width < 256 ? `.p/${width}` : ''}`;
      const tile = await fetch(path);
      if (!tile) throw new Error(`missing ${path}`);
      const expected = Buffer.concat(below.slice(n * 256, n * 256 + width));
      if (!expected.equals(Buffer.from(tile))) throw new Error(`${path} does not match the entries`);
    }
    const next: Buffer[] = [];
    for (let n = 0; (n + 1) * 256 <= count; n++) next.push(mthOfHashes(below.slice(n * 256, (n + 1) * 256)));
    below = next;
    if (count < 256) break;
  }
  const computed = mth(entries);
  if (!computed.equals(root)) throw new Error('the entries do not hash to the checkpoint root');
  return { size, root, entries };
}

/** Checks a C2SP tlog-proof for an entry against the log's verifier key (RFC 6962 §2.1.1 path). */
export function checkTlogProof(proof: string, entry: Uint8Array, verifierKey: string): { index: number; size: number } {
  const cut = proof.indexOf('\n\n');
  const head = proof.slice(0, cut).split('\n');
  if (head[0] !== 'c2sp.org/tlog-proof@v1') throw new Error('tlog-proof: bad header');
  let line = 1;
  if (head[line]?.startsWith('extra ')) line++;
  const m = /^index (0|[1-9]\d*)$/.exec(head[line] ?? '');
  if (!m) throw new Error('tlog-proof: bad index line');
  const index = Number(m[1]);
  const path = head.slice(line + 1).map((b) => Buffer.from(b, 'base64'));
  const { size, root } = readCheckpoint(proof.slice(cut + 2), verifierKey);
  // Recompute the root by RFC 6962's recursion over (index, size), consuming the path from the leaf upward.
  const climb = (m: number, n: number, leaf: Buffer, rest: Buffer[]): Buffer => {
    if (n === 1) {
      if (rest.length) throw new Error('tlog-proof: path too long');
      return leaf;
    }
    let k = 1;
    while (k << 1 < n) k <<= 1;
    const sibling = rest.at(-1);
    if (!sibling) throw new Error('tlog-proof: path too short');
    const inner = rest.slice(0, -1);
    return m < k
      ? h(Uint8Array.of(1), climb(m, k, leaf, inner), sibling)
      : h(Uint8Array.of(1), sibling, climb(m - k, n - k, leaf, inner));
  };
  if (index >= size) throw new Error('tlog-proof: index outside the tree');
  const computed = climb(index, size, h(Uint8Array.of(0), entry), path);
  if (!computed.equals(root)) throw new Error('tlog-proof: the path does not lead to the checkpoint root');
  return { index, size };
}
