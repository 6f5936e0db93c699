import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, compactVerify, importJWK } from 'jose';
import { type Checkpoint, openCheckpoint } from './checkpoint.js';
import { decodeLogEntry, type LogEntry } from './entry.js';
import { leafHash, MerkleTree, sameBytes, verifyConsistency } from './merkle.js';
import { type NoteVerifier, parseVerifierKey } from './note.js';
import { readEntryBundle, tileBytes, tilePath, tilesOf } from './tiles.js';

/**
 * Everything `npm run verify` checks, over a `fetch` port (site paths → bytes), so the same code reads a live
 * site, a copy on disk or a test fixture: the checkpoint's signature by the log key; every entry bundle and hash
 * tile against the tree the entries make and the checkpoint's root; for each entry, the body bytes against its
 * hash and the agency's JWS (signature by the key the entry names, listed in `/data/agencies/<id>.json`, with
 * `bh` the body's SHA-256 and `iss` the agency); and, given an older checkpoint, that the log only grew
 * (a consistency proof from it to the current one). Every failure is collected with what exactly failed.
 */

/** Reads a site path (`/log/checkpoint`); undefined when it is not there. */
export type SiteFetch = (path: string) => Promise<Uint8Array | undefined>;

export interface VerifyOptions {
  /** The log's verifier key, pinned; default: the site's `/log/key` (then say so: it is trust on first use). */
  readonly verifierKey?: string;
  /** A checkpoint saved earlier (signed note text): the current one must be consistent with it. */
  readonly since?: string;
  /** Progress lines. */
  readonly progress?: (line: string) => void;
}

export interface VerifyReport {
  readonly checkpoint?: Checkpoint;
  readonly checkpointNote?: string;
  readonly entries: number;
  readonly failures: readonly string[];
}

interface PublishedKey {
  readonly thumbprint: string;
  readonly jwk: { kty: string; crv: string; x: string };
  readonly addedAt?: string;
  readonly revokedAt?: string | null;
}

/** Verifies the whole log behind `fetch` (see the module comment). */
export async function verifyPublishedLog(fetch: SiteFetch, options: VerifyOptions = {}): Promise<VerifyReport> {
  const failures: string[] = [];
  const fail = (message: string) => failures.push(message);

  let verifier: NoteVerifier;
  try {
    const keyText = options.verifierKey ?? text(await required(fetch, '/log/key'));
    verifier = parseVerifierKey(keyText);
  } catch (error) {
    return { entries: 0, failures: [`log key: ${(error as Error).message}`] };
  }
  let checkpoint: Checkpoint;
  let note: string;
  try {
    note = text(await required(fetch, '/log/checkpoint'));
    checkpoint = openCheckpoint(note, verifier);
  } catch (error) {
    return { entries: 0, failures: [`checkpoint: ${(error as Error).message}`] };
  }
  options.progress?.(`checkpoint: ${checkpoint.origin}, ${checkpoint.size} entries, signature valid`);

  // The entries, from the bundles the checkpoint's size calls for.
  const entries: Uint8Array[] = [];
  for (const tile of tilesOf(checkpoint.size).filter((t) => t.level === 0)) {
    const path = `/log/${tilePath('entries', tile.n, tile.width)}`;
    const bundle = await fetch(path);
    if (!bundle) {
      fail(`${path}: missing`);
      return { checkpoint, checkpointNote: note, entries: entries.length, failures };
    }
    let read: Uint8Array[];
    try {
      read = readEntryBundle(bundle);
    } catch (error) {
      fail(`${path}: ${(error as Error).message}`);
      return { checkpoint, checkpointNote: note, entries: entries.length, failures };
    }
    if (read.length !== tile.width) fail(`${path}: ${read.length} entries where ${tile.width} are expected`);
    entries.push(...read.slice(0, tile.width));
  }
  const tree = new MerkleTree(entries.map(leafHash));
  if (tree.size === checkpoint.size && !sameBytes(tree.root(), checkpoint.root)) {
    fail(`the ${tree.size} entries do not hash to the checkpoint's root: an entry was changed, added or removed`);
  }
  // Every hash tile must be the hashes of the tree the entries make.
  if (tree.size === checkpoint.size) {
    for (const tile of tilesOf(checkpoint.size)) {
      const path = `/log/${tilePath(tile.level, tile.n, tile.width)}`;
      const bytes = await fetch(path);
      if (!bytes) fail(`${path}: missing`);
      else if (!sameBytes(bytes, tileBytes(tree, tile))) fail(`${path}: does not match the entries and the checkpoint`);
    }
  }
  options.progress?.(`tiles and entry bundles: ${tilesOf(checkpoint.size).length} tiles checked`);

  // Each entry: its body and its agency signature.
  const keys = new Map<string, PublishedKey[] | undefined>();
  for (const [index, bytes] of entries.entries()) {
    let entry: LogEntry;
    try {
      entry = decodeLogEntry(bytes);
    } catch {
      fail(`entry ${index}: not a valid log entry`);
      continue;
    }
    const label = `entry ${index} (${entry.type} ${entry.id} version ${entry.version})`;
    const problem = await checkEntry(entry, fetch, keys);
    if (problem) fail(`${label}: ${problem}`);
  }
  options.progress?.(`entries: ${entries.length} agency signatures and body hashes checked`);

  if (options.since !== undefined) {
    const problem = checkGrowth(options.since, verifier, checkpoint, tree);
    if (problem) fail(`consistency with the saved checkpoint: ${problem}`);
    else options.progress?.('consistency with the saved checkpoint: the log only grew');
  }
  return { checkpoint, checkpointNote: note, entries: entries.length, failures };
}

async function checkEntry(
  entry: LogEntry,
  fetch: SiteFetch,
  keys: Map<string, PublishedKey[] | undefined>,
): Promise<string | undefined> {
  const body = await fetch(entry.body);
  if (!body) return `the signed body ${entry.body} is missing`;
  const sha256 = createHash('sha256').update(body).digest();
  if (sha256.toString('hex') !== entry.bodySha256)
    return `the body at ${entry.body} does not have the SHA-256 the entry names`;
  if (!keys.has(entry.agency)) keys.set(entry.agency, await agencyKeys(fetch, entry.agency));
  const key = keys.get(entry.agency)?.find((candidate) => candidate.thumbprint === entry.keyThumbprint);
  if (!key) return `the agency key ${entry.keyThumbprint} is not listed in /data/agencies/${entry.agency}.json`;
  if ((await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: key.jwk.x }, 'sha256')) !== entry.keyThumbprint) {
    return `the listed key does not have the thumbprint ${entry.keyThumbprint}`;
  }
  let payload: Record<string, unknown>;
  try {
    const verified = await compactVerify(entry.jws, await importJWK({ ...key.jwk }, 'EdDSA'), {
      algorithms: ['EdDSA'],
    });
    payload = JSON.parse(text(verified.payload)) as Record<string, unknown>;
  } catch {
    return `the agency signature (JWS) does not verify with key ${entry.keyThumbprint}`;
  }
  if (payload.iss !== entry.agency) return `the JWS was issued by "${String(payload.iss)}", not by ${entry.agency}`;
  if (payload.jti !== entry.jti) return 'the JWS jti is not the one the entry names';
  if (payload.bh !== sha256.toString('base64url'))
    return "the JWS's body hash (bh) is not the SHA-256 of the published body";
  if (key.addedAt && typeof payload.iat === 'number' && payload.iat * 1000 < Date.parse(key.addedAt) - 60_000) {
    return 'the JWS was made before its key was added';
  }
  if (key.revokedAt && typeof payload.iat === 'number' && payload.iat * 1000 > Date.parse(key.revokedAt)) {
    return 'the JWS was made after its key was revoked';
  }
  return undefined;
}

async function agencyKeys(fetch: SiteFetch, agency: string): Promise<PublishedKey[] | undefined> {
  const bytes = await fetch(`/data/agencies/${agency}.json`);
  if (!bytes) return undefined;
  try {
    const file = JSON.parse(text(bytes)) as { keys?: PublishedKey[] };
    return Array.isArray(file.keys) ? file.keys : undefined;
  } catch {
    return undefined;
  }
}

/** The saved checkpoint must be by the same log, no larger, and a prefix of the current tree. */
function checkGrowth(saved: string, verifier: NoteVerifier, current: Checkpoint, tree: MerkleTree): string | undefined {
  let old: Checkpoint;
  try {
    old = openCheckpoint(saved, verifier);
  } catch (error) {
    return `the saved checkpoint does not open: ${(error as Error).message}`;
  }
  if (old.size > current.size) return `the log shrank from ${old.size} to ${current.size} entries`;
  if (tree.size !== current.size) return 'the current tree could not be read';
  if (old.size === 0) return undefined;
  const proof = tree.consistencyProof(old.size, current.size);
  if (!verifyConsistency(old.size, current.size, proof, old.root, current.root)) {
    return `the first ${old.size} entries are not the ones the saved checkpoint signed: the log was rewritten`;
  }
  return undefined;
}

async function required(fetch: SiteFetch, path: string): Promise<Uint8Array> {
  const bytes = await fetch(path);
  if (!bytes) throw new Error(`${path} is missing`);
  return bytes;
}

function text(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}
