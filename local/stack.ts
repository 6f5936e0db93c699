import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FunctionConfig } from '../functions/lib/config.js';
import { logger } from '../functions/lib/observability.js';
import { createDocumentClient, createDynamoClient, localCredentialsEnv } from '../shared/storage/client.js';
import { ensureTables } from '../shared/storage/create-tables.js';
import { prefixedTableNames, type TableNames } from '../shared/storage/tables.js';
import { localSecret, localStoreCredentials } from './credentials.js';
import { type DynamoDbLocal, LocalSetupError, startDynamoDbLocal } from './dynamodb-local.js';
import { startGateway } from './gateway.js';
import { ensureRegistry } from './registry.js';
import type { SiteBuilder } from './site-rebuilder.js';
import { type LocalStatistics, startStatistics } from './statistics.js';

/**
 * The whole product on one machine: DynamoDB Local, the tables, the local API gateway over the Lambda
 * handlers, and the site. `npm start` runs it with data under `.data/`; the e2e and load tests run it in memory.
 */

export const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

export interface StackOptions {
  /**
   * The gateway's port; 0 lets the gateway take any free one when it starts listening (tests and benches). A port
   * probed free earlier can be taken meanwhile: the stack's own connections to DynamoDB Local use ephemeral ports.
   */
  readonly port: number;
  /** Where data persists; with `inMemory` only the site build and attachments go there. */
  readonly dataDir: string;
  readonly inMemory?: boolean;
  /** Load the unit registry and the demo dataset into an empty store. */
  readonly seed?: boolean;
  /** Extra configuration for the handlers (e.g. SURVEY_RATE_LIMIT), by the names of their environment. */
  readonly env?: Readonly<Record<string, string>>;
  readonly log?: (line: string) => void;
  /** Replace the site build of the rebuilder (tests that need fresh open data but no Astro build): null for none. */
  readonly buildSite?: SiteBuilder | null;
}

export interface Stack {
  readonly origin: string;
  readonly engine: DynamoDbLocal;
  readonly tables: TableNames;
  readonly client: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  readonly dataDir: string;
  /**
   * The handlers' configuration (functions/lib/config.ts): what Lambda's environment holds in AWS. A child process
   * that runs a handler module over this store takes it as its environment.
   */
  readonly config: FunctionConfig;
  /** The stream poller (aggregation) and the site rebuilder. */
  readonly statistics: LocalStatistics;
  stop(): Promise<void>;
}

async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((done, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new LocalSetupError(
          error.code === 'EADDRINUSE'
            ? `port ${port} is already in use: stop the other server or set PORT`
            : error.message,
        ),
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => done()));
  });
}

/**
 * The handlers' one logger (functions/lib/observability.ts) was made when its module loaded, from the environment
 * as in Lambda; it takes the stack's level instead. Powertools' public `setLogLevel` lasts one invocation (each warm
 * one resets it to the level read at construction), so the level it starts from is set, through the initializer
 * the Logger itself uses (a JavaScript method its types mark private; the package is pinned to an exact version).
 */
function setHandlersLogLevel(level: string): void {
  const initial = (logger as unknown as { setInitialLogLevel?: (level: string) => void }).setInitialLogLevel;
  if (typeof initial === 'function') initial.call(logger, level);
  else logger.setLogLevel(level.toUpperCase() as LogLevel);
}

/** Starts the stack; every component is stopped again if a later one fails to start. */
export async function startStack(options: StackOptions): Promise<Stack> {
  const log = options.log ?? (() => undefined);
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const stoppers: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
  };

  try {
    // Fail before starting anything else: a taken port is the commonest misconfiguration.
    if (options.port !== 0) await assertPortFree(options.port);
    // The store's private key, kept 0600 with the other secrets: the CLI reads it from there (local/credentials.ts).
    const credentials = localStoreCredentials(dataDir);
    const engine = await startDynamoDbLocal(
      options.inMemory ? { credentials } : { credentials, dataDir: join(dataDir, 'dynamodb') },
    );
    stoppers.push(() => engine.stop());
    log(`DynamoDB Local on ${engine.endpoint}${options.inMemory ? ' (in memory)' : ` (data in ${dataDir})`}`);

    const tables = prefixedTableNames('local-');
    // The handlers' configuration, by the names CDK gives their environment: the shell's environment (a setting
    // such as SITE_ORIGINS reaches them as it would), then this stack's own store, tables and secrets. The handlers
    // are built from this object (functions/lib/config.ts); process.env is left as it was, so two stacks in one
    // process (tests, benches) never see each other's.
    const config: FunctionConfig = Object.freeze({
      ...process.env,
      DYNAMODB_ENDPOINT: engine.endpoint,
      ...localCredentialsEnv(credentials),
      AWS_REGION: process.env.AWS_REGION ?? 'ap-southeast-1',
      RECORDS_TABLE: tables.records,
      STATS_TABLE: tables.stats,
      DATA_DIR: dataDir,
      ATTACHMENTS_DIR: join(dataDir, 'attachments'),
      DOSSIER_HMAC_SECRET: process.env.DOSSIER_HMAC_SECRET ?? localSecret(dataDir, 'dossierHmacSecret'),
      RATE_LIMIT_SALT: process.env.RATE_LIMIT_SALT ?? localSecret(dataDir, 'rateLimitSalt'),
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      POWERTOOLS_METRICS_DISABLED: 'true',
      ...options.env,
    });
    if (config.POWERTOOLS_LOG_LEVEL) setHandlersLogLevel(config.POWERTOOLS_LOG_LEVEL);
    const client = createDynamoClient(config);
    stoppers.push(async () => client.destroy());
    const doc = createDocumentClient(client);
    await ensureTables(client, tables);
    if (options.seed) await ensureRegistry(doc, tables.records, log, config);
    if (options.seed) {
      // The demo dataset (agencies, conclusions, reports from the seed documents) goes in through the domain
      // services, only into a store without agencies; see local/demo/.
      const { seedDemoIfEmpty } = await import('./demo/seed.js');
      await seedDemoIfEmpty({ doc, recordsTable: tables.records, dataDir, log, config });
    }
    // The stream → aggregation path and the site rebuilds, as in AWS (docs/statistics.md); stopped before the engine.
    const statistics = await startStatistics({
      config,
      client,
      doc,
      tables,
      dataDir,
      repoRoot: REPO_ROOT,
      log,
      ...(options.buildSite !== undefined ? { buildSite: options.buildSite } : {}),
    });
    stoppers.push(() => statistics.stop());

    const siteDir = join(dataDir, 'site', 'current');
    const server: Server = await startGateway({
      port: options.port,
      repoRoot: REPO_ROOT,
      config,
      siteDir: () => (existsSync(siteDir) ? siteDir : undefined),
      dataRoot: () => join(dataDir, 'export'),
      building: () => statistics.rebuilder.building,
    });
    stoppers.push(
      () =>
        new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        }),
    );
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const origin = `http://127.0.0.1:${port}`;
    log(`API and site on ${origin}`);
    // The CLI (`npm run admin`, `npm run publish`) finds the running store and API here (cli/lib/local-store.ts).
    const localInfo = join(dataDir, 'local.json');
    const info = { endpoint: engine.endpoint, tables, origin, pid: process.pid };
    writeFileSync(localInfo, `${JSON.stringify(info, null, 2)}\n`);
    stoppers.push(async () => {
      // Only our own file: another stack may have started on the same data directory since.
      const current = existsSync(localInfo) ? JSON.parse(readFileSync(localInfo, 'utf8')) : undefined;
      if (current?.pid === process.pid) rmSync(localInfo, { force: true });
    });

    return { origin, engine, tables, client, doc, dataDir, config, statistics, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
