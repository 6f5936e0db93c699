/**
 * `npm run log -- export [--out DIR]`: writes the transparency log of the store (`DIR/log/…`: checkpoint, tiles,
 * entry bundles, verifier key; `DIR/data/…`: the signed bodies, one tlog-proof per version, log-index.json),
 * signing a new checkpoint with the log's key. The store is the running `npm start` (same DATA_DIR; the key is
 * `<DATA_DIR>/log-key.pem`), or AWS when RECORDS_TABLE is set without DYNAMODB_ENDPOINT: then the key is the SSM
 * SecureString named by LOG_KEY_PARAMETER and the origin is LOG_ORIGIN (both set on the site build by CDK).
 * The AWS build runs it after the site build, into the built site (infra/stacks/publishing-stack.ts).
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { awsLogIdentity } from '../publisher/aws-publishing.js';
import { localLogIdentity, writeLocalLog } from '../publisher/log-files.js';
import type { LogIdentity } from '../shared/log/signer.js';
import { createDocumentClient, createDynamoClient } from '../shared/storage/client.js';
import { tableNamesFromEnv } from '../shared/storage/tables.js';
import { applyStoreEnvironment, REPO_ROOT } from './lib/local-store.js';

const USAGE = 'usage: npm run log -- export [--out DIR]';

async function identityFor(mode: string, dataDir: string): Promise<LogIdentity> {
  return mode === 'aws' ? awsLogIdentity() : localLogIdentity(dataDir);
}

async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: true,
  });
  if (values.help || positionals[0] === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (positionals[0] !== 'export' || positionals.length > 1) {
    console.error(USAGE);
    return 2;
  }
  const mode = applyStoreEnvironment();
  const dataDir = resolve(REPO_ROOT, process.env.DATA_DIR ?? '.data');
  const out = resolve(values.out ?? join(dataDir, 'export'));
  const identity = await identityFor(mode, dataDir);
  const client = createDynamoClient();
  try {
    const summary = await writeLocalLog(
      { doc: createDocumentClient(client), tables: tableNamesFromEnv() },
      identity,
      out,
    );
    if (summary.missingBodies.length > 0) {
      console.error(`log: ${summary.missingBodies.length} signed bodies are missing from the store`);
      return 1;
    }
    console.log(
      `log: ${summary.size} entries, ${summary.files} files in ${out} (checkpoint signed by ${identity.origin})`,
    );
    return 0;
  } finally {
    client.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`log: ${(error as Error).message}`);
    process.exitCode = 1;
  },
);
