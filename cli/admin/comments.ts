/**
 * `npm run admin -- comments list [--status pending|approved|rejected] [--limit N] [--cursor C] [--json]`
 * `npm run admin -- comments approve <id> [--by <moderator>]` and `npm run admin -- comments reject <id> [--by …]`
 *
 * Comment moderation: citizens' comments are never published until a moderator approves them. The text shown is
 * already masked (phone numbers, e-mail addresses and ID numbers were removed before storage). `cli/admin.ts`
 * dispatches here; it sets up the environment (RECORDS_TABLE, and DYNAMODB_ENDPOINT for a local store). Every
 * decision records who made it (`moderatedBy`: `--by`, else the operating-system user running the command).
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createDynamoClient } from '../../shared/storage/client.js';
import { DynamoCommentStore, MAX_COMMENT_PAGE } from '../../shared/storage/comments-repository.js';
import { tableNamesFromEnv } from '../../shared/storage/tables.js';
import { COMMENT_STATUSES, type CommentRecord, type CommentStatus } from '../../shared/surveys/ports.js';
import { UsageError } from '../lib/usage.js';

export const COMMENTS_USAGE = [
  'usage: npm run admin -- comments list [--status pending|approved|rejected] [--limit N] [--cursor C] [--json]',
  '       npm run admin -- comments approve <id> [--by <moderator>]',
  '       npm run admin -- comments reject <id> [--by <moderator>]',
].join('\n');

/** Wrong arguments: the dispatcher prints the message and the usage, and exits with 2. */
export class CommentsUsageError extends UsageError {
  constructor(message: string) {
    super(message, COMMENTS_USAGE);
  }
}

export interface CommentsCliContext {
  readonly doc: DynamoDBDocumentClient;
  readonly recordsTable: string;
  /** Where lines go (stdout by default). */
  readonly out: (line: string) => void;
  readonly now: () => Date;
  /** Who is moderating, when `--by` is not given. */
  readonly actor: () => string;
}

/** The operating-system user running the CLI (the fallback `moderatedBy`). */
export function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/** The context from the environment, as the handlers read it. */
export function commentsContextFromEnv(env: NodeJS.ProcessEnv = process.env): CommentsCliContext {
  return {
    doc: createDocumentClient(createDynamoClient(env)),
    recordsTable: tableNamesFromEnv(env).records,
    out: (line) => console.log(line),
    now: () => new Date(),
    actor: osUser,
  };
}

/**
 * Runs one `comments` sub-command; throws CommentsUsageError on wrong arguments, a DomainError (NotFoundError,
 * ConflictError) when the comment is missing or already decided.
 * @example await runComments(['approve', '3f2a…'])
 */
export async function runComments(args: readonly string[], context?: CommentsCliContext): Promise<void> {
  // Accept the arguments with or without the leading `comments` (whatever the dispatcher passes).
  const rest = args[0] === 'comments' ? args.slice(1) : [...args];
  const [command, ...options] = rest;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    (context?.out ?? console.log)(COMMENTS_USAGE);
    return;
  }
  if (command !== 'list' && command !== 'approve' && command !== 'reject') {
    throw new CommentsUsageError(`unknown comments command "${command}"`);
  }
  const parsed = parse(options, command);
  const ctx = context ?? commentsContextFromEnv();
  const store = new DynamoCommentStore(ctx.doc, ctx.recordsTable);

  if (command === 'list') {
    const page = await store.list(parsed.status, {
      limit: parsed.limit,
      ...(parsed.cursor ? { cursor: parsed.cursor } : {}),
    });
    if (parsed.json) {
      ctx.out(JSON.stringify(page, null, 2));
      return;
    }
    if (page.items.length === 0) ctx.out(`no ${parsed.status} comments`);
    for (const comment of page.items) ctx.out(formatComment(comment));
    if (page.cursor) ctx.out(`more: npm run admin -- comments list --status ${parsed.status} --cursor ${page.cursor}`);
    return;
  }

  const id = parsed.id;
  const by = parsed.by ?? ctx.actor();
  const decided = await store.decide(id, command === 'approve' ? 'approved' : 'rejected', ctx.now().toISOString(), by);
  ctx.out(`${decided.status} ${decided.id} by ${by} (unit ${decided.unitId}, submitted ${decided.submittedAt})`);
}

interface ParsedOptions {
  readonly status: CommentStatus;
  readonly limit: number;
  readonly cursor?: string;
  readonly json: boolean;
  readonly id: string;
  readonly by?: string;
}

function parse(options: readonly string[], command: 'list' | 'approve' | 'reject'): ParsedOptions {
  let values: { status?: string; limit?: string; cursor?: string; json?: boolean; by?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...options],
      options: {
        status: { type: 'string' },
        limit: { type: 'string' },
        cursor: { type: 'string' },
        json: { type: 'boolean' },
        by: { type: 'string' },
      },
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    throw new CommentsUsageError((error as Error).message);
  }
  if (command === 'list') {
    if (values.by !== undefined) throw new CommentsUsageError('--by is for approve and reject');
    if (positionals.length > 0) throw new CommentsUsageError(`unexpected argument "${positionals[0]}"`);
    const status = values.status ?? 'pending';
    if (!(COMMENT_STATUSES as readonly string[]).includes(status)) {
      throw new CommentsUsageError(`--status must be one of ${COMMENT_STATUSES.join(', ')}`);
    }
    const limit = values.limit === undefined ? 50 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_COMMENT_PAGE) {
      throw new CommentsUsageError(`--limit must be a whole number from 1 to ${MAX_COMMENT_PAGE}`);
    }
    return {
      status: status as CommentStatus,
      limit,
      ...(values.cursor ? { cursor: values.cursor } : {}),
      json: values.json ?? false,
      id: '',
    };
  }
  if (values.status !== undefined || values.limit !== undefined || values.cursor !== undefined || values.json) {
    throw new CommentsUsageError(`${command} takes only a comment id (and --by)`);
  }
  const [id, extra] = positionals;
  if (id === undefined || extra !== undefined) throw new CommentsUsageError(`${command} takes exactly one comment id`);
  const by = values.by?.normalize('NFC').trim();
  if (by !== undefined && (by === '' || by.length > 100)) throw new CommentsUsageError('--by is 1-100 characters');
  return { status: 'pending', limit: 1, json: false, id, ...(by ? { by } : {}) };
}

/** One comment per line (id, date, unit, text); the text is made safe for a terminal. */
export function formatComment(comment: CommentRecord): string {
  return `${comment.id}  ${comment.submittedAt}  ${comment.unitId}  ${terminalSafe(comment.text)}`;
}

/**
 * A comment is untrusted text: control characters (ANSI escapes could rewrite the moderator's screen) and
 * bidirectional overrides (which could make it read differently than it is) become visible `�`; line breaks
 * become ` ⏎ ` so one comment stays one line.
 */
export function terminalSafe(text: string): string {
  return text.replace(/\r\n|\r|\n/g, ' ⏎ ').replace(/[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, '\uFFFD');
}
