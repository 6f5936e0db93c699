import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { type AggregationDependencies, processStreamBatch } from '../../../functions/aggregation/handler.js';
import { StreamPoller } from '../../../local/stream-poller.js';
import type { StatsStore } from '../../../shared/stats/ports.js';
import { createDocumentClient, createDynamoClient, localClientConfig } from '../../../shared/storage/client.js';
import { DynamoStatsStore } from '../../../shared/storage/stats-repository.js';
import { tableNamesFromEnv } from '../../../shared/storage/tables.js';
import { DynamoUnitLookup } from '../../../shared/storage/units-repository.js';

/**
 * The aggregation as `npm start` runs it (the stream poller invoking the real handler), in a process of its own
 * so the fault test can crash it for real: with CRASH_AFTER_CHUNKS=n it SIGKILLs itself right after the n-th
 * chunk of counters was committed, in the middle of a batch and before the poller checkpoints anything.
 * Without it, it drains the stream and exits 0. Configuration from the environment, as the handlers read it.
 */

const crashAfter = Number(process.env.CRASH_AFTER_CHUNKS ?? 0);

/** The real store, and a crash right after a chosen commit. */
function crashing(store: StatsStore): StatsStore {
  let chunks = 0;
  return {
    appliedAmong: (positions) => store.appliedAmong(positions),
    markDirty: () => store.markDirty(),
    async applyChunk(chunk) {
      const result = await store.applyChunk(chunk);
      chunks += 1;
      if (crashAfter > 0 && chunks >= crashAfter) {
        process.stdout.write(`crashing after chunk ${chunks}\n`);
        process.kill(process.pid, 'SIGKILL');
      }
      return result;
    },
  };
}

async function main(): Promise<void> {
  const tables = tableNamesFromEnv();
  const dynamo = createDynamoClient();
  const doc = createDocumentClient(dynamo);
  const deps: AggregationDependencies = {
    lookup: new DynamoUnitLookup(doc, tables.records),
    store: crashing(new DynamoStatsStore(doc, tables.stats)),
  };
  const streams = new DynamoDBStreamsClient({
    region: process.env.AWS_REGION ?? 'ap-southeast-1',
    ...localClientConfig(process.env),
  });
  const poller = new StreamPoller({
    dynamo,
    streams,
    tableName: tables.records,
    dataDir: process.env.DATA_DIR ?? '.',
    handler: (event, context) => processStreamBatch(event, deps, context),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  poller.start();
  await poller.drain(120_000);
  await poller.stop();
  process.stdout.write('drained\n');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
