import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readLocalStoreCredentials } from '../../local/credentials.js';
import { localCredentialsEnv } from '../../shared/storage/client.js';

/**
 * How the CLI finds the store it acts on. With RECORDS_TABLE in the environment it uses that (DynamoDB Local
 * when DYNAMODB_ENDPOINT is set too, AWS otherwise). Without it, it reads `<DATA_DIR>/local.json`, which a
 * running `npm start` writes (DynamoDB endpoint, table names, API origin) and deletes when it stops; DATA_DIR
 * defaults to `.data` in the repository, as for `npm start`.
 */

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** What a running local stack publishes about itself. */
export interface LocalStackInfo {
  readonly endpoint: string;
  readonly tables: { readonly records: string; readonly stats: string };
  readonly origin: string;
  readonly pid?: number;
}

/** A problem the user fixes by starting the stack or setting the environment: printed as one line. */
export class StoreConfigError extends Error {
  override readonly name = 'StoreConfigError';
}

/** The local.json of the data directory, or undefined when no stack wrote one. */
/** The data directory of the local stack the CLI acts on (DATA_DIR, as for `npm start`). */
function localDataDir(env: NodeJS.ProcessEnv): string {
  return resolve(REPO_ROOT, env.DATA_DIR ?? '.data');
}

export function readLocalStackInfo(env: NodeJS.ProcessEnv = process.env): LocalStackInfo | undefined {
  const file = join(localDataDir(env), 'local.json');
  if (!existsSync(file)) return undefined;
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalStackInfo>;
    if (
      typeof info.endpoint !== 'string' ||
      typeof info.tables?.records !== 'string' ||
      typeof info.origin !== 'string'
    ) {
      throw new StoreConfigError(`${file} is not what npm start writes; restart npm start`);
    }
    return info as LocalStackInfo;
  } catch (error) {
    if (error instanceof StoreConfigError) throw error;
    throw new StoreConfigError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/**
 * Puts DYNAMODB_ENDPOINT, RECORDS_TABLE and STATS_TABLE into the environment (from local.json when unset),
 * so the admin commands read their configuration as the handlers do. Returns where they point.
 */
export function applyStoreEnvironment(env: NodeJS.ProcessEnv = process.env): 'environment' | 'local' | 'aws' {
  if (env.RECORDS_TABLE) {
    env.STATS_TABLE ??= env.RECORDS_TABLE.replace(/records$/, 'stats');
    return env.DYNAMODB_ENDPOINT ? 'environment' : 'aws';
  }
  const info = readLocalStackInfo(env);
  if (!info) {
    const dataDir = env.DATA_DIR ?? '.data';
    throw new StoreConfigError(
      `no running local store (${dataDir}/local.json not found): start it with npm start (same DATA_DIR), or set RECORDS_TABLE and AWS credentials to act on AWS`,
    );
  }
  // The store answers only its own private key, kept 0600 beside local.json (local/credentials.ts).
  const credentials = readLocalStoreCredentials(localDataDir(env));
  if (!credentials) {
    throw new StoreConfigError(
      `the local store's key is missing from ${localDataDir(env)}/secrets.json: restart npm start (same DATA_DIR)`,
    );
  }
  env.DYNAMODB_ENDPOINT = info.endpoint;
  Object.assign(env, localCredentialsEnv(credentials));
  env.RECORDS_TABLE = info.tables.records;
  env.STATS_TABLE = info.tables.stats;
  env.AWS_REGION ??= 'ap-southeast-1';
  return 'local';
}

/** The API origin: --api, API_URL, the running local stack, or http://127.0.0.1:$PORT (8080). */
export function apiOrigin(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const origin =
    option ??
    env.API_URL ??
    (env.PORT ? undefined : readLocalStackInfo(env)?.origin) ??
    `http://127.0.0.1:${env.PORT ?? 8080}`;
  return origin.replace(/\/+$/, '');
}
