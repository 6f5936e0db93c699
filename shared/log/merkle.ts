import { createHash } from 'node:crypto';

/**
 * RFC 6962 §2.1 Merkle Tree Hashes (SHA-256): MTH({}) = SHA-256(), a leaf is SHA-256(0x00 || entry), an inner
 * node SHA-256(0x01 || left || right), and a tree of n > 1 leaves splits at k, the largest power of two < n.
 * `MerkleTree` keeps every *complete* subtree hash by height, which is exactly what the tiles publish
 * (tiles.ts) and what proofs are made of; an incomplete right edge is hashed on demand.
 */

export type Hash = Uint8Array;

/** SHA-256 of the concatenation of the parts. */
export function sha256(...parts: readonly Uint8Array[]): Hash {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

const LEAF_PREFIX = Uint8Array.of(0);
const NODE_PREFIX = Uint8Array.of(1);

/** The leaf hash of an entry: SHA-256(0x00 || entry). */
export function leafHash(entry: Uint8Array): Hash {
  return sha256(LEAF_PREFIX, entry);
}

/** The hash of an inner node: SHA-256(0x01 || left || right). */
export function nodeHash(left: Hash, right: Hash): Hash {
  return sha256(NODE_PREFIX, left, right);
}

/** The hash of the empty tree. */
export const EMPTY_ROOT: Hash = sha256();

/** Largest power of two strictly smaller than n (n > 1). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** A Merkle tree over leaf hashes, with every complete subtree kept: `levels[h][i]` covers leaves i·2^h … (i+1)·2^h. */
export class MerkleTree {
  readonly levels: Hash[][] = [[]];

  constructor(leaves: Iterable<Hash> = []) {
    for (const leaf of leaves) this.append(leaf);
  }

  get size(): number {
    return this.levels[0]?.length ?? 0;
  }

  /** Appends a leaf hash and completes every subtree it closes. */
  append(leaf: Hash): void {
    (this.levels[0] as Hash[]).push(leaf);
    let height = 0;
    let index = this.size - 1;
    while (index % 2 === 1) {
      const level = this.levels[height] as Hash[];
      const parent = nodeHash(level[index - 1] as Hash, level[index] as Hash);
      height += 1;
      this.levels[height] ??= [];
      (this.levels[height] as Hash[]).push(parent);
      index = (index - 1) / 2;
    }
  }

  /** MTH(D[start:end]) for start < end ≤ size (any range the RFC 6962 recursion visits). */
  rangeHash(start: number, end: number): Hash {
    const n = end - start;
    if (n <= 0 || end > this.size) throw new RangeError(`no subtree [${start}, ${end}) in a tree of ${this.size}`);
    if ((n & (n - 1)) === 0 && start % n === 0) {
      const hash = this.levels[Math.log2(n)]?.[start / n];
      if (hash) return hash;
    }
    const k = splitPoint(n);
    return nodeHash(this.rangeHash(start, start + k), this.rangeHash(start + k, end));
  }

  /** The root of the tree of the first `size` leaves (default: all). */
  root(size = this.size): Hash {
    return size === 0 ? EMPTY_ROOT : this.rangeHash(0, size);
  }

  /** RFC 6962 §2.1.1 PATH(index, D[0:size]): the audit path of leaf `index` in the tree of `size` leaves. */
  inclusionProof(index: number, size = this.size): Hash[] {
    if (index < 0 || index >= size || size > this.size) throw new RangeError(`no leaf ${index} in a tree of ${size}`);
    const path: Hash[] = [];
    const walk = (m: number, start: number, end: number): void => {
      const n = end - start;
      if (n === 1) return;
      const k = splitPoint(n);
      if (m < k) {
        walk(m, start, start + k);
        path.push(this.rangeHash(start + k, end));
      } else {
        walk(m - k, start + k, end);
        path.push(this.rangeHash(start, start + k));
      }
    };
    walk(index, 0, size);
    return path;
  }

  /** RFC 6962 §2.1.2 PROOF(m, D[0:n]): the consistency proof from the tree of m leaves to the tree of n. */
  consistencyProof(m: number, n = this.size): Hash[] {
    if (m <= 0 || m > n || n > this.size) throw new RangeError(`no consistency proof from ${m} to ${n}`);
    const proof: Hash[] = [];
    const subproof = (m: number, start: number, end: number, whole: boolean): void => {
      const n = end - start;
      if (m === n) {
        if (!whole) proof.push(this.rangeHash(start, end));
        return;
      }
      const k = splitPoint(n);
      if (m <= k) {
        subproof(m, start, start + k, whole);
        proof.push(this.rangeHash(start + k, end));
      } else {
        subproof(m - k, start + k, end, false);
        proof.push(this.rangeHash(start, start + k));
      }
    };
    subproof(m, 0, n, true);
    return proof;
  }
}

/** Equal hashes (or any byte strings). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Verifies an inclusion proof (RFC 9162 §2.1.3.2): recomputes the root from the leaf hash and the path.
 * Returns true when it matches `root`.
 */
export function verifyInclusion(index: number, size: number, leaf: Hash, proof: readonly Hash[], root: Hash): boolean {
  if (index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && sameBytes(r, root);
}

/** Verifies a consistency proof (RFC 9162 §2.1.4.2) from (size1, root1) to (size2, root2). */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Hash[],
  root1: Hash,
  root2: Hash,
): boolean {
  if (size1 > size2) return false;
  if (size1 === size2) return proof.length === 0 && sameBytes(root1, root2);
  if (size1 === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = [...proof];
  if ((size1 & (size1 - 1)) === 0) path.unshift(root1);
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0] as Hash;
  let sr = path[0] as Hash;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sameBytes(fr, root1) && sameBytes(sr, root2) && sn === 0;
}
