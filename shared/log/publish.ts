import { type Checkpoint, signCheckpoint } from './checkpoint.js';
import { decodeLogEntry, type LogEntryType, versionKey } from './entry.js';
import { type Hash, leafHash, MerkleTree } from './merkle.js';
import type { NoteSigner } from './note.js';
import { entryBundle, TILE_WIDTH, type TileRef, tileBytes, tilePath, tilesOf } from './tiles.js';

/**
 * What the site publishes of the log: under `/log/` the C2SP tlog-tiles resources (checkpoint, hash tiles, entry
 * bundles) and the verifier key; under `/data/` one C2SP tlog-proof per logged version (its inclusion proof in the
 * current checkpoint) and `log-index.json` (which version is which entry, for the pages). Pure: entries in, files out.
 */

/** The header line of a C2SP tlog-proof. */
export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';

/** The site path of a version's inclusion proof. */
export function proofPath(type: LogEntryType, id: string, version: number): string {
  return `/data/proofs/${type}/${id}/${version}.tlog-proof`;
}

/** One published file, its path relative to the site root (`log/checkpoint`), and how long it may be cached. */
export interface LogFile {
  readonly path: string;
  readonly bytes: Uint8Array;
  readonly contentType: string;
  /** True for what never changes once written (full tiles and bundles); false for what is replaced as it grows. */
  readonly immutable: boolean;
}

/** `/data/log-index.json`: the checkpoint's size and, per version key (`conclusion#<id>#3`), its entry index. */
export interface LogIndex {
  readonly origin: string;
  readonly size: number;
  readonly entries: Readonly<Record<string, number>>;
}

/** The tlog-proof text of entry `index` in the checkpointed tree. */
export function tlogProof(index: number, proof: readonly Hash[], checkpointNote: string): string {
  const lines = [TLOG_PROOF_HEADER, `index ${index}`, ...proof.map((hash) => Buffer.from(hash).toString('base64'))];
  return `${lines.join('\n')}\n\n${checkpointNote}`;
}

const TEXT = 'text/plain; charset=utf-8';
const OCTETS = 'application/octet-stream';

/** Builds every file of the log for the given entries (in log order), signed by the log's key. */
export async function buildLogFiles(
  entries: readonly Uint8Array[],
  log: { readonly origin: string; readonly signer: NoteSigner; readonly verifierKey: string },
): Promise<{ files: LogFile[]; checkpoint: string; tree: MerkleTree; index: LogIndex }> {
  const tree = new MerkleTree(entries.map(leafHash));
  const checkpoint: Checkpoint = { origin: log.origin, size: tree.size, root: tree.root(), extensions: [] };
  const note = await signCheckpoint(checkpoint, [log.signer]);
  const files: LogFile[] = [
    { path: 'log/checkpoint', bytes: utf8(note), contentType: TEXT, immutable: false },
    { path: 'log/key', bytes: utf8(`${log.verifierKey}\n`), contentType: TEXT, immutable: false },
  ];
  for (const tile of tilesOf(tree.size)) {
    files.push({
      path: `log/${tilePath(tile.level, tile.n, tile.width)}`,
      bytes: tileBytes(tree, tile),
      contentType: OCTETS,
      immutable: tile.width === TILE_WIDTH,
    });
    if (tile.level === 0) files.push(bundleFile(entries, tile));
  }
  const indexEntries: Record<string, number> = {};
  entries.forEach((bytes, i) => {
    const entry = decodeLogEntry(bytes);
    indexEntries[versionKey(entry)] = i;
    files.push({
      path: proofPath(entry.type, entry.id, entry.version).slice(1),
      bytes: utf8(tlogProof(i, tree.inclusionProof(i), note)),
      contentType: TEXT,
      immutable: false,
    });
  });
  const index: LogIndex = { origin: log.origin, size: tree.size, entries: indexEntries };
  files.push({
    path: 'data/log-index.json',
    bytes: utf8(`${JSON.stringify(index)}\n`),
    contentType: 'application/json',
    immutable: false,
  });
  return { files, checkpoint: note, tree, index };
}

function bundleFile(entries: readonly Uint8Array[], tile: TileRef): LogFile {
  const start = tile.n * TILE_WIDTH;
  return {
    path: `log/${tilePath('entries', tile.n, tile.width)}`,
    bytes: entryBundle(entries.slice(start, start + tile.width)),
    contentType: OCTETS,
    immutable: tile.width === TILE_WIDTH,
  };
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
