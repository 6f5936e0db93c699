import { isFinalStatus } from '../../../../shared/auth/signed-fetch.js';
import { parseCsv, writeCsv } from '../../lib/console/csv.js';
import { type FieldNode, leafNames } from '../../lib/console/form-model.js';
import { readValues } from '../../lib/console/form-values.js';
import { issueMessage } from '../../lib/console/messages.js';
import { toHex } from '../../lib/console/pem.js';
import { chosenType } from './record-types.js';
import { jsonBytes, type Session } from './session.js';

/**
 * Bulk upload from a CSV file: one record a row (of the kind chosen on the page), columns named by the form's field names. Every row is
 * checked against the schema first; the valid ones are sent (a few at a time, retried when the failure may
 * pass), with a progress bar, and a report lists every row not accepted with its field and reason. Like the
 * CLI's `--bulk`, it resumes: the result of each row is kept in this browser under the file's hash, and choosing
 * the same file again sends only the rows without a final result (changed rows are sent again).
 */

interface RowResult {
  /** SHA-256 (first 16 hex digits) of the row's body: a changed row is sent again. */
  readonly hash: string;
  readonly status: number;
  readonly id?: string;
  /** Why a refused row was refused, to report it again without sending it again. */
  readonly failures?: readonly Omit<Failure, 'row'>[];
}

interface Failure {
  readonly row: number;
  readonly field: string;
  readonly reason: string;
}

const CONCURRENCY = 4;
const ATTEMPTS = 3;
const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** Rows of each list in the template: enough for most conclusions, never more than the schema allows. */
function templateRows(node: FieldNode): number {
  return Math.min(node.kind === 'rows' ? (node.maxItems ?? 3) : 1, 3);
}

async function shortHash(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))).slice(0, 16);
}

export function setUpBulk(session: Session): void {
  const { t, lang } = session;
  const columnsOf = (model: Parameters<typeof leafNames>[0]) => leafNames(model, templateRows).map((leaf) => leaf.name);
  const progress = byId<HTMLProgressElement>('bulk-progress');
  const status = byId<HTMLElement>('bulk-status');
  const report = byId<HTMLElement>('bulk-report');

  byId<HTMLButtonElement>('bulk-template').addEventListener('click', () => {
    const type = chosenType();
    const header = columnsOf(type.create.model);
    const url = URL.createObjectURL(new Blob([writeCsv([header])], { type: 'text/csv;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `${type.name}-template.csv`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });

  byId<HTMLFormElement>('bulk-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const file = byId<HTMLInputElement>('bulk-file').files?.[0];
    if (file) void run(file);
  });

  function showReport(failures: readonly Failure[]): void {
    if (failures.length === 0) {
      report.replaceChildren();
      return;
    }
    const table = document.createElement('table');
    table.id = 'bulk-failures';
    const caption = document.createElement('caption');
    caption.textContent = `${t('bulk.report')} (${failures.length})`;
    const head = document.createElement('thead');
    const headRow = document.createElement('tr');
    for (const key of ['bulk.row', 'bulk.field', 'bulk.reason'] as const) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = t(key);
      headRow.append(th);
    }
    head.append(headRow);
    const body = document.createElement('tbody');
    for (const failure of [...failures].sort((a, b) => a.row - b.row)) {
      const tr = document.createElement('tr');
      for (const text of [String(failure.row), failure.field, failure.reason]) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      body.append(tr);
    }
    table.append(caption, head, body);
    const scroll = document.createElement('div');
    scroll.className = 'table-scroll';
    scroll.append(table);
    report.replaceChildren(scroll);
  }

  async function run(file: File): Promise<void> {
    const type = chosenType();
    const model = type.create.model;
    const columns = columnsOf(model);
    const text = await file.text();
    const storageKey = `agency-console:bulk:${type.name}:${await shortHash(text)}`;
    const previous: Record<string, RowResult> = JSON.parse(localStorage.getItem(storageKey) ?? '{}');
    const save = () => localStorage.setItem(storageKey, JSON.stringify(previous));
    const [header, ...rows] = parseCsv(text);
    const failures: Failure[] = [];
    if (!header || rows.length === 0) {
      status.textContent = t('bulk.empty');
      return;
    }
    const unknown = header.fields.filter((name) => name !== '' && !columns.includes(name));
    if (unknown.length > 0) {
      showReport(unknown.map((name) => ({ row: header.line, field: name, reason: t('bulk.unknownColumn') })));
      return;
    }

    const counts = { created: 0, unchanged: 0, skipped: 0, failed: 0, done: 0 };
    const total = rows.length;
    const tell = () => {
      progress.max = total;
      progress.value = counts.done;
      status.textContent = t('bulk.status', { ...counts, total });
    };
    const todo: {
      line: number;
      body: Record<string, unknown>;
      hash: string;
      fieldOf: (p: readonly PropertyKey[]) => string;
    }[] = [];
    for (const row of rows) {
      const values = new Map<string, string[]>();
      header.fields.forEach((name, column) => {
        if (name !== '') values.set(name, [row.fields[column] ?? '']);
      });
      const { body, fieldOf } = readValues(model, values);
      const checked = type.create.schema.safeParse(body);
      if (!checked.success) {
        for (const issue of checked.error.issues) {
          failures.push({
            row: row.line,
            field: fieldOf(issue.path),
            reason: issueMessage(issue as Parameters<typeof issueMessage>[0], lang),
          });
        }
        counts.failed += 1;
        counts.done += 1;
        continue;
      }
      const hash = await shortHash(JSON.stringify(body));
      const done = previous[row.line];
      // As the CLI's --bulk: a row with a final answer for the same content is not sent again.
      if (done && done.hash === hash && isFinalStatus(done.status)) {
        if (done.status < 300) counts.skipped += 1;
        else {
          counts.failed += 1;
          for (const failure of done.failures ?? []) failures.push({ row: row.line, ...failure });
        }
        counts.done += 1;
        continue;
      }
      todo.push({ line: row.line, body, hash, fieldOf });
    }
    tell();
    showReport(failures);

    let next = 0;
    const worker = async (): Promise<void> => {
      for (let at = next++; at < todo.length; at = next++) {
        const item = todo[at];
        if (!item) continue;
        let answer: Awaited<ReturnType<Session['send']>> | undefined;
        let problem = '';
        for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
          try {
            answer = await session.send({ method: 'POST', path: type.api(), body: jsonBytes(item.body) });
            if (isFinalStatus(answer.status)) break;
            problem = session.describe(answer);
          } catch (error) {
            answer = undefined;
            problem = t('form.unreachable', { detail: String(error) });
          }
          await new Promise((resolve) => setTimeout(resolve, 300 * 2 ** attempt));
        }
        if (answer && answer.status < 300) {
          if (answer.status === 201) counts.created += 1;
          else counts.unchanged += 1;
          previous[item.line] = { hash: item.hash, status: answer.status, id: String(answer.json?.id ?? '') };
        } else {
          counts.failed += 1;
          const errors = Array.isArray(answer?.json?.errors)
            ? (answer.json.errors as { path?: unknown; message?: unknown }[])
            : [];
          const refused =
            answer && errors.length > 0
              ? errors.map((error) => ({
                  field: item.fieldOf(
                    String(error.path ?? '')
                      .split('.')
                      .filter((part) => part !== ''),
                  ),
                  reason: issueMessage({ message: String(error.message ?? '') }, lang),
                }))
              : [{ field: '', reason: answer ? session.describe(answer) : problem }];
          for (const failure of refused) failures.push({ row: item.line, ...failure });
          if (answer) previous[item.line] = { hash: item.hash, status: answer.status, failures: refused };
        }
        save();
        counts.done += 1;
        tell();
      }
    };
    if (!session.key() && todo.length > 0) {
      status.textContent = t('key.missing');
      return;
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    tell();
    showReport(failures);
  }
}
