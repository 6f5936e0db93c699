/**
 * `npm run witness -- --site <url> --name <witness name> --key <witness-key.pem> [--log-key <verifier key>]
 * [--state <dir>]`: a witness for the transparency log (c2sp tlog-cosignature), which a newspaper or a civil-society
 * group can run on a schedule. It verifies the site's log in full (shared/log/verify.ts), and that it only grew since
 * the last checkpoint it saw (kept in `<state>/last-checkpoint`); only then it cosigns the new checkpoint and writes
 * the cosigned note to `<state>/cosigned-checkpoint` (publish it, or send it to the log's operator). It never
 * cosigns a log that shrank or was rewritten: it exits 1 saying what failed. The key (Ed25519, PKCS#8 PEM) is made
 * 0600 on first use; its verifier key is printed so others can check the witness.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cosignCheckpoint, cosignerVerifierKey } from '../shared/log/cosignature.js';
import { rawPublicKey } from '../shared/log/note.js';
import { localLogKey } from '../shared/log/signer.js';
import { verifyPublishedLog } from '../shared/log/verify.js';

const USAGE =
  'usage: npm run witness -- --site <url> --name <witness name> --key <witness-key.pem> [--log-key <verifier key>] [--state <dir>]';

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      site: { type: 'string' },
      name: { type: 'string' },
      key: { type: 'string' },
      'log-key': { type: 'string' },
      state: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help || !values.site || !values.name || !values.key) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const state = values.state ?? '.witness';
  mkdirSync(state, { recursive: true, mode: 0o700 });
  const privateKeyPem = localLogKey(values.key);
  const publicKey = rawPublicKey(createPublicKey(createPrivateKey(privateKeyPem)));
  console.log(`witness key: ${cosignerVerifierKey(values.name, publicKey)}`);

  const site = new URL(values.site.endsWith('/') ? values.site : `${values.site}/`);
  const fetchSite = async (path: string): Promise<Uint8Array | undefined> => {
    const response = await fetch(new URL(path.replace(/^\//, ''), site));
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  };
  const lastFile = join(state, 'last-checkpoint');
  const last = existsSync(lastFile) ? readFileSync(lastFile, 'utf8') : undefined;
  const report = await verifyPublishedLog(fetchSite, {
    ...(values['log-key'] ? { verifierKey: values['log-key'] } : {}),
    ...(last !== undefined ? { since: last } : {}),
  });
  if (report.failures.length > 0 || !report.checkpointNote) {
    for (const failure of report.failures) console.error(`FAILED ${failure}`);
    console.error('not cosigned');
    return 1;
  }
  const cosigned = cosignCheckpoint(report.checkpointNote, values.name, privateKeyPem);
  writeFileSync(lastFile, report.checkpointNote);
  writeFileSync(join(state, 'cosigned-checkpoint'), cosigned);
  console.log(`cosigned: ${report.checkpoint?.origin} at ${report.checkpoint?.size} entries`);
  process.stdout.write(cosigned);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`witness: ${(error as Error).message}`);
    process.exitCode = 1;
  },
);
