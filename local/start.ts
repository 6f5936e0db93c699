import { resolve } from 'node:path';
import { LocalSetupError } from './dynamodb-local.js';
import { REPO_ROOT, startStack } from './stack.js';

/**
 * `npm start`: the whole product on http://127.0.0.1:8080 (PORT), data under .data/ (DATA_DIR).
 * Configuration problems end with one line on stderr and exit code 1, not a stack trace.
 */
async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new LocalSetupError(`PORT must be 1-65535, not "${process.env.PORT}"`);
  const dataDir = resolve(REPO_ROOT, process.env.DATA_DIR ?? '.data');
  const stack = await startStack({
    port,
    dataDir,
    seed: true,
    env: { SURVEY_RATE_LIMIT: process.env.SURVEY_RATE_LIMIT ?? '10' },
    log: (line) => console.log(line),
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await stack.stop();
    console.log('stopped; data kept in', dataDir);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // DynamoDB Local dying under us is not recoverable here: say so and stop the rest.
  void stack.engine.exited.then(async (code) => {
    if (stopping) return;
    console.error(`DynamoDB Local exited unexpectedly (code ${code}); stopping.`);
    stopping = true;
    await stack.stop();
    process.exit(1);
  });
  // "ready" once the site is served: until the first build is swapped in, the site answers with a page that
  // says it is being built (and how far), and the API already works.
  console.log(`API up: ${stack.origin}/api/v1/health; building the site (progress at ${stack.origin}/)…`);
  await stack.statistics.rebuilder.siteReady;
  if (!stopping) console.log(`ready: ${stack.origin}/ (API ${stack.origin}/api/v1/health)`);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`npm start: ${message}`);
  if (!(error instanceof LocalSetupError) && process.env.DEBUG) console.error(error);
  process.exit(1);
});
