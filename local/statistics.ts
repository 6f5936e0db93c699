import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localClientConfig } from '../shared/storage/client.js';
import type { TableNames } from '../shared/storage/tables.js';
import { loadConfiguredRegistry } from '../shared/units/load.js';
import { type SiteBuilder, SiteRebuilder } from './site-rebuilder.js';
import { StreamPoller } from './stream-poller.js';

/**
 * The statistics side of `npm start`: the stream poller feeding the aggregation handler (what Lambda's event source
 * mapping does in AWS) and the site rebuilder (what the build job does). Started once the tables exist; stopped
 * before the database engine.
 */

export interface LocalStatistics {
  readonly poller: StreamPoller;
  /** The second consumer of the stream: the transparency log's appender. */
  readonly logPoller: StreamPoller;
  readonly rebuilder: SiteRebuilder;
  stop(): Promise<void>;
}

export interface LocalStatisticsOptions {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  readonly tables: TableNames;
  readonly dataDir: string;
  readonly repoRoot: string;
  /** Override the site build (tests); default: site/scripts/build.ts. */
  readonly buildSite?: SiteBuilder | null;
  readonly log?: (line: string) => void;
}

/** Starts the poller and the rebuilder. */
export async function startStatistics(options: LocalStatisticsOptions): Promise<LocalStatistics> {
  // The same private key as the tables' client: the store's streams are as private as its tables.
  const streams = new DynamoDBStreamsClient(localClientConfig({ ...process.env, DYNAMODB_ENDPOINT: options.endpoint }));
  // The handler module reads its tables from the environment on first use, as in Lambda.
  const { handler } = await import('../functions/aggregation/handler.js');
  const poller = new StreamPoller({
    dynamo: options.client,
    streams,
    tableName: options.tables.records,
    dataDir: options.dataDir,
    handler,
    ...(options.log ? { log: options.log } : {}),
  });
  // The log appender reads the same stream with its own position, as its own event source mapping does in AWS.
  const { handler: logHandler } = await import('../functions/log/handler.js');
  const logPoller = new StreamPoller({
    dynamo: options.client,
    streams,
    tableName: options.tables.records,
    dataDir: options.dataDir,
    handler: logHandler,
    consumer: 'log',
    ...(options.log ? { log: options.log } : {}),
  });
  const rebuilder = new SiteRebuilder({
    doc: options.doc,
    tables: options.tables,
    dataDir: options.dataDir,
    registry: loadConfiguredRegistry(),
    repoRoot: options.repoRoot,
    ...(options.buildSite !== undefined ? { buildSite: options.buildSite } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  poller.start();
  logPoller.start();
  rebuilder.start();
  return {
    poller,
    logPoller,
    rebuilder,
    async stop() {
      await Promise.all([poller.stop(), logPoller.stop(), rebuilder.stop()]);
      streams.destroy();
    },
  };
}
