/**
 * `npm run publish -- --agency <id> --key <ed25519-pkcs8.pem> <conclusion.json>`: signs and sends for an agency
 * (CONTRACT.md). Summary reports, corrections, retractions, attachments, reports and bulk back-fill: see cli/lib/publish.ts or
 * `npm run publish -- --help`. Refusals print the API's problem in one line and exit 1; wrong arguments exit 2.
 */

import { StoreConfigError } from './lib/local-store.js';
import { runPublish } from './lib/publish.js';

runPublish(process.argv.slice(2), { out: (line) => console.log(line), err: (line) => console.error(line) }).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const usage = (error as { usage?: unknown }).usage;
    if (error instanceof Error && typeof usage === 'string') {
      console.error(`publish: ${error.message}\n${usage}`);
      process.exit(2);
    }
    const message = error instanceof Error ? error.message : String(error);
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    console.error(`publish: ${message}${cause}`);
    if (!(error instanceof StoreConfigError) && process.env.DEBUG) console.error(error);
    process.exit(1);
  },
);
