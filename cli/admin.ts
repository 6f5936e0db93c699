/**
 * `npm run admin -- <group> <command> …`: administration of the store (the local one of a running `npm start`,
 * or AWS when RECORDS_TABLE is set without DYNAMODB_ENDPOINT). Groups are loaded lazily, so one group's
 * dependencies never slow down another:
 *   agency    register agencies, their jurisdiction and keys (cli/admin/agency.ts)
 *   comments  moderate citizens' comments (cli/admin/comments.ts)
 *   receipt   mint a survey receipt (QR) for a dossier with an agency key (cli/admin/receipt.ts)
 *   spike     list survey spikes and record their review (cli/admin/spikes.ts)
 *   units     load the committed unit registry into the store (cli/admin/units.ts)
 * Errors end with one line on stderr (exit 1); wrong arguments also print the usage (exit 2).
 */
import { DomainError, ValidationError } from '../shared/errors.js';
import { applyStoreEnvironment, StoreConfigError } from './lib/local-store.js';
import { UsageError } from './lib/usage.js';

const USAGE = [
  'usage: npm run admin -- agency add --id <id> --name <name> --jurisdiction <code>[,<code>…] --public-key <ed25519-spki.pem>',
  '       npm run admin -- agency list | show <id> | add-key --id <id> --public-key <pem> | revoke-key --id <id> --kid <thumbprint>',
  '       npm run admin -- comments list | approve <id> | reject <id>',
  '       npm run admin -- receipt --agency <id> --key <pem> --unit <code> --dossier <code> [--site <origin>] [--qr <file>]',
  '       npm run admin -- spike list [--json] | review <unit id> <hour YYYY-MM-DDTHH> [--by <reviewer>] [--note <text>]',
  '       npm run admin -- units load',
].join('\n');

async function main(argv: readonly string[]): Promise<void> {
  const [group, ...rest] = argv;
  if (group === undefined || group === 'help' || group === '--help' || group === '-h') {
    console.log(USAGE);
    return;
  }
  if (group === 'agency') {
    applyStoreEnvironment();
    const { runAgency } = await import('./admin/agency.js');
    await runAgency(rest);
    return;
  }
  if (group === 'comments') {
    applyStoreEnvironment();
    const { runComments } = await import('./admin/comments.js');
    await runComments(rest);
    return;
  }
  if (group === 'spike' || group === 'spikes') {
    applyStoreEnvironment();
    const { runSpikes } = await import('./admin/spikes.js');
    await runSpikes(rest);
    return;
  }
  if (group === 'units') {
    applyStoreEnvironment();
    const { runUnits } = await import('./admin/units.js');
    await runUnits(rest);
    return;
  }
  if (group === 'receipt') {
    // Signed with the agency's own key; nothing in the store changes.
    const { runReceipt } = await import('./admin/receipt.js');
    await runReceipt(rest);
    return;
  }
  throw new UsageError(`unknown command group "${group}"`, USAGE);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    const usage = (error as { usage?: unknown }).usage;
    if (error instanceof Error && typeof usage === 'string') {
      console.error(`admin: ${error.message}\n${usage}`);
      process.exit(2);
    }
    if (error instanceof ValidationError) {
      console.error(
        `admin: ${error.detail} ${error.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
      );
    } else if (error instanceof DomainError) {
      console.error(`admin: ${error.detail}`);
    } else if (error instanceof StoreConfigError) {
      console.error(`admin: ${error.message}`);
    } else {
      console.error(`admin: ${error instanceof Error ? error.message : String(error)}`);
      if (process.env.DEBUG) console.error(error);
    }
    process.exit(1);
  },
);
