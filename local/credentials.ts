import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_REGION, type LocalCredentials } from '../shared/storage/client.js';

/**
 * The local store's own credentials and secrets, made on first start and kept in `<data dir>/secrets.json`
 * (mode 0600, never in the repository). DynamoDB Local listens on every interface and has no option to bind to
 * loopback, so it runs without `-sharedDb`: its database is then private to this random access key (and the
 * region), and anyone else who reaches the port sees an empty database, whatever key they try.
 */

const SECRETS_FILE = 'secrets.json';

/** A secret of the data directory, made on first use (32 random bytes, base64url unless `hex`). */
export function localSecret(dataDir: string, name: string, encoding: 'base64url' | 'hex' = 'base64url'): string {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, SECRETS_FILE);
  const secrets: Record<string, string> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  let value = secrets[name];
  if (!value) {
    value = randomBytes(32).toString(encoding);
    secrets[name] = value;
    writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  }
  // `mode` applies only when the file is created: an older file keeps its mode unless it is set again.
  chmodSync(file, 0o600);
  return value;
}

/** Reads a secret the stack made, without making one (the CLI's view); undefined when absent. */
export function readLocalSecret(dataDir: string, name: string): string | undefined {
  const file = join(dataDir, SECRETS_FILE);
  if (!existsSync(file)) return undefined;
  const secrets = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const value = secrets[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The access key of the local store (letters and digits only: DynamoDB Local refuses anything else). */
export function localStoreCredentials(dataDir: string): LocalCredentials {
  return {
    accessKeyId: `L${localSecret(dataDir, 'dynamodbAccessKeyId', 'hex').slice(0, 39)}`,
    secretAccessKey: localSecret(dataDir, 'dynamodbSecretAccessKey'),
  };
}

/** The same credentials, read only (the CLI acting on a running stack); undefined before the first start. */
export function readLocalStoreCredentials(dataDir: string): LocalCredentials | undefined {
  const id = readLocalSecret(dataDir, 'dynamodbAccessKeyId');
  const secretAccessKey = readLocalSecret(dataDir, 'dynamodbSecretAccessKey');
  return id && secretAccessKey ? { accessKeyId: `L${id.slice(0, 39)}`, secretAccessKey } : undefined;
}

/** Fresh random credentials for a throw-away in-memory store (tests, benchmarks). */
export function randomLocalCredentials(): LocalCredentials {
  return {
    accessKeyId: `L${randomBytes(16).toString('hex')}`,
    secretAccessKey: randomBytes(32).toString('base64url'),
  };
}

/**
 * Before this change the store ran with `-sharedDb` (one file, `shared-local-instance.db`, open to any key).
 * The first start with a private key takes that file over, so existing local data is kept.
 */
export function adoptSharedDatabase(dbDir: string, credentials: LocalCredentials): boolean {
  const shared = join(dbDir, 'shared-local-instance.db');
  const own = join(dbDir, `${credentials.accessKeyId}_${LOCAL_REGION}.db`);
  if (!existsSync(shared) || existsSync(own)) return false;
  renameSync(shared, own);
  return true;
}
