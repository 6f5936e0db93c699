/**
 * The survey form island: before sending, lists what is missing in one summary (with links to each field)
 * and moves focus to it, instead of the browser's one-bubble-at-a-time messages. Without JavaScript the
 * form still validates natively (`required`, `maxlength`) and the API checks everything again.
 */

/**
 * Opened from a dossier receipt's QR code (`?receipt=…&ma=…&kenh=qr`, `npm run admin -- receipt`): the receipt
 * goes into its hidden field, so the response is verified, and the dossier code is filled in when empty.
 */
function carryReceipt(form: HTMLFormElement): void {
  const query = new URLSearchParams(window.location.search);
  const receipt = query.get('receipt');
  const receiptField = form.querySelector<HTMLInputElement>('[data-receipt]');
  if (receipt && receiptField && /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(receipt)) {
    receiptField.value = receipt;
  }
  const channel = form.querySelector<HTMLInputElement>('[data-channel]');
  if (channel && query.get('kenh') === 'qr') channel.value = 'qr';
  // A provincial centre's link or QR code may name the branch it was printed for (`?chi-nhanh=`).
  const branch = form.querySelector<HTMLInputElement>('[data-branch]');
  const label = query.get('chi-nhanh');
  if (branch && label && branch.value === '')
    branch.value = label.slice(0, branch.maxLength > 0 ? branch.maxLength : 80);
  const dossier = form.querySelector<HTMLInputElement>('#dossierCode');
  const code = query.get('ma');
  if (dossier && code && dossier.value === '') dossier.value = code.slice(0, 64);
}

interface Problem {
  readonly target: string;
  readonly text: string;
}

/** Fills the summary with one linked line per problem, announces it and moves focus to it. */
function showSummary(summary: HTMLElement, title: string, problems: readonly Problem[]): void {
  const heading = document.createElement('p');
  heading.className = 'error-title';
  heading.textContent = title;
  const list = document.createElement('ul');
  for (const problem of problems) {
    const item = document.createElement('li');
    if (problem.target) {
      const link = document.createElement('a');
      link.href = `#${problem.target}`;
      link.textContent = problem.text;
      item.append(link);
    } else {
      item.textContent = problem.text;
    }
    list.append(item);
  }
  summary.replaceChildren(heading, list);
  summary.setAttribute('role', 'alert');
  summary.hidden = false;
  summary.focus();
}

/** Marks a control (or its radio group) invalid, so assistive technology says so on the field itself. */
function markInvalid(form: HTMLFormElement, target: string): void {
  const control = target ? form.querySelector<HTMLElement>(`#${CSS.escape(target)}`) : null;
  if (!control) return;
  const group = control.closest('fieldset');
  (group ?? control).setAttribute('aria-invalid', 'true');
}

/** Where what was typed waits while the API sends a refused post back to this page (this tab only). */
function storageKey(form: HTMLFormElement): string {
  return `survey-form:${form.querySelector<HTMLInputElement>('input[name="unit"]')?.value ?? ''}`;
}
/** Fields never kept: hidden ones come from the page or the address again, the honeypot stays empty. */
const NOT_KEPT = new Set(['unit', 'lang', 'receipt', 'channel', 'website']);

function keepValues(form: HTMLFormElement): void {
  const values: [string, string][] = [];
  for (const [name, value] of new FormData(form)) {
    if (typeof value === 'string' && !NOT_KEPT.has(name)) values.push([name, value]);
  }
  try {
    sessionStorage.setItem(storageKey(form), JSON.stringify(values));
  } catch {
    // Storage may be off (private mode): the citizen then types again, as without JavaScript.
  }
}

function restoreValues(form: HTMLFormElement): void {
  let values: unknown;
  try {
    values = JSON.parse(sessionStorage.getItem(storageKey(form)) ?? '[]');
    sessionStorage.removeItem(storageKey(form));
  } catch {
    return;
  }
  if (!Array.isArray(values)) return;
  for (const entry of values) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'string') continue;
    const field = form.elements.namedItem(entry[0]);
    if (field instanceof RadioNodeList || field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) {
      field.value = entry[1];
    }
  }
}

/**
 * A refused post came back (`?loi=…`, shared/surveys/form.ts): every named error goes into the summary, in the
 * order of the form, with its field marked; the page's one-message-per-error blocks give the wording.
 */
function showServerErrors(form: HTMLFormElement, summary: HTMLElement): void {
  const named = new Set((new URLSearchParams(window.location.search).get('loi') ?? '').split(','));
  const blocks = [...form.querySelectorAll<HTMLElement>('[data-form-error]')];
  const problems: Problem[] = [];
  let title = '';
  for (const block of blocks) {
    if (named.has(block.dataset.formError ?? '')) {
      title ||= block.querySelector('.error-title')?.textContent ?? '';
      problems.push({ target: block.dataset.target ?? '', text: block.lastElementChild?.textContent?.trim() ?? '' });
    }
    // The summary replaces the blocks (the one the fragment shows included), so nothing is said twice.
    block.remove();
  }
  if (problems.length === 0) return;
  restoreValues(form);
  for (const problem of problems) markInvalid(form, problem.target);
  showSummary(summary, title, problems);
}

for (const form of document.querySelectorAll<HTMLFormElement>('form[data-survey]')) {
  carryReceipt(form);
  const summary = form.querySelector<HTMLElement>('[data-error-summary]');
  if (!summary) continue;
  showServerErrors(form, summary);
  form.noValidate = true;
  form.addEventListener('submit', (event) => {
    const messages = form.dataset;
    const problems: Problem[] = [];
    const dossier = form.querySelector<HTMLInputElement>('#dossierCode');
    if (dossier && dossier.value.trim().length < Math.max(1, dossier.minLength))
      problems.push({ target: dossier.id, text: messages.msgDossier ?? '' });
    for (const fieldset of form.querySelectorAll<HTMLFieldSetElement>('fieldset[data-required]')) {
      const missing = fieldset.querySelector('input:checked') === null;
      if (missing) fieldset.setAttribute('aria-invalid', 'true');
      else fieldset.removeAttribute('aria-invalid');
      if (missing) {
        const first = fieldset.querySelector<HTMLInputElement>('input');
        problems.push({
          target: first?.id ?? '',
          text: (messages.msgRequired ?? '').replace('{field}', fieldset.dataset.label ?? ''),
        });
      }
    }
    const comment = form.querySelector<HTMLTextAreaElement>('#comment');
    if (comment && comment.maxLength > 0 && comment.value.normalize('NFC').length > comment.maxLength) {
      problems.push({ target: comment.id, text: messages.msgComment ?? '' });
    }
    if (problems.length === 0) {
      summary.hidden = true;
      keepValues(form);
      return;
    }
    event.preventDefault();
    showSummary(summary, messages.msgSummary ?? '', problems);
  });
}
