import { setTimeout as sleep } from 'node:timers/promises';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SingleBar } from 'cli-progress';
import { rollupNeeds } from '../../shared/stats/contributions.js';
import type { ExportRegistry, ExportSummary } from '../../shared/stats/export.js';
import {
  compareCounters,
  correctionsFor,
  type Mismatch,
  type Recomputation,
  recompute,
} from '../../shared/stats/recompute.js';
import { prefetchRollups } from '../../shared/stats/rollups.js';
import { scanCountedRecords, scanCounters, scanStoredCounters } from '../../shared/storage/export-reader.js';
import { directoryWriter, exportStore } from '../../shared/storage/open-data-export.js';
import { addCorrections, deleteLegacyCounters, markDirty } from '../../shared/storage/stats-repository.js';
import type { TableNames } from '../../shared/storage/tables.js';
import type { UnitLookup } from '../../shared/units/ports.js';

/**
 * The three jobs of `npm run stats` (verify, rebuild, export), as functions: the CLI runs them, the local site
 * rebuilder runs the export, the AWS build job runs the CLI. Progress goes to a bar only on a terminal.
 */

export interface StatsTaskContext {
  readonly doc: DynamoDBDocumentClient;
  readonly tables: TableNames;
  /** The same lookup as the aggregation's (the units stored in the records table). */
  readonly lookup: UnitLookup;
  readonly log?: (line: string) => void;
  /** Show progress bars (on a terminal). */
  readonly progress?: boolean;
}

/** A progress bar on a terminal, nothing elsewhere (logs and CI stay clean). */
function bar(show: boolean | undefined, label: string) {
  if (!show) return { start: () => undefined, update: () => undefined, stop: () => undefined };
  const progress = new SingleBar({
    format: `${label} [{bar}] {value}/{total}`,
    hideCursor: true,
    clearOnComplete: false,
  });
  return {
    start: (total: number) => progress.start(total, 0),
    update: (value: number, total?: number) => {
      if (total !== undefined) progress.setTotal(total);
      progress.update(value);
    },
    stop: () => progress.stop(),
  };
}

/** Reads every counted record and recomputes the counters from them. */
export async function recomputeFromRecords(context: StatsTaskContext): Promise<Recomputation> {
  const reading = bar(context.progress, 'records ');
  let read = 0;
  reading.start(0);
  const items = await scanCountedRecords(context.doc, context.tables.records, (count) => {
    read += count;
    reading.update(read, read);
  });
  reading.stop();
  const rollups = await prefetchRollups(
    context.lookup,
    items.flatMap((item) => rollupNeeds(item)),
  );
  return recompute(items, rollups);
}

export interface VerifyResult {
  readonly mismatches: readonly Mismatch[];
  readonly recomputation: Recomputation;
}

/**
 * Compares the counters with a recomputation. Changes in flight (written but not yet aggregated) show as
 * differences, so mismatching buckets are read again after `settleMs` and only lasting ones are reported.
 */
export async function verifyFigures(context: StatsTaskContext, settleMs = 5_000): Promise<VerifyResult> {
  let recomputation = await recomputeFromRecords(context);
  let mismatches = compareCounters(recomputation.counters, await scanCounters(context.doc, context.tables.stats));
  if (mismatches.length > 0 && settleMs > 0) {
    context.log?.(
      `${mismatches.length} difference(s); reading again in ${settleMs / 1000} s in case changes were in flight…`,
    );
    await sleep(settleMs);
    recomputation = await recomputeFromRecords(context);
    mismatches = compareCounters(recomputation.counters, await scanCounters(context.doc, context.tables.stats));
  }
  return { mismatches, recomputation };
}

/**
 * Repairs the counters: adds, per stored bucket (counters.ts, storedLayout), the recomputed value minus the stored
 * one (ADD, so concurrent stream updates are kept), deletes the quarter and year items of the earlier layout (which
 * readers ignore: this is the migration, docs/statistics.md), then signals the site builder. Run it when the store
 * is quiet: a record written between the two reads would be corrected for twice or not at all (verify tells).
 */
export async function rebuildFigures(context: StatsTaskContext): Promise<{ corrected: number; removed: number }> {
  const recomputation = await recomputeFromRecords(context);
  const corrections = correctionsFor(recomputation.stored, await scanStoredCounters(context.doc, context.tables.stats));
  const writing = bar(context.progress, 'buckets ');
  writing.start(corrections.size);
  await addCorrections(context.doc, context.tables.stats, corrections, (done) => writing.update(done));
  writing.stop();
  const removed = await deleteLegacyCounters(context.doc, context.tables.stats);
  if (corrections.size > 0) await markDirty(context.doc, context.tables.stats);
  return { corrected: corrections.size, removed };
}

/** Writes the open-data files of the store under `outDir` (`outDir/data/…`). */
export async function exportToDirectory(
  context: Omit<StatsTaskContext, 'lookup'>,
  registry: ExportRegistry,
  outDir: string,
): Promise<ExportSummary> {
  const writing = bar(context.progress, 'files   ');
  writing.start(0);
  const summary = await exportStore({
    doc: context.doc,
    tables: context.tables,
    registry,
    writer: directoryWriter(outDir),
    onProgress: (written, total) => writing.update(written, total),
  });
  writing.stop();
  return summary;
}
