import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { SigningKey } from '../../shared/auth/sign-agency-request.js';
import { isFinalStatus } from '../../shared/auth/signed-fetch.js';
import { type ApiAnswer, describeProblem, sendApiRequest } from './api-client.js';

/**
 * `npm run publish -- --bulk file.ndjson`: back-fill many records, one JSON object per line. Each line's result
 * is appended to `<file>.results.ndjson` as soon as it is known, so an interrupted run loses nothing; run again
 * and lines with a final result (accepted, or refused for a reason that re-sending cannot fix) are skipped, the
 * others sent again. Re-sending is safe anyway: the API answers the same content with the stored record.
 */

export interface BulkOptions {
  readonly file: string;
  readonly kind: 'conclusions' | 'summaries' | 'reports';
  readonly origin: string;
  readonly key: SigningKey;
  readonly resultsFile?: string;
  readonly concurrency?: number;
  /** Show a progress bar on stderr (default: when stderr is a terminal). */
  readonly progress?: boolean;
  readonly out?: (line: string) => void;
}

export interface LineResult {
  readonly line: number;
  /** First 16 hex digits of the line's SHA-256: a changed line is sent again. */
  readonly hash: string;
  /** HTTP status, or 0 when the API could not be reached. */
  readonly status: number;
  readonly id?: string;
  readonly version?: number;
  readonly detail?: string;
  readonly at: string;
}

export interface BulkSummary {
  readonly lines: number;
  readonly created: number;
  readonly unchanged: number;
  readonly skipped: number;
  readonly refused: number;
  readonly failed: number;
  readonly resultsFile: string;
}

const ATTEMPTS = 4;

/** True when re-sending cannot change the outcome (shared with the console's bulk upload). */
export const isFinal = isFinalStatus;

/** Reads the results of earlier runs: the last result of each line. */
export function readResults(resultsFile: string): Map<number, LineResult> {
  const results = new Map<number, LineResult>();
  if (!existsSync(resultsFile)) return results;
  for (const text of readFileSync(resultsFile, 'utf8').split('\n')) {
    if (text.trim() === '') continue;
    try {
      const result = JSON.parse(text) as LineResult;
      if (typeof result.line === 'number') results.set(result.line, result);
    } catch {
      // A line cut short by a crash: that record is simply sent again.
    }
  }
  return results;
}

/** Runs a bulk back-fill; resolves with the counts (the per-line detail is in the results file). */
export async function runBulk(options: BulkOptions): Promise<BulkSummary> {
  const resultsFile = options.resultsFile ?? `${options.file}.results.ndjson`;
  const lines = readFileSync(options.file, 'utf8').split('\n');
  const previous = readResults(resultsFile);
  const todo: { line: number; text: string; hash: string }[] = [];
  let skipped = 0;
  lines.forEach((text, index) => {
    if (text.trim() === '') return;
    const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
    const done = previous.get(index + 1);
    if (done && done.hash === hash && isFinal(done.status)) skipped += 1;
    else todo.push({ line: index + 1, text, hash });
  });

  const counts = { created: 0, unchanged: 0, refused: 0, failed: 0 };
  const showBar = options.progress ?? Boolean(process.stderr.isTTY);
  const bar = showBar
    ? new cliProgress.SingleBar(
        {
          format: 'publish [{bar}] {value}/{total} lines | {eta_formatted} left | {failures} not accepted',
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(todo.length, 0, { failures: 0 });

  let next = 0;
  const worker = async function sendLines(): Promise<void> {
    for (let index = next++; index < todo.length; index = next++) {
      const item = todo[index];
      if (!item) continue;
      const result = await sendLine(item, options);
      appendFileSync(resultsFile, `${JSON.stringify(result)}\n`);
      if (result.status === 201) counts.created += 1;
      else if (result.status === 200) counts.unchanged += 1;
      else if (isFinal(result.status)) counts.refused += 1;
      else counts.failed += 1;
      bar?.increment(1, { failures: counts.refused + counts.failed });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, 16)) }, worker));
  } finally {
    bar?.stop();
  }
  return { lines: todo.length + skipped, skipped, resultsFile, ...counts };
}

async function sendLine(item: { line: number; text: string; hash: string }, options: BulkOptions): Promise<LineResult> {
  const base = { line: item.line, hash: item.hash };
  try {
    JSON.parse(item.text);
  } catch {
    return { ...base, status: 400, detail: 'the line is not a JSON object', at: new Date().toISOString() };
  }
  let answer: ApiAnswer | undefined;
  let failure = '';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      answer = await sendApiRequest(options.origin, options.key, {
        method: 'POST',
        path: `/api/v1/${options.kind}`,
        body: Buffer.from(item.text, 'utf8'),
        signed: true,
      });
      if (isFinal(answer.status) || attempt === ATTEMPTS) break;
      failure = describeProblem(answer);
      const retryAfter = Number(answer.headers.get('retry-after'));
      await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter, 10) * 1000 : 250 * 2 ** attempt);
    } catch (error) {
      answer = undefined;
      failure = `the API could not be reached: ${(error as Error).message}`;
      if (attempt < ATTEMPTS) await sleep(250 * 2 ** attempt);
    }
  }
  const at = new Date().toISOString();
  if (!answer) return { ...base, status: 0, detail: failure, at };
  const id = typeof answer.json?.id === 'string' ? answer.json.id : undefined;
  const version = typeof answer.json?.version === 'number' ? answer.json.version : undefined;
  return {
    ...base,
    status: answer.status,
    ...(id ? { id } : {}),
    ...(version ? { version } : {}),
    ...(answer.status >= 300 ? { detail: describeProblem(answer) } : {}),
    at,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
