import type { Hash } from './merkle.js';
import { type NoteSigner, type NoteVerifier, noteSignedBy, parseNote, signNote } from './note.js';

/**
 * C2SP checkpoints (c2sp.org/tlog-checkpoint): the signed note whose text is the origin, the tree size in decimal,
 * the root hash in base64, and optional extension lines. The log signs it with its Ed25519 key; a witness adds its
 * cosignature line to the same note (c2sp.org/tlog-cosignature), which is why signing takes a list of signers.
 */

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Hash;
  readonly extensions: readonly string[];
}

/** The checkpoint's note text. */
export function checkpointText(checkpoint: Checkpoint): string {
  const lines = [
    checkpoint.origin,
    String(checkpoint.size),
    Buffer.from(checkpoint.root).toString('base64'),
    ...checkpoint.extensions,
  ];
  return `${lines.join('\n')}\n`;
}

/** Signs a checkpoint: the log's signature first. */
export function signCheckpoint(checkpoint: Checkpoint, signers: readonly NoteSigner[]): Promise<string> {
  return signNote(checkpointText(checkpoint), signers);
}

/** Reads a checkpoint note's text (signatures unchecked); throws when malformed. */
export function parseCheckpointText(text: string): Checkpoint {
  const lines = text.split('\n');
  if (lines.at(-1) !== '') throw new Error('a checkpoint text ends in a newline');
  const [origin, size, root, ...rest] = lines.slice(0, -1);
  if (!origin) throw new Error('the checkpoint has no origin line');
  if (!size || !/^(0|[1-9][0-9]*)$/.test(size) || !Number.isSafeInteger(Number(size))) {
    throw new Error('the checkpoint tree size is not a decimal number');
  }
  const rootBytes = Buffer.from(root ?? '', 'base64');
  if (rootBytes.length !== 32 || rootBytes.toString('base64') !== root) {
    throw new Error('the checkpoint root hash is not 32 bytes of base64');
  }
  if (rest.some((line) => line === '')) throw new Error('a checkpoint extension line is empty');
  return { origin, size: Number(size), root: new Uint8Array(rootBytes), extensions: rest };
}

/**
 * Opens a signed checkpoint: it must be signed by the log's key, and its origin must be the log's.
 * Throws an Error saying what is wrong.
 */
export function openCheckpoint(note: string, log: NoteVerifier, origin = log.name): Checkpoint {
  const { text } = parseNote(note);
  const checkpoint = parseCheckpointText(text);
  if (checkpoint.origin !== origin) throw new Error(`the checkpoint origin is "${checkpoint.origin}", not "${origin}"`);
  if (!noteSignedBy(note, log)) throw new Error(`the checkpoint has no valid signature by the log key "${log.name}"`);
  return checkpoint;
}
