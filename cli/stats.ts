/**
 * `npm run stats -- verify | rebuild | export [--out DIR]`: the statistics' reconciliation and export, against the
 * store of a running `npm start` (same DATA_DIR), or AWS when RECORDS_TABLE is set without DYNAMODB_ENDPOINT.
 *   verify   recomputes every figure from the records and compares with the counters: exit 1 and a diff on mismatch
 *   rebuild  recomputes and corrects the counters (run it when the store is quiet; verify afterwards)
 *   export   writes the open-data files to DIR/data/ (default: <DATA_DIR>/export, what the local site serves)
 * Errors end with one line on stderr (exit 1); wrong arguments print the usage (exit 2).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatMismatches } from '../shared/stats/recompute.js';
import { createDocumentClient, createDynamoClient } from '../shared/storage/client.js';
import { tableNamesFromEnv } from '../shared/storage/tables.js';
import { DynamoUnitLookup } from '../shared/storage/units-repository.js';
import { loadConfiguredRegistry } from '../shared/units/load.js';
import { applyStoreEnvironment, REPO_ROOT, StoreConfigError } from './lib/local-store.js';
import { exportToDirectory, rebuildFigures, type StatsTaskContext, verifyFigures } from './lib/stats-tasks.js';
import { UsageError } from './lib/usage.js';

const USAGE = 'usage: npm run stats -- verify | rebuild | export [--out DIR]';

async function main(argv: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message, USAGE);
  }
  const { command, out, settle } = parsed;
  if (command === 'help') {
    console.log(USAGE);
    return 0;
  }
  applyStoreEnvironment();
  const tables = tableNamesFromEnv();
  const client = createDynamoClient();
  const doc = createDocumentClient(client);
  const context: StatsTaskContext = {
    doc,
    tables,
    lookup: new DynamoUnitLookup(doc, tables.records),
    log: (line) => console.error(line),
    progress: process.stdout.isTTY === true,
  };
  try {
    if (command === 'verify') {
      const { mismatches, recomputation } = await verifyFigures(context, settle);
      reportInvalid(recomputation.invalid);
      const { conclusions, surveys, reports } = recomputation.items;
      if (mismatches.length > 0) {
        console.log(formatMismatches(mismatches));
        console.log(`verify: ${mismatches.length} counter(s) differ from the recomputation (npm run stats -- rebuild)`);
        return 1;
      }
      console.log(
        `verify: ok: ${recomputation.counters.size} buckets match the recomputation from ${conclusions} conclusions, ${surveys} responses, ${reports} reports`,
      );
      return 0;
    }
    if (command === 'rebuild') {
      const { corrected, removed } = await rebuildFigures(context);
      console.log(`rebuild: ${corrected} bucket(s) corrected`);
      if (removed > 0) console.log(`rebuild: ${removed} counter item(s) of the earlier layout removed`);
      const { mismatches } = await verifyFigures(context, settle);
      if (mismatches.length > 0) {
        console.log(formatMismatches(mismatches));
        console.log(
          `rebuild: still ${mismatches.length} difference(s): records changed meanwhile; run it again when quiet`,
        );
        return 1;
      }
      console.log('rebuild: verify ok');
      return 0;
    }
    const dir = resolve(out ?? resolve(REPO_ROOT, process.env.DATA_DIR ?? '.data', 'export'));
    const registry = loadConfiguredRegistry();
    const summary = await exportToDirectory(context, registry, dir);
    console.log(
      `export: ${summary.files} files (${summary.units} units, ${summary.agencies} agencies, ${summary.conclusions} conclusions) in ${dir}/data`,
    );
    return 0;
  } finally {
    client.destroy();
  }
}

function parse(argv: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      out: { type: 'string' },
      settle: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: true,
  });
  const [command, ...extra] = positionals;
  if (values.help || command === 'help') return { command: 'help' as const };
  if (command !== 'verify' && command !== 'rebuild' && command !== 'export') {
    throw new Error(command ? `unknown command "${command}"` : 'a command is needed');
  }
  if (extra.length > 0) throw new Error(`unexpected argument "${extra[0]}"`);
  if (values.out !== undefined && command !== 'export') throw new Error('--out is for export');
  const settle = values.settle === undefined ? 5_000 : Number(values.settle) * 1000;
  if (!Number.isFinite(settle) || settle < 0) throw new Error('--settle takes seconds');
  return { command, out: values.out, settle };
}

function reportInvalid(invalid: readonly { pk: string; sk: string; message: string }[]): void {
  for (const item of invalid.slice(0, 20))
    console.error(`not counted (parked by the stream too): ${item.pk}: ${item.message}`);
  if (invalid.length > 20) console.error(`… and ${invalid.length - 20} more records not counted`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`stats: ${error.message}\n${error.usage}`);
      process.exit(2);
    }
    const message = error instanceof StoreConfigError || error instanceof Error ? error.message : String(error);
    console.error(`stats: ${message}`);
    if (process.env.DEBUG) console.error(error);
    process.exit(1);
  },
);
