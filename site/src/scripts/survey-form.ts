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
  const dossier = form.querySelector<HTMLInputElement>('#dossierCode');
  const code = query.get('ma');
  if (dossier && code && dossier.value === '') dossier.value = code.slice(0, 64);
}

for (const form of document.querySelectorAll<HTMLFormElement>('form[data-survey]')) {
  carryReceipt(form);
  const summary = form.querySelector<HTMLElement>('[data-error-summary]');
  if (!summary) continue;
  form.noValidate = true;
  form.addEventListener('submit', (event) => {
    const messages = form.dataset;
    const problems: { target: string; text: string }[] = [];
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
      return;
    }
    event.preventDefault();
    const heading = document.createElement('p');
    heading.className = 'error-title';
    heading.textContent = messages.msgSummary ?? '';
    const list = document.createElement('ul');
    for (const problem of problems) {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = `#${problem.target}`;
      link.textContent = problem.text;
      item.append(link);
      list.append(item);
    }
    summary.replaceChildren(heading, list);
    summary.setAttribute('role', 'alert');
    summary.hidden = false;
    summary.focus();
  });
}
