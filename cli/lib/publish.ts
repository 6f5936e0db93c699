import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { attachmentAnnouncement, attachmentUpload, uploadInstructionOf } from '../../shared/auth/attachment-upload.js';
import { signingKeyFromPem } from '../../shared/auth/sign-agency-request.js';
import { parseVersion, versionEtag } from '../../shared/publishing/if-match.js';
import { type ApiAnswer, describeProblem, sendApiRequest } from './api-client.js';
import { runBulk } from './bulk.js';
import { apiOrigin } from './local-store.js';
import { UsageError } from './usage.js';

/**
 * The commands of `npm run publish` (the tool an agency uses; CONTRACT.md):
 *   --agency <id> --key <pkcs8.pem> <conclusion.json>                     publish a conclusion
 *   … --summary <summary.json>                                            publish a summary report
 *   … --correct <id> --if-match <version> <record.json>                   correct a conclusion or a summary
 *   … --retract <id> [--reason <text>] [--if-match <version>]             retract a conclusion or a summary
 *   … --attach <file.pdf> --conclusion <conclusion-id>                    attach the signed PDF
 *   … --report <report.json>                                              file a monthly report
 *   … --bulk <file.ndjson> [--reports|--summaries] [--results <file>] [--concurrency N]  back-fill, resumable
 * The id says which record `--correct` and `--retract` act on: conclusion ids start with `k`, summary ids with `s`.
 * Options: --api <origin> (default: API_URL, the running local stack, or http://127.0.0.1:$PORT).
 */

export const PUBLISH_USAGE = [
  'usage: npm run publish -- --agency <id> --key <ed25519-pkcs8.pem> <conclusion.json>',
  '       npm run publish -- --agency <id> --key <pem> --summary <summary.json>',
  '       npm run publish -- --agency <id> --key <pem> --correct <id> --if-match <version> [--reason <text>] <record.json>',
  '       npm run publish -- --agency <id> --key <pem> --retract <id> [--reason <text>] [--if-match <version>]',
  '       npm run publish -- --agency <id> --key <pem> --attach <file.pdf> --conclusion <id>',
  '       npm run publish -- --agency <id> --key <pem> --report <report.json>',
  '       npm run publish -- --agency <id> --key <pem> --bulk <file.ndjson> [--reports|--summaries] [--results <file>] [--concurrency N]',
  '       (--correct and --retract take a conclusion id, k…, or a summary id, s…)',
  '       (any of them: --api <origin>; default API_URL, the running npm start, or http://127.0.0.1:$PORT)',
].join('\n');

/** Wrong arguments: printed with the usage, exit code 2. */
export class PublishUsageError extends UsageError {
  constructor(message: string) {
    super(message, PUBLISH_USAGE);
  }
}

export interface PublishIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
  /** Show the bulk progress bar (default: when stderr is a terminal). */
  readonly progress?: boolean;
}

/** Runs one publish command; resolves with the exit code (0 when the API accepted everything). */
export async function runPublish(argv: readonly string[], io: PublishIo): Promise<number> {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (error) {
    throw new PublishUsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(PUBLISH_USAGE);
    return 0;
  }
  const agency = need(values.agency, '--agency');
  const keyFile = need(values.key, '--key');
  const key = await signingKeyFromPem(agency, readText(keyFile, 'the private key'));
  const origin = apiOrigin(values.api, io.env ?? process.env);
  const [file, ...extra] = positionals;
  if (extra.length > 0) throw new PublishUsageError(`unexpected argument "${extra[0]}"`);

  if (values.bulk) {
    if (values.reports && values.summaries) throw new PublishUsageError('give --reports or --summaries, not both');
    const summary = await runBulk({
      file: values.bulk,
      kind: values.reports ? 'reports' : values.summaries ? 'summaries' : 'conclusions',
      origin,
      key,
      ...(values.results ? { resultsFile: values.results } : {}),
      ...(values.concurrency ? { concurrency: Number(values.concurrency) } : {}),
      ...(io.progress === undefined ? {} : { progress: io.progress }),
    });
    io.out(
      `bulk: ${summary.lines} lines: ${summary.created} created, ${summary.unchanged} already there, ${summary.skipped} skipped (done before), ${summary.refused} refused, ${summary.failed} failed; results in ${summary.resultsFile}`,
    );
    return summary.refused + summary.failed > 0 ? 1 : 0;
  }
  if (values.retract) {
    const body = values.reason ? Buffer.from(JSON.stringify({ reason: values.reason })) : undefined;
    return report(
      io,
      await sendApiRequest(origin, key, {
        method: 'POST',
        path: `${recordPath(values.retract)}/retraction`,
        ...(body ? { body } : {}),
        ...(values['if-match'] ? { headers: { 'if-match': ifMatch(values['if-match']) } } : {}),
        signed: true,
      }),
    );
  }
  if (values.attach) {
    return attach(io, origin, key, values.attach, need(values.conclusion, '--conclusion'));
  }
  // A summary or a report: one file, posted as it is.
  const single = values.summary
    ? { file: values.summary, path: '/api/v1/summaries', what: 'the summary file' }
    : values.report
      ? { file: values.report, path: '/api/v1/reports', what: 'the report file' }
      : undefined;
  if (single) {
    const body = Buffer.from(readText(single.file, single.what), 'utf8');
    return report(io, await sendApiRequest(origin, key, { method: 'POST', path: single.path, body, signed: true }));
  }
  const path = need(file, 'a JSON file');
  const bytes = Buffer.from(readText(path, 'the JSON file'), 'utf8');
  if (values.correct) {
    let body = bytes;
    if (values.reason) body = Buffer.from(JSON.stringify({ ...parseJsonObject(bytes, path), reason: values.reason }));
    return report(
      io,
      await sendApiRequest(origin, key, {
        method: 'PUT',
        path: recordPath(values.correct),
        body,
        headers: { 'if-match': ifMatch(need(values['if-match'], '--if-match')) },
        signed: true,
      }),
    );
  }
  return report(
    io,
    await sendApiRequest(origin, key, { method: 'POST', path: '/api/v1/conclusions', body: bytes, signed: true }),
  );
}

/** Announces the PDF (hash and size), then uploads it where the API says, signed when it is the API. */
async function attach(
  io: PublishIo,
  origin: string,
  key: Awaited<ReturnType<typeof signingKeyFromPem>>,
  file: string,
  id: string,
) {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new PublishUsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code}`);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const announced = await sendApiRequest(
    origin,
    key,
    attachmentAnnouncement(`/api/v1/conclusions/${encodeURIComponent(id)}`, sha256, bytes),
  );
  if (announced.status >= 300) return report(io, announced);
  const upload = uploadInstructionOf(announced);
  if (!upload) throw new Error('the API did not say where to upload the file');
  const uploaded = await sendApiRequest(origin, key, attachmentUpload(upload, bytes));
  if (uploaded.status >= 300) {
    io.err(`upload failed: ${describeProblem(uploaded)}`);
    return 1;
  }
  io.out(`${announced.status} attached ${file} (sha256 ${sha256}, ${bytes.length} bytes) to ${id}`);
  io.out(JSON.stringify(announced.json?.attachment, null, 2));
  return 0;
}

/** The API path of a versioned record from its id: summary ids start with `s`, conclusion ids with `k`. */
function recordPath(id: string): string {
  const collection = id.startsWith('s') ? 'summaries' : 'conclusions';
  return `/api/v1/${collection}/${encodeURIComponent(id)}`;
}

function report(io: PublishIo, answer: ApiAnswer): number {
  if (answer.status >= 200 && answer.status < 300) {
    const location = answer.headers.get('location');
    io.out(`${answer.status}${location ? ` ${location}` : ''}`);
    io.out(JSON.stringify(answer.json ?? answer.text, null, 2));
    return 0;
  }
  io.err(`refused: ${describeProblem(answer)}`);
  return 1;
}

function parseOptions(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      agency: { type: 'string' },
      key: { type: 'string' },
      api: { type: 'string' },
      correct: { type: 'string' },
      'if-match': { type: 'string' },
      reason: { type: 'string' },
      retract: { type: 'string' },
      attach: { type: 'string' },
      conclusion: { type: 'string' },
      report: { type: 'string' },
      summary: { type: 'string' },
      summaries: { type: 'boolean' },
      bulk: { type: 'string' },
      reports: { type: 'boolean' },
      results: { type: 'string' },
      concurrency: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: true,
  });
}

function need(value: string | undefined, what: string): string {
  if (value === undefined || value === '') throw new PublishUsageError(`${what} is required`);
  return value;
}

/**
 * The If-Match header of `--if-match`: the version (`2`) or its ETag as the API printed it (`"2"`), read as the API
 * reads it; anything else is refused here rather than sent for a 412.
 */
function ifMatch(value: string): string {
  const version = parseVersion(value);
  if (version === undefined) throw new PublishUsageError(`--if-match takes a version number (2), not "${value}"`);
  return versionEtag(version);
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PublishUsageError(`cannot read ${what} ${path}: ${code === 'ENOENT' ? 'file not found' : code}`);
  }
}

function parseJsonObject(bytes: Buffer, path: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new PublishUsageError(`${path} is not a JSON object`);
}
