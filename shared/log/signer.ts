import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ed25519NoteSigner, generateNoteKey, type NoteSigner } from './note.js';

/**
 * The log's identity: its origin (the checkpoint's first line and the key name, c2sp tlog-tiles: the URL prefix
 * of `/log/` without the scheme) and its Ed25519 signing key. Locally the key is a PKCS#8 file kept 0600 in the
 * data folder, made on first use; in AWS it is an SSM SecureString the builder reads (never in the repository).
 */

/** The origin of a local log (a `.localhost` name: it can never be mistaken for a deployed log). */
export const LOCAL_LOG_ORIGIN = 'cong-vu-minh-bach.localhost/log';

export interface LogIdentity {
  readonly origin: string;
  readonly signer: NoteSigner;
  readonly verifierKey: string;
}

/** The log identity from a private key PEM. */
export function logIdentity(origin: string, privateKeyPem: string): LogIdentity {
  const signer = ed25519NoteSigner(origin, privateKeyPem);
  return { origin, signer, verifierKey: signer.verifierKey };
}

/** Reads the local log key file, making it (0600) on first use. */
export function localLogKey(file: string): string {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // `wx`: two processes starting at once never overwrite each other's key.
    try {
      writeFileSync(file, generateNoteKey(), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return readFileSync(file, 'utf8');
}
