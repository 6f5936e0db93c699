/**
 * `npm run admin -- units load`: loads the committed unit registry (`loadConfiguredRegistry`: the whole country
 * unless UNITS_FILE or UNITS_PROVINCES is set) into the store's records table, when the store does not already hold
 * exactly those units (compared by the manifest's digest, so running it again costs one read). A deployed store
 * needs it once after the first deploy and after every change of the committed registry: every write resolves its
 * units there, and the functions trust the registry shipped with their code only while the store's manifest has
 * its digest (shared/storage/units-repository.ts). The same step `npm start` runs on an empty store.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureRegistry } from '../../local/registry.js';
import { createDocumentClient, createDynamoClient } from '../../shared/storage/client.js';
import { tableNamesFromEnv } from '../../shared/storage/tables.js';
import { UsageError } from '../lib/usage.js';

export const UNITS_USAGE = 'usage: npm run admin -- units load';

/** Wrong arguments: the dispatcher prints the message and the usage, and exits with 2. */
export class UnitsUsageError extends UsageError {
  constructor(message: string) {
    super(message, UNITS_USAGE);
  }
}

export interface UnitsCliContext {
  readonly doc: DynamoDBDocumentClient;
  readonly recordsTable: string;
  /** Which registry (UNITS_FILE, UNITS_PROVINCES) and nothing else. */
  readonly config: NodeJS.ProcessEnv;
  readonly out: (line: string) => void;
}

/** The context from the environment, as the handlers read it. */
export function unitsContextFromEnv(env: NodeJS.ProcessEnv = process.env): UnitsCliContext {
  return {
    doc: createDocumentClient(createDynamoClient(env)),
    recordsTable: tableNamesFromEnv(env).records,
    config: env,
    out: (line) => console.log(line),
  };
}

/** Runs one `units` sub-command; throws UnitsUsageError on wrong arguments. */
export async function runUnits(args: readonly string[], context?: UnitsCliContext): Promise<void> {
  const [command, ...rest] = args[0] === 'units' ? args.slice(1) : args;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    (context?.out ?? console.log)(UNITS_USAGE);
    return;
  }
  if (command !== 'load') throw new UnitsUsageError(`unknown units command "${command}"`);
  if (rest.length > 0) throw new UnitsUsageError(`unexpected arguments: ${rest.join(' ')}`);
  const ctx = context ?? unitsContextFromEnv();
  const loaded = await ensureRegistry(ctx.doc, ctx.recordsTable, ctx.out, ctx.config);
  ctx.out(loaded ? 'units loaded' : 'the store already holds these units: nothing to do');
}
