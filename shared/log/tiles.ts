import type { Hash, MerkleTree } from './merkle.js';

/**
 * The C2SP tlog-tiles layout (c2sp.org/tlog-tiles): tiles of 256 hashes, level L holding the hashes of subtrees
 * of 256^L leaves; tile N of level L at `tile/<L>/<N>` with N in 3-digit groups (`x001/x234/067`), a partial tile
 * of width W at `tile/<L>/<N>.p/<W>`; entry bundles (big-endian uint16 length-prefixed entries) at
 * `tile/entries/<N>[.p/<W>]`. Full tiles and bundles never change; partial ones are replaced as the log grows.
 */

export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
/** Largest entry an entry bundle can hold (uint16 length). */
export const MAX_ENTRY_BYTES = 0xffff;

/** `x001/x234/067` for 1234067. */
export function tileIndexPath(n: number): string {
  const groups: string[] = [];
  let rest = n;
  do {
    groups.unshift(String(rest % 1000).padStart(3, '0'));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups.map((group, i) => (i < groups.length - 1 ? `x${group}` : group)).join('/');
}

/** The path of a tile (`tile/0/x001/234`, `tile/1/000.p/17`) or, with level `entries`, of an entry bundle. */
export function tilePath(level: number | 'entries', n: number, width = TILE_WIDTH): string {
  if (width < 1 || width > TILE_WIDTH) throw new RangeError(`a tile has 1 to 256 entries, not ${width}`);
  return `tile/${level}/${tileIndexPath(n)}${width < TILE_WIDTH ? `.p/${width}` : ''}`;
}

/** One tile (or bundle) of a tree: where it is and how many hashes it has. */
export interface TileRef {
  readonly level: number;
  readonly n: number;
  readonly width: number;
}

/** Every tile of a tree of `size` leaves: the full ones and the partial one per level (c2sp: none empty). */
export function tilesOf(size: number): TileRef[] {
  const tiles: TileRef[] = [];
  for (let level = 0, span = 1; span <= size; level++, span *= TILE_WIDTH) {
    const hashes = Math.floor(size / span);
    const full = Math.floor(hashes / TILE_WIDTH);
    for (let n = 0; n < full; n++) tiles.push({ level, n, width: TILE_WIDTH });
    const partial = hashes % TILE_WIDTH;
    if (partial > 0) tiles.push({ level, n: full, width: partial });
    if (hashes < TILE_WIDTH) break;
  }
  return tiles;
}

/** The bytes of a tile: its hashes (those of complete subtrees of height 8·level), concatenated. */
export function tileBytes(tree: MerkleTree, tile: TileRef): Uint8Array {
  const hashes = tree.levels[TILE_HEIGHT * tile.level] ?? [];
  const out = new Uint8Array(32 * tile.width);
  for (let i = 0; i < tile.width; i++) {
    const hash: Hash | undefined = hashes[tile.n * TILE_WIDTH + i];
    if (!hash) throw new RangeError(`tile ${tile.level}/${tile.n} needs a hash the tree does not have`);
    out.set(hash, 32 * i);
  }
  return out;
}

/** An entry bundle: each entry as a big-endian uint16 length and its bytes. */
export function entryBundle(entries: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(entries.reduce((sum, entry) => sum + 2 + entry.length, 0));
  let offset = 0;
  for (const entry of entries) {
    if (entry.length > MAX_ENTRY_BYTES) throw new RangeError('a log entry is at most 65,535 bytes');
    out[offset] = entry.length >> 8;
    out[offset + 1] = entry.length & 0xff;
    out.set(entry, offset + 2);
    offset += 2 + entry.length;
  }
  return out;
}

/** Splits an entry bundle; throws when the lengths do not add up. */
export function readEntryBundle(bundle: Uint8Array): Uint8Array[] {
  const entries: Uint8Array[] = [];
  let offset = 0;
  while (offset < bundle.length) {
    if (offset + 2 > bundle.length) throw new Error('an entry bundle ends inside a length prefix');
    const length = ((bundle[offset] as number) << 8) | (bundle[offset + 1] as number);
    if (offset + 2 + length > bundle.length) throw new Error('an entry bundle ends inside an entry');
    entries.push(bundle.slice(offset + 2, offset + 2 + length));
    offset += 2 + length;
  }
  return entries;
}
