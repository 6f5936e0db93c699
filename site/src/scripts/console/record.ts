import {
  attachmentAnnouncement,
  attachmentUpload,
  uploadInstructionOf,
} from '../../../../shared/auth/attachment-upload.js';
import { versionEtag } from '../../../../shared/publishing/if-match.js';
import { diffRecords } from '../../lib/console/diff.js';
import { contentOf, readValues, writeValues } from '../../lib/console/form-values.js';
import { issueMessage } from '../../lib/console/messages.js';
import { toHex } from '../../lib/console/pem.js';
import { el, type RenderedForm, renderForm } from './form-render.js';
import { chosenType, type RecordType, type RequestForm } from './record-types.js';
import { jsonBytes, type Session } from './session.js';
import { attachUnitFinder } from './unit-finder.js';

/**
 * The conclusion form of the console: publish a new conclusion, or open a published one to correct it (`PUT`
 * with `If-Match`; a 412 shows what changed meanwhile) or retract it. Every check the schemas make runs here
 * before anything is sent; the API's own 422 messages land on the same fields.
 */

type Mode =
  | { readonly kind: 'create' }
  | { readonly kind: 'correct'; readonly id: string; version: number; loaded: Record<string, unknown> };

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export function setUpRecordForm(session: Session): void {
  const { t, lang } = session;
  let type: RecordType = chosenType();
  const form = byId<HTMLFormElement>('record-form');
  const heading = byId<HTMLElement>('record-heading');
  const submit = byId<HTMLButtonElement>('record-submit');
  const result = byId<HTMLElement>('record-result');
  const openStatus = byId<HTMLElement>('open-status');
  const attachment = byId<HTMLInputElement>('attachment');
  const attachmentHash = byId<HTMLElement>('attachment-hash');
  const retract = byId<HTMLElement>('retract');
  const newRecord = byId<HTMLButtonElement>('new-record');
  const retractButton = byId<HTMLButtonElement>('retract-submit');
  const attachmentField = byId<HTMLElement>('attachment-field');
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="recordType"]')) {
    radio.addEventListener('change', () => {
      type = chosenType();
      result.replaceChildren();
      startNew();
    });
  }
  let mode: Mode = { kind: 'create' };
  let rendered: RenderedForm = draw(type.create);

  function draw(kind: RequestForm): RenderedForm {
    return renderForm({
      container: byId('record-fields'),
      summary: byId('record-errors'),
      model: kind.model,
      lang,
      onUnitField: (input, node) => attachUnitFinder(input, session, () => readDate(), node.kind === 'text'),
    });
  }

  function readDate(): string | undefined {
    const value = form.querySelector<HTMLInputElement>('[name="issuedOn"]')?.value;
    return value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined;
  }

  function kindOf(current: Mode): RequestForm {
    return current.kind === 'create' ? type.create : type.correct;
  }

  /** Switches to correcting a record (after opening or publishing it). */
  function startCorrecting(record: Record<string, unknown>): void {
    const id = String(record.id);
    const version = Number(record.version);
    const content = contentOf(type.create.model, record);
    mode = { kind: 'correct', id, version, loaded: content };
    rendered = draw(type.correct);
    rendered.render(writeValues(type.correct.model, content));
    heading.textContent = t('form.headingCorrect', { id });
    submit.textContent = t('form.submitCorrect');
    openStatus.textContent = t('open.loaded', { id, version });
    byId<HTMLElement>('retract-heading').textContent = t('retract.heading', { id });
    retract.hidden = record.status === 'retracted';
    newRecord.hidden = false;
  }

  function startNew(): void {
    mode = { kind: 'create' };
    rendered = draw(type.create);
    attachmentField.hidden = !type.attachment;
    rendered.render(new Map());
    heading.textContent = t('form.heading');
    submit.textContent = t('form.submit');
    openStatus.textContent = '';
    retract.hidden = true;
    newRecord.hidden = true;
  }

  newRecord.addEventListener('click', () => {
    startNew();
    result.replaceChildren();
    form.querySelector<HTMLElement>('input, select, textarea')?.focus();
  });

  let attachmentBytes: Uint8Array | undefined;
  let attachmentSha: string | undefined;
  attachment.addEventListener('change', async () => {
    attachmentBytes = undefined;
    attachmentSha = undefined;
    attachmentHash.textContent = '';
    const file = attachment.files?.[0];
    if (!file) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    // A PDF starts with `%PDF-`; anything else would be refused by the API after the record is published.
    if (new TextDecoder().decode(bytes.subarray(0, 5)) !== '%PDF-') {
      attachmentHash.textContent = t('form.attachmentNotPdf');
      return;
    }
    attachmentBytes = bytes;
    attachmentSha = toHex(await crypto.subtle.digest('SHA-256', bytes));
    attachmentHash.textContent = t('form.attachmentHash', { hash: attachmentSha, bytes: bytes.length });
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void send();
  });

  async function send(): Promise<void> {
    const kind = kindOf(mode);
    result.replaceChildren();
    const { body, fieldOf } = readValues(kind.model, rendered.read());
    const checked = kind.schema.safeParse(body);
    if (!checked.success) {
      rendered.showErrors(
        checked.error.issues.map((issue) => ({
          name: fieldOf(issue.path),
          message: issueMessage(issue as Parameters<typeof issueMessage>[0], lang),
        })),
      );
      return;
    }
    rendered.clearErrors();
    if (!session.key()) {
      result.replaceChildren(el('p', { class: 'notice notice-warn' }, t('key.missing')));
      return;
    }
    result.textContent = t('form.sending');
    result.dataset.state = 'busy';
    submit.disabled = true;
    retractButton.disabled = true;
    try {
      const answer =
        mode.kind === 'create'
          ? await session.send({ method: 'POST', path: type.api(), body: jsonBytes(body) })
          : await session.send({
              method: 'PUT',
              path: type.api(mode.id),
              body: jsonBytes(body),
              headers: { 'if-match': versionEtag(mode.version) },
            });
      await handle(answer, fieldOf);
    } catch (error) {
      result.replaceChildren(
        el('p', { class: 'notice notice-warn' }, t('form.unreachable', { detail: String(error) })),
      );
    } finally {
      submit.disabled = false;
      retractButton.disabled = false;
      result.dataset.state = 'done';
    }
  }

  async function handle(
    answer: Awaited<ReturnType<Session['send']>>,
    fieldOf: (path: readonly PropertyKey[]) => string,
  ): Promise<void> {
    const json = answer.json ?? {};
    if (answer.status === 200 || answer.status === 201) {
      const id = String(json.id);
      const version = Number(json.version);
      const page = type.page(lang, json);
      const done = el(
        'p',
        {},
        t(mode.kind === 'create' && answer.status === 200 ? 'form.unchanged' : 'form.published', { id, version }),
      );
      const links = el(
        'ul',
        {},
        el('li', {}, el('a', { href: page.href, 'data-record-link': '' }, t(page.label))),
        el('li', {}, el('a', { href: type.api(id) }, t('form.apiLink'))),
      );
      // The form holds the published version at once: the next send corrects it, whatever the PDF's upload does.
      startCorrecting(json);
      result.replaceChildren(done, links, el('p', { class: 'note' }, t('form.recordNote')));
      if (attachmentBytes && attachmentSha) {
        const bytes = attachmentBytes;
        const sha256 = attachmentSha;
        // Attached once: a later correction does not send the same file again.
        attachmentBytes = undefined;
        attachmentSha = undefined;
        attachment.value = '';
        attachmentHash.textContent = '';
        result.append(await attach(id, bytes, sha256));
      }
      return;
    }
    if (answer.status === 422 && Array.isArray(json.errors)) {
      const errors = (json.errors as { path?: unknown; message?: unknown }[]).map((error) => ({
        name: fieldOf(
          String(error.path ?? '')
            .split('.')
            .filter((part) => part !== ''),
        ),
        message: issueMessage({ message: String(error.message ?? '') }, lang),
      }));
      result.replaceChildren();
      rendered.showErrors(errors);
      return;
    }
    if (answer.status === 412 && mode.kind === 'correct') {
      await showConflict(mode);
      return;
    }
    result.replaceChildren(
      el(
        'p',
        { class: 'notice notice-warn' },
        t('form.refused', { status: answer.status, detail: session.describe(answer) }),
      ),
    );
  }

  /** 412: someone changed the record since it was opened; show what, and correct the new version next time. */
  async function showConflict(current: Extract<Mode, { kind: 'correct' }>): Promise<void> {
    const latest = await session.send({ method: 'GET', path: type.api(current.id) });
    const record = latest.json ?? {};
    const content = contentOf(type.create.model, record);
    const changes = diffRecords(current.loaded, content);
    const version = Number(record.version);
    const table = el(
      'table',
      { class: 'conflict' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', { scope: 'col' }, t('form.conflictField')),
          el('th', { scope: 'col' }, t('form.conflictBefore')),
          el('th', { scope: 'col' }, t('form.conflictAfter')),
        ),
      ),
      el(
        'tbody',
        {},
        ...changes.map((change) =>
          el(
            'tr',
            {},
            el('th', { scope: 'row' }, change.path),
            el('td', {}, change.before),
            el('td', {}, change.after),
          ),
        ),
      ),
    );
    current.version = version;
    current.loaded = content;
    openStatus.textContent = t('open.loaded', { id: current.id, version });
    result.replaceChildren(
      el('p', { class: 'notice notice-warn' }, t('form.conflict', { version })),
      el('div', { class: 'table-scroll' }, table),
      el('p', {}, t('form.conflictReload', { version })),
    );
    result.focus();
  }

  /** Announces the PDF by its hash and size, then uploads it where the API says (signed when it is the API). */
  async function attach(id: string, bytes: Uint8Array, sha256: string): Promise<HTMLElement> {
    const announced = await session.send(attachmentAnnouncement(type.api(id), sha256, bytes));
    const upload = uploadInstructionOf(announced);
    if (!upload) {
      return el('p', { class: 'notice notice-warn' }, t('form.attachFailed', { detail: session.describe(announced) }));
    }
    // In AWS the bytes go to a pre-signed S3 address on another origin, which this page's CSP (connect-src 'self')
    // does not reach: say so instead of failing in the console (docs/publishing.md, "In the browser").
    if (new URL(upload.url, window.location.origin).origin !== window.location.origin) {
      return el('p', { class: 'notice notice-warn' }, t('form.attachElsewhere', { hash: sha256 }));
    }
    const uploaded = await session.send(attachmentUpload(upload, bytes));
    if (uploaded.status >= 300)
      return el('p', { class: 'notice notice-warn' }, t('form.attachFailed', { detail: session.describe(uploaded) }));
    return el('p', {}, t('form.attached', { hash: sha256 }));
  }

  // Opening a published record to correct or retract it.
  const openForm = byId<HTMLFormElement>('open-form');
  openForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void open(byId<HTMLInputElement>('open-id').value.trim());
  });

  async function open(id: string): Promise<void> {
    if (id === '') return;
    result.replaceChildren();
    const answer = await session.send({ method: 'GET', path: type.api(id) });
    if (answer.status !== 200 || !answer.json) {
      openStatus.textContent = t('open.notFound', { id });
      return;
    }
    startCorrecting(answer.json);
    heading.scrollIntoView();
    form.querySelector<HTMLElement>('input, select, textarea')?.focus();
  }

  session.onKey((key) => void listRecords(key?.agencyId));

  /** The agency's conclusions in the open data (`/data/conclusions.json`), as buttons that open them. */
  async function listRecords(agencyId: string | undefined): Promise<void> {
    const box = byId<HTMLElement>('open-list');
    box.replaceChildren();
    if (!agencyId) return;
    const response = await fetch('/data/conclusions.json').catch(() => undefined);
    const index = response?.ok ? ((await response.json()) as unknown) : [];
    const entries = (Array.isArray(index) ? index : ((index as { conclusions?: unknown[] }).conclusions ?? [])) as {
      id: string;
      agency: string;
      documentNumber: string;
      issuedOn: string;
      status: string;
    }[];
    const mine = entries.filter((entry) => entry.agency === agencyId);
    if (mine.length === 0) {
      box.append(el('p', { class: 'note' }, t('open.listEmpty')));
      return;
    }
    const list = el('ul', { class: 'inline-list' });
    for (const entry of mine.slice(0, 200)) {
      const button = el(
        'button',
        { type: 'button', class: 'secondary' },
        `${entry.documentNumber} (${entry.issuedOn})`,
      );
      button.addEventListener('click', () => {
        // The list is of conclusions: open it as one.
        const radio = document.querySelector<HTMLInputElement>('input[name="recordType"][value="conclusions"]');
        if (radio && !radio.checked) {
          radio.checked = true;
          type = chosenType();
        }
        void open(entry.id);
      });
      list.append(el('li', {}, button));
    }
    box.append(el('h3', {}, t('open.list')), list);
  }

  // Retraction of the record being corrected.
  const retractForm = byId<HTMLFormElement>('retract-form');
  retractForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void retractRecord();
  });

  async function retractRecord(): Promise<void> {
    if (mode.kind !== 'correct') return;
    const reasonInput = byId<HTMLInputElement>('retract-reason');
    const reasonError = byId<HTMLElement>('retract-reason-error');
    const retractResult = byId<HTMLElement>('retract-result');
    const reason = reasonInput.value.trim();
    reasonError.textContent = '';
    reasonInput.removeAttribute('aria-invalid');
    if (reason === '') {
      reasonError.textContent = issueMessage({ code: 'invalid_type', message: 'required' }, lang);
      reasonInput.setAttribute('aria-invalid', 'true');
      reasonInput.focus();
      return;
    }
    if (!session.key()) {
      retractResult.replaceChildren(el('p', { class: 'notice notice-warn' }, t('key.missing')));
      return;
    }
    result.dataset.state = 'busy';
    retractButton.disabled = true;
    submit.disabled = true;
    try {
      await sendRetraction(mode, reason);
    } catch (error) {
      retractResult.replaceChildren(
        el('p', { class: 'notice notice-warn' }, t('form.unreachable', { detail: String(error) })),
      );
    } finally {
      retractButton.disabled = false;
      submit.disabled = false;
      result.dataset.state = 'done';
    }
  }

  async function sendRetraction(current: Extract<Mode, { kind: 'correct' }>, reason: string): Promise<void> {
    const retractResult = byId<HTMLElement>('retract-result');
    const answer = await session.send({
      method: 'POST',
      path: `${type.api(current.id)}/retraction`,
      body: jsonBytes({ reason }),
      headers: { 'if-match': versionEtag(current.version) },
    });
    if (answer.status === 200 && answer.json) {
      const id = String(answer.json.id);
      retractResult.replaceChildren();
      startCorrecting(answer.json);
      // The retraction form hides once the record is retracted: the outcome is told beside the record's form.
      result.replaceChildren(
        el('p', {}, t('retract.done', { id, version: Number(answer.json.version) })),
        el(
          'p',
          {},
          el(
            'a',
            { href: type.page(lang, answer.json).href, 'data-record-link': '' },
            t(type.page(lang, answer.json).label),
          ),
        ),
      );
      result.focus();
      return;
    }
    if (answer.status === 412) {
      await showConflict(current);
      return;
    }
    retractResult.replaceChildren(
      el(
        'p',
        { class: 'notice notice-warn' },
        t('form.refused', { status: answer.status, detail: session.describe(answer) }),
      ),
    );
  }

  startNew();
}
