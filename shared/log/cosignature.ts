import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { sha256 } from './merkle.js';
import { isValidKeyName, parseNote, rawPublicKey } from './note.js';

/**
 * C2SP tlog-cosignature v1 with Ed25519 (c2sp.org/tlog-cosignature): a witness's statement that, as of a time, the
 * largest consistent tree it has seen for the log has this root. It is one more signature line on the checkpoint:
 * `— <witness name> base64(key id || u64 timestamp || signature)`, the key id SHA-256(name || "\n" || 0x04 ||
 * public key)[:4], the signed message `cosignature/v1\ntime <timestamp>\n` followed by the checkpoint's note text.
 */

const COSIGNATURE_TYPE = 0x04;
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The key id of a witness's Ed25519 cosigning key. */
export function cosignatureKeyId(name: string, publicKey: Uint8Array): Uint8Array {
  return sha256(new TextEncoder().encode(name), Uint8Array.of(0x0a, COSIGNATURE_TYPE), publicKey).slice(0, 4);
}

/** The witness's verifier key text `<name>+<hex id>+<base64(0x04 || key)>`. */
export function cosignerVerifierKey(name: string, publicKey: Uint8Array): string {
  const id = Buffer.from(cosignatureKeyId(name, publicKey)).toString('hex');
  return `${name}+${id}+${Buffer.from([COSIGNATURE_TYPE, ...publicKey]).toString('base64')}`;
}

function message(text: string, timestamp: number): Uint8Array {
  return new TextEncoder().encode(`cosignature/v1\ntime ${timestamp}\n${text}`);
}

/** Adds a witness's cosignature line to a signed checkpoint; returns the note with it. */
export function cosignCheckpoint(note: string, name: string, privateKeyPem: string, now: Date = new Date()): string {
  if (!isValidKeyName(name)) throw new Error(`"${name}" is not a valid witness name`);
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('a witness key is an Ed25519 key');
  const { text } = parseNote(note);
  const timestamp = Math.floor(now.getTime() / 1000);
  const signature = sign(null, message(text, timestamp), key);
  const stamp = Buffer.alloc(8);
  stamp.writeBigUInt64BE(BigInt(timestamp));
  const id = cosignatureKeyId(name, rawPublicKey(createPublicKey(key)));
  return `${note}\u2014 ${name} ${Buffer.concat([id, stamp, signature]).toString('base64')}\n`;
}

/** The time of a valid cosignature by this witness on the note, or undefined when there is none. */
export function cosignedAt(note: string, name: string, publicKey: Uint8Array): Date | undefined {
  const { text, signatures } = parseNote(note);
  const id = Buffer.from(cosignatureKeyId(name, publicKey));
  const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
  for (const line of signatures) {
    if (line.name !== name || !id.equals(Buffer.from(line.keyId)) || line.signature.length !== 72) continue;
    const timestamp = Buffer.from(line.signature.subarray(0, 8)).readBigUInt64BE();
    if (timestamp > BigInt(Number.MAX_SAFE_INTEGER)) continue;
    if (verify(null, message(text, Number(timestamp)), key, line.signature.subarray(8)))
      return new Date(Number(timestamp) * 1000);
  }
  return undefined;
}
