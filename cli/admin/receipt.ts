/**
 * `npm run admin -- receipt --agency <id> --key <ed25519-pkcs8.pem> --unit <code> --dossier <code>
 *    [--site <origin>] [--qr <file.svg|file.png>] [--issued <YYYY-MM-DD>]`
 *
 * Mints the survey receipt of one dossier (shared/surveys/receipt.ts) with the service point's agency key, and
 * prints the survey address that carries it (`/danh-gia/<unit>/?receipt=…&ma=…&kenh=qr`); with `--qr` it also
 * writes that address as a QR code, to print on the dossier receipt. A response sent from that page is verified.
 * Nothing is written to the store: the receipt is checked when the response arrives.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import QRCode from 'qrcode';
import { signingKeyFromPem } from '../../shared/auth/sign-agency-request.js';
import { surveyPagePath } from '../../shared/surveys/form.js';
import { mintReceipt } from '../../shared/surveys/receipt.js';
import { UsageError } from '../lib/usage.js';

export const RECEIPT_USAGE =
  'usage: npm run admin -- receipt --agency <id> --key <ed25519-pkcs8.pem> --unit <code> --dossier <code> [--site <origin>] [--qr <file.svg|file.png>] [--issued <YYYY-MM-DD>]';

/** Wrong arguments: the dispatcher prints the message and the usage, and exits with 2. */
export class ReceiptUsageError extends UsageError {
  constructor(message: string) {
    super(message, RECEIPT_USAGE);
  }
}

export interface MintedReceipt {
  readonly receipt: string;
  readonly url: string;
}

/** The survey address that carries a receipt (the page puts it in the form; `kenh=qr` records the channel). */
export function receiptUrl(site: string, unit: string, dossierCode: string, receipt: string): string {
  const query = new URLSearchParams({ receipt, ma: dossierCode, kenh: 'qr' });
  return `${site.replace(/\/+$/, '')}${surveyPagePath('vi', unit)}?${query}`;
}

/** Runs the command; returns what it printed (for tests). */
export async function runReceipt(
  args: readonly string[],
  out: (line: string) => void = (line) => console.log(line),
): Promise<MintedReceipt> {
  const rest = args[0] === 'receipt' ? args.slice(1) : [...args];
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        agency: { type: 'string' },
        key: { type: 'string' },
        unit: { type: 'string' },
        dossier: { type: 'string' },
        site: { type: 'string' },
        qr: { type: 'string' },
        issued: { type: 'string' },
      },
      strict: true,
    }) as { values: Record<string, string | undefined> });
  } catch (error) {
    throw new ReceiptUsageError((error as Error).message);
  }
  const need = (name: string) => {
    const value = values[name]?.trim();
    if (!value) throw new ReceiptUsageError(`--${name} is required`);
    return value;
  };
  const unit = need('unit');
  if (!/^\d{5}$/.test(unit)) throw new ReceiptUsageError('--unit is the 5-digit code of a ward or commune');
  const issuedAt = values.issued ? new Date(`${values.issued}T00:00:00+07:00`) : new Date();
  if (Number.isNaN(issuedAt.getTime())) throw new ReceiptUsageError('--issued is a date, YYYY-MM-DD');
  let pem: string;
  try {
    pem = readFileSync(need('key'), 'utf8');
  } catch (error) {
    if (error instanceof ReceiptUsageError) throw error;
    throw new ReceiptUsageError(`cannot read the key ${values.key}`);
  }
  const key = await signingKeyFromPem(need('agency'), pem);
  const dossierCode = need('dossier');
  const receipt = await mintReceipt(key, { dossierCode, unit, issuedAt });
  const site = values.site ?? process.env.SITE_ORIGIN ?? `http://127.0.0.1:${process.env.PORT ?? 8080}`;
  const url = receiptUrl(site, unit, dossierCode, receipt);
  out(url);
  if (values.qr) {
    const options = { errorCorrectionLevel: 'M' as const, margin: 4 };
    if (values.qr.toLowerCase().endsWith('.png')) await QRCode.toFile(values.qr, url, { ...options, type: 'png' });
    else writeFileSync(values.qr, await QRCode.toString(url, { ...options, type: 'svg' }));
    out(`QR code written to ${values.qr}`);
  }
  return { receipt, url };
}
