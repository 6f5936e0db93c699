/**
 * `npm run verify -- [--site <url>] [--since <saved checkpoint file>] [--key <verifier key>] [--save <file>]`:
 * checks the transparency log a site publishes (shared/log/verify.ts): the checkpoint's signature, every tile and
 * entry bundle against it, every entry's agency signature and body hash, and, with `--since`, that the log only
 * grew since a checkpoint saved earlier (`--save` writes the current one for next time). Without `--site` it checks
 * the local `npm start` (http://127.0.0.1:$PORT). Without `--key` the site's own `/log/key` is used, and the output
 * says so: pin the key to be sure it is the log you meant. Exit 0 when everything holds; 1 with one line per failure.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { verifyPublishedLog } from '../shared/log/verify.js';

const USAGE =
  'usage: npm run verify -- [--site <url>] [--since <checkpoint file>] [--key <verifier key>] [--save <file>]';

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      site: { type: 'string' },
      since: { type: 'string' },
      key: { type: 'string' },
      save: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const site = new URL(values.site ?? `http://127.0.0.1:${process.env.PORT || 8080}/`);
  const fetchSite = async (path: string): Promise<Uint8Array | undefined> => {
    const response = await fetch(new URL(path.replace(/^\//, ''), site.href.endsWith('/') ? site : `${site.href}/`));
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  };
  const since = values.since === undefined ? undefined : readFileSync(values.since, 'utf8');
  if (!values.key) console.log(`log key: taken from ${site.origin}/log/key (pin it with --key to be sure)`);
  const report = await verifyPublishedLog(fetchSite, {
    ...(values.key ? { verifierKey: values.key } : {}),
    ...(since !== undefined ? { since } : {}),
    progress: (line) => console.log(line),
  });
  if (report.failures.length > 0) {
    for (const failure of report.failures) console.error(`FAILED ${failure}`);
    console.error(`${report.failures.length} check(s) failed`);
    return 1;
  }
  if (values.save && report.checkpointNote) {
    writeFileSync(values.save, report.checkpointNote);
    console.log(`checkpoint saved to ${values.save} (pass it with --since next time)`);
  }
  console.log(`OK: ${report.entries} entries, signed by their agencies, in a log that only grew`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(
      error instanceof TypeError && /parseArgs|option/i.test(String(error))
        ? USAGE
        : `verify: ${(error as Error).message}`,
    );
    process.exitCode = error instanceof TypeError ? 2 : 1;
  },
);
