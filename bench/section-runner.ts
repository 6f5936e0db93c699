import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Section } from './rows.js';

/**
 * Runs one bench section in a process of its own (started by `run.ts`): each is measured from a cold start (no
 * JIT warmth, heap or SDK connection pool left by the one before), and one that crashes cannot take the others
 * down. Configuration is no reason any more: handlers are built from their stack's own object (functions/lib/config.ts).
 * Usage: section-runner.ts <module> <export> <out.json> [--quick]. Rows go to the file; logs to stderr.
 */
async function main(): Promise<void> {
  const [modulePath, exportName, outFile] = process.argv.slice(2);
  if (!modulePath || !exportName || !outFile)
    throw new Error('usage: section-runner.ts <module> <export> <out.json> [--quick]');
  const quick = process.argv.includes('--quick');
  const mod = (await import(pathToFileURL(resolve(modulePath)).href)) as Record<string, unknown>;
  const section = mod[exportName];
  if (typeof section !== 'function') throw new Error(`${modulePath} does not export ${exportName}`);
  const rows = await (section as Section)({ quick, log: (line) => process.stderr.write(`  ${line}\n`) });
  writeFileSync(outFile, JSON.stringify(rows));
}

main().then(
  // Handlers keep SDK sockets and timers alive; the section is done, so leave at once.
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
