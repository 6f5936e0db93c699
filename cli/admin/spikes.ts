/**
 * `npm run admin -- spike list [--json]` and `npm run admin -- spike review <unit> <hour> [--by <name>] [--note …]`
 *
 * Survey spikes (shared/stats/spikes.ts): a unit whose responses in one hour far exceeded its usual level is marked
 * "under review" on its page and in /data/integrity.json until someone reviews it here. The review records who
 * (`--by`, else the operating-system user) and when; the public sees that and when it was reviewed, never who.
 * Reviewing marks the site dirty, so the mark leaves the unit's page with the next build.
 */
import { parseArgs } from 'node:util';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Spike } from '../../shared/stats/spikes.js';
import { createDocumentClient, createDynamoClient } from '../../shared/storage/client.js';
import { DynamoSpikeStore } from '../../shared/storage/spikes-repository.js';
import { markDirty } from '../../shared/storage/stats-repository.js';
import { tableNamesFromEnv } from '../../shared/storage/tables.js';
import { UsageError } from '../lib/usage.js';
import { osUser, terminalSafe } from './comments.js';

export const SPIKES_USAGE = [
  'usage: npm run admin -- spike list [--json]',
  '       npm run admin -- spike review <unit id> <hour YYYY-MM-DDTHH> [--by <reviewer>] [--note <text>]',
].join('\n');

/** Wrong arguments: the dispatcher prints the message and the usage, and exits with 2. */
export class SpikesUsageError extends UsageError {
  constructor(message: string) {
    super(message, SPIKES_USAGE);
  }
}

export interface SpikesCliContext {
  readonly doc: DynamoDBDocumentClient;
  readonly statsTable: string;
  readonly out: (line: string) => void;
  readonly now: () => Date;
  /** Who is reviewing, when `--by` is not given. */
  readonly actor: () => string;
}

/** The context from the environment, as the handlers read it. */
export function spikesContextFromEnv(env: NodeJS.ProcessEnv = process.env): SpikesCliContext {
  return {
    doc: createDocumentClient(createDynamoClient(env)),
    statsTable: tableNamesFromEnv(env).stats,
    out: (line) => console.log(line),
    now: () => new Date(),
    actor: osUser,
  };
}

const HOUR = /^\d{4}-\d{2}-\d{2}T\d{2}$/;

/**
 * Runs one `spike` sub-command; throws SpikesUsageError on wrong arguments, NotFoundError for a spike not flagged.
 * @example await runSpikes(['review', '00301', '2026-11-29T14', '--by', 'Nguyễn Văn An'])
 */
export async function runSpikes(args: readonly string[], context?: SpikesCliContext): Promise<void> {
  const rest = args[0] === 'spike' || args[0] === 'spikes' ? args.slice(1) : [...args];
  const [command, ...options] = rest;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    (context?.out ?? console.log)(SPIKES_USAGE);
    return;
  }
  if (command !== 'list' && command !== 'review') throw new SpikesUsageError(`unknown spike command "${command}"`);
  let values: { json?: boolean; by?: string; note?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...options],
      options: { json: { type: 'boolean' }, by: { type: 'string' }, note: { type: 'string' } },
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    throw new SpikesUsageError((error as Error).message);
  }
  const ctx = context ?? spikesContextFromEnv();
  const store = new DynamoSpikeStore(ctx.doc, ctx.statsTable);

  if (command === 'list') {
    if (positionals.length > 0 || values.by !== undefined || values.note !== undefined) {
      throw new SpikesUsageError('list takes only --json');
    }
    const spikes = await store.list();
    if (values.json) {
      ctx.out(JSON.stringify(spikes, null, 2));
      return;
    }
    if (spikes.length === 0) ctx.out('no spikes');
    for (const spike of spikes) ctx.out(formatSpike(spike));
    return;
  }

  const [unitId, hour, extra] = positionals;
  if (unitId === undefined || hour === undefined || extra !== undefined || !HOUR.test(hour)) {
    throw new SpikesUsageError('review takes a unit id and an hour YYYY-MM-DDTHH');
  }
  const by = (values.by ?? ctx.actor()).normalize('NFC').trim();
  if (by === '' || by.length > 100) throw new SpikesUsageError('--by is 1-100 characters');
  const note = values.note?.normalize('NFC').trim();
  if (note !== undefined && note.length > 500) throw new SpikesUsageError('--note is at most 500 characters');
  const reviewed = await store.review(unitId, hour, { at: ctx.now().toISOString(), by, ...(note ? { note } : {}) });
  await markDirty(ctx.doc, ctx.statsTable);
  ctx.out(
    `reviewed ${reviewed.unitId} ${reviewed.hour} by ${by} (${reviewed.responses} responses, usual ${reviewed.usual})`,
  );
}

/** One spike per line: unit, hour, responses against the threshold, and its review. */
export function formatSpike(spike: Spike): string {
  const review = spike.reviewedAt
    ? `reviewed ${spike.reviewedAt} by ${terminalSafe(spike.reviewedBy ?? '?')}`
    : 'under review';
  return `${spike.unitId}  ${spike.hour}  ${spike.responses} responses (threshold ${spike.threshold}, usual ${spike.usual})  ${review}`;
}
