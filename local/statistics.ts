import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FunctionConfig } from '../functions/lib/config.js';
import { localClientConfig } from '../shared/storage/client.js';
import type { TableNames } from '../shared/storage/tables.js';
import { loadConfiguredRegistry } from '../shared/units/load.js';
import { type SiteBuilder, SiteRebuilder } from './site-rebuilder.js';
import { type StreamHandler, StreamPoller } from './stream-poller.js';

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
  /** The handlers' configuration (local/stack.ts): tables, endpoint and the store's key. */
  readonly config: FunctionConfig;
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
  const streams = new DynamoDBStreamsClient(localClientConfig(options.config));
  // Each consumer reads the same stream with its own position, as each event source mapping does in AWS.
  const pollerOf = (handler: StreamHandler, consumer?: string) =>
    new StreamPoller({
      dynamo: options.client,
      streams,
      tableName: options.tables.records,
      dataDir: options.dataDir,
      handler,
      ...(consumer ? { consumer } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
  // The handlers are built from the stack's configuration, as Lambda builds them from its environment.
  const aggregation = await import('../functions/aggregation/handler.js');
  const poller = pollerOf(aggregation.createHandler(options.config));
  // The second consumer: the transparency log's appender.
  const log = await import('../functions/log/handler.js');
  const logPoller = pollerOf(log.createHandler(options.config), 'log');
  const rebuilder = new SiteRebuilder({
    doc: options.doc,
    tables: options.tables,
    dataDir: options.dataDir,
    registry: loadConfiguredRegistry(options.config),
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
