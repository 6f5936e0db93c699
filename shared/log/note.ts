import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import { sha256 } from './merkle.js';

/**
 * C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys: a text ending in a newline, a blank line, then
 * signature lines `— <key name> <base64(key id || signature)>`. The key id is the first 4 bytes of
 * SHA-256(<key name> || 0x0A || 0x01 || <32-byte public key>); the verifier key is written
 * `<key name>+<hex key id>+<base64(0x01 || public key)>`. The signer is a port (async), so the private key can live
 * in a file (local), in SSM (AWS) or behind a signing service, and a witness cosignature is one more line.
 */

/** The signature type byte of Ed25519 in signed notes. */
const ED25519_TYPE = 0x01;
const SIGNATURE_PREFIX = '\u2014 ';
/** SPKI DER header of an Ed25519 public key (RFC 8410); the 32 key bytes follow. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Something that signs a note's text under a key name. */
export interface NoteSigner {
  readonly name: string;
  /** The 4-byte key id. */
  readonly keyId: Uint8Array;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/** A public key to check signatures with. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** A key name is non-empty and has no whitespace or '+' (signed-note). */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name);
}

/** The key id of an Ed25519 key under a name. */
export function ed25519KeyId(name: string, publicKey: Uint8Array): Uint8Array {
  const encoder = new TextEncoder();
  return sha256(encoder.encode(name), Uint8Array.of(0x0a, ED25519_TYPE), publicKey).slice(0, 4);
}

/** The raw 32 bytes of an Ed25519 public key. */
export function rawPublicKey(key: KeyObject): Uint8Array {
  const der = key.export({ type: 'spki', format: 'der' });
  return new Uint8Array(der.subarray(der.length - 32));
}

/** The verifier key text `<name>+<hex id>+<base64(0x01 || key)>`. */
export function verifierKeyText(name: string, publicKey: Uint8Array): string {
  const id = Buffer.from(ed25519KeyId(name, publicKey)).toString('hex');
  return `${name}+${id}+${Buffer.from(Uint8Array.of(ED25519_TYPE, ...publicKey)).toString('base64')}`;
}

/** Reads a verifier key text; throws when it is not a well-formed Ed25519 verifier key. */
export function parseVerifierKey(text: string): NoteVerifier {
  // The name has no '+', the id is hex; the base64 key may contain '+': split at the first two only.
  const match = /^([^+]+)\+([^+]*)\+(.*)$/s.exec(text.trim());
  if (!match) throw new Error('a verifier key is <name>+<hex key id>+<base64 key>');
  const [, name, hexId, encoded] = match as unknown as [string, string, string, string];
  if (!isValidKeyName(name)) throw new Error('the verifier key name is empty or has spaces or "+"');
  if (!/^[0-9a-f]{8}$/.test(hexId)) throw new Error('the verifier key id is not 8 hex digits');
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length !== 33 || bytes[0] !== ED25519_TYPE) throw new Error('the verifier key is not an Ed25519 key');
  const publicKey = new Uint8Array(bytes.subarray(1));
  const keyId = ed25519KeyId(name, publicKey);
  if (Buffer.from(keyId).toString('hex') !== hexId) throw new Error('the verifier key id does not match its key');
  return { name, keyId, publicKey };
}

/** A signer over an Ed25519 private key (PKCS#8 PEM). */
export function ed25519NoteSigner(name: string, privateKeyPem: string): NoteSigner & { readonly verifierKey: string } {
  if (!isValidKeyName(name)) throw new Error(`"${name}" is not a valid key name`);
  const privateKey = createPrivateKey(privateKeyPem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('the log key must be an Ed25519 key');
  const publicKey = rawPublicKey(createPublicKey(privateKey));
  return {
    name,
    keyId: ed25519KeyId(name, publicKey),
    verifierKey: verifierKeyText(name, publicKey),
    async sign(message) {
      return new Uint8Array(sign(null, message, privateKey));
    },
  };
}

/** A new Ed25519 key pair, the private key as PKCS#8 PEM. */
export function generateNoteKey(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** Signs a note text (which must end in a newline) and returns the signed note. */
export async function signNote(text: string, signers: readonly NoteSigner[]): Promise<string> {
  if (!text.endsWith('\n')) throw new Error('a note text ends in a newline');
  const message = new TextEncoder().encode(text);
  const lines: string[] = [];
  for (const signer of signers) {
    const signature = await signer.sign(message);
    lines.push(
      `${SIGNATURE_PREFIX}${signer.name} ${Buffer.from([...signer.keyId, ...signature]).toString('base64')}\n`,
    );
  }
  return `${text}\n${lines.join('')}`;
}

/** One signature line of a note. */
export interface NoteSignature {
  readonly name: string;
  readonly keyId: Uint8Array;
  readonly signature: Uint8Array;
}

/** Splits a signed note into its text and signatures; throws when it is malformed. */
export function parseNote(note: string): { text: string; signatures: NoteSignature[] } {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new Error('a signed note is a text, a blank line and signature lines');
  const text = note.slice(0, split + 1);
  const signatures: NoteSignature[] = [];
  for (const line of note.slice(split + 2, -1).split('\n')) {
    if (!line.startsWith(SIGNATURE_PREFIX)) throw new Error('a signature line starts with "— "');
    const [name, encoded, ...rest] = line.slice(SIGNATURE_PREFIX.length).split(' ');
    if (!name || !encoded || rest.length > 0) throw new Error('a signature line is "— <name> <base64>"');
    const bytes = Buffer.from(encoded, 'base64');
    if (bytes.length < 5 || bytes.toString('base64') !== encoded) throw new Error('a signature is not valid base64');
    signatures.push({
      name,
      keyId: new Uint8Array(bytes.subarray(0, 4)),
      signature: new Uint8Array(bytes.subarray(4)),
    });
  }
  return { text, signatures };
}

/** True when the note carries a valid signature by this verifier key (name and id must match). */
export function noteSignedBy(note: string, verifier: NoteVerifier): boolean {
  const { text, signatures } = parseNote(note);
  const key = createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, verifier.publicKey]),
    format: 'der',
    type: 'spki',
  });
  return signatures.some(
    (signature) =>
      signature.name === verifier.name &&
      Buffer.from(signature.keyId).equals(Buffer.from(verifier.keyId)) &&
      signature.signature.length === 64 &&
      verify(null, new TextEncoder().encode(text), key, signature.signature),
  );
}
