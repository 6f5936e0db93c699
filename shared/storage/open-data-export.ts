import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type ExportRegistry, type ExportSummary, exportOpenData, type FileWriter } from '../stats/export.js';
import { DynamoAgencyRepository, readAgencyKeys } from './agencies-repository.js';
import { readStoredConclusions, readStoredSummaries, scanCounters } from './export-reader.js';
import { readRefusals } from './refusals-repository.js';
import { DynamoSpikeStore } from './spikes-repository.js';
import type { TableNames } from './tables.js';

/**
 * The open-data export over the store: reads what the files are made of (counters, conclusions, summaries, the
 * agencies and their keys, the refusals, the spikes) and writes them through a FileWriter. `npm run stats export` (cli/) and the local site
 * rebuilder (local/) both call it, so neither depends on the other.
 */

export interface StoreExportInput {
  readonly doc: DynamoDBDocumentClient;
  readonly tables: TableNames;
  readonly registry: ExportRegistry;
  readonly writer: FileWriter;
  readonly onProgress?: (written: number, total: number) => void;
}

/** Writes the open-data files of the store through `writer`. */
export async function exportStore(input: StoreExportInput): Promise<ExportSummary> {
  const { doc, tables } = input;
  const [counters, conclusions, summaries, agencies, agencyKeys, refusals, spikes] = await Promise.all([
    scanCounters(doc, tables.stats),
    readStoredConclusions(doc, tables.records),
    readStoredSummaries(doc, tables.records),
    readAgencyNames(doc, tables.records),
    readAgencyKeys(doc, tables.records),
    readRefusals(doc, tables.records),
    new DynamoSpikeStore(doc, tables.stats).list(),
  ]);
  return exportOpenData(
    {
      registry: input.registry,
      counters,
      conclusions,
      summaries,
      agencies,
      agencyKeys,
      refusals,
      spikes,
      generatedAt: new Date().toISOString(),
      ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    },
    input.writer,
  );
}

/** Agency names by id, from the agencies' own repository (gsi1 `AGENCIES`, each item parsed there). */
async function readAgencyNames(doc: DynamoDBDocumentClient, tableName: string): Promise<Map<string, string>> {
  const agencies = await new DynamoAgencyRepository(doc, tableName).list();
  return new Map(agencies.map((agency) => [agency.id, agency.name]));
}

/**
 * Writes files under a directory, each to a temporary name renamed into place (a reader never sees half a file).
 * Asynchronous I/O: in `npm start` the export shares its thread with the gateway and every handler, and a national
 * export's 14,000 synchronous reads, writes and renames held them for seconds (the throughput bench's profile).
 */
export function directoryWriter(root: string): FileWriter {
  return {
    async write(path, content) {
      const target = join(root, path);
      await mkdir(dirname(target), { recursive: true });
      const temporary = `${target}.${process.pid}.tmp`;
      await writeFile(temporary, content);
      await rename(temporary, target);
    },
    async read(path) {
      try {
        return await readFile(join(root, path), 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}
