import { consoleText, fieldLabel, optionLabel } from '../../i18n/console.js';
import { type FieldNode, type FormModel, holdsUnitCodes } from '../../lib/console/form-model.js';
import { type FormValues, rowIndexes } from '../../lib/console/form-values.js';
import type { Lang } from '../../lib/lang.js';

/**
 * Draws a form model as accessible HTML (labels, hints, fieldsets with legends, an error slot per field tied by
 * `aria-describedby`), reads it back as flat values, and shows validation messages on the fields and in a
 * summary whose links move focus to them. Lists are redrawn whole when a row is added or removed, so their
 * field names stay contiguous (`discipline.0`, `discipline.1`).
 */

type Hook = (input: HTMLInputElement, node: FieldNode, name: string) => void;

export interface RenderedForm {
  /** Draws the fields again with these values (and rows for at least them). */
  render(values: FormValues): void;
  read(): Map<string, string[]>;
  clearErrors(): void;
  /** Shows messages by field name; returns the number shown. */
  showErrors(errors: readonly { name: string; message: string }[]): void;
}

/** A DOM id from a field name: `discipline.0.form` → `f-discipline-0-form`. */
export function fieldId(name: string): string {
  return `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/** An element with attributes and children: the console builds its DOM with this, never with HTML strings. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}

export function renderForm(options: {
  readonly container: HTMLElement;
  readonly summary: HTMLElement;
  readonly model: FormModel;
  readonly lang: Lang;
  /** Called for each unit-code field, to add the unit finder. */
  readonly onUnitField?: Hook;
  /** Field names not part of the record (attachment, reason) that read() leaves out. */
  readonly exclude?: readonly string[];
}): RenderedForm {
  const { container, summary, model, lang } = options;
  const t = consoleText(lang);
  /** Rows asked for beyond those with values, per list name. */
  const extraRows = new Map<string, number>();
  let current: FormValues = new Map();

  const requiredMark = (node: FieldNode) =>
    el('span', { class: 'req' }, ` ${node.required ? t('form.required') : t('form.optional')}`);

  function errorSlot(id: string): HTMLElement {
    return el('p', { id: `${id}-error`, class: 'field-error' });
  }

  function leaf(node: FieldNode, name: string, label: string): HTMLElement {
    const id = fieldId(name);
    const box = el('div', { class: 'field', 'data-name': name });
    const hints: string[] = [];
    const hintFor = (text: string) => {
      hints.push(`${id}-hint`);
      return el('p', { id: `${id}-hint`, class: 'hint' }, text);
    };
    const value = current.get(name) ?? [];
    if (node.kind === 'choices') {
      const set = el('fieldset', { id, 'data-name': name, 'aria-describedby': `${id}-error` });
      set.append(el('legend', {}, label, requiredMark(node)));
      node.options.forEach((option, index) => {
        const input = el('input', { type: 'checkbox', name, value: option, id: `${id}-${index}` });
        input.checked = value.includes(option);
        set.append(el('label', { class: 'check', for: `${id}-${index}` }, input, ` ${optionLabel(option, lang)}`));
      });
      set.append(errorSlot(id));
      return set;
    }
    box.append(el('label', { for: id }, label, requiredMark(node)));
    let control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
    switch (node.kind) {
      case 'choice': {
        const select = el('select', { id, name });
        select.append(el('option', { value: '' }, t('form.choose')));
        for (const option of node.options) select.append(el('option', { value: option }, optionLabel(option, lang)));
        select.value = value[0] ?? '';
        control = select;
        break;
      }
      case 'boolean': {
        const input = el('input', { id, name, type: 'checkbox', value: 'true' });
        input.checked = value[0] === 'true';
        control = input;
        break;
      }
      case 'lines':
        box.append(hintFor(t('form.linesHint')));
        control = el('textarea', { id, name, rows: '3' });
        control.value = value[0] ?? '';
        break;
      default: {
        if (node.kind === 'text' && node.multiline) {
          control = el('textarea', { id, name, rows: '6' });
          control.value = value[0] ?? '';
          break;
        }
        if (node.kind === 'date') box.append(hintFor(t('form.dateHint')));
        if (node.kind === 'codes' && holdsUnitCodes(node)) box.append(hintFor(t('form.codesHint')));
        const input = el('input', { id, name, type: 'text', spellcheck: 'false' });
        if (node.kind === 'integer' || node.kind === 'number') input.setAttribute('inputmode', 'numeric');
        if (node.kind === 'date') input.setAttribute('placeholder', 'YYYY-MM-DD');
        input.value = value[0] ?? '';
        control = input;
      }
    }
    control.setAttribute('aria-describedby', [...hints, `${id}-error`].join(' '));
    box.append(control, errorSlot(id));
    if (holdsUnitCodes(node) && control instanceof HTMLInputElement) options.onUnitField?.(control, node, name);
    return box;
  }

  function draw(node: FieldNode, name: string): HTMLElement {
    const label = fieldLabel(node.generic, node.key, lang);
    if (node.kind === 'group') {
      const set = el('fieldset', {
        id: fieldId(name),
        'data-name': name,
        'aria-describedby': `${fieldId(name)}-error`,
      });
      set.append(el('legend', {}, label, requiredMark(node)));
      for (const child of node.children) set.append(draw(child, `${name}.${child.key}`));
      set.append(errorSlot(fieldId(name)));
      return set;
    }
    if (node.kind === 'rows') return drawRows(node, name, label);
    return leaf(node, name, label);
  }

  function drawRows(node: Extract<FieldNode, { kind: 'rows' }>, name: string, label: string): HTMLElement {
    const id = fieldId(name);
    const set = el('fieldset', { id, 'data-name': name, 'aria-describedby': `${id}-error` });
    set.append(el('legend', {}, label, requiredMark(node)));
    const itemLabel = fieldLabel(node.item.generic, node.key, lang);
    const count = rowCount(name, node);
    for (let index = 0; index < count; index++) {
      const rowName = `${name}.${index}`;
      const row = el('fieldset', { class: 'console-row', id: fieldId(rowName), 'data-name': rowName });
      row.append(el('legend', {}, t('form.row', { label, n: index + 1 })));
      if (node.item.kind === 'group') {
        for (const child of node.item.children) row.append(draw(child, `${rowName}.${child.key}`));
      } else row.append(leaf(node.item, rowName, itemLabel));
      const remove = el(
        'button',
        { type: 'button', class: 'secondary', 'data-remove-row': rowName },
        t('form.removeRow', { n: index + 1, label }),
      );
      remove.addEventListener('click', () => removeRow(name, index));
      row.append(remove);
      set.append(row);
    }
    const add = el('button', { type: 'button', class: 'secondary', 'data-add-row': name }, t('form.addRow', { label }));
    if (node.maxItems !== undefined && count >= node.maxItems) add.disabled = true;
    add.addEventListener('click', () => addRow(name));
    set.append(add, errorSlot(id));
    return set;
  }

  function rowCount(name: string, node: FieldNode): number {
    const present = rowIndexes(current, name);
    const fromValues = present.length > 0 ? Math.max(...present) + 1 : 0;
    return Math.max(fromValues + (extraRows.get(name) ?? 0), node.required ? 1 : 0);
  }

  function addRow(name: string): void {
    current = read();
    extraRows.set(name, (extraRows.get(name) ?? 0) + 1);
    redraw();
    const rows = container.querySelectorAll<HTMLElement>(`[data-name="${CSS.escape(name)}"] > .console-row`);
    rows[rows.length - 1]?.querySelector<HTMLElement>('input, select, textarea')?.focus();
  }

  function removeRow(name: string, index: number): void {
    const values = read();
    const prefix = `${name}.`;
    const next = new Map<string, string[]>();
    for (const [key, value] of values) {
      if (!key.startsWith(prefix)) {
        next.set(key, value);
        continue;
      }
      const [head, ...rest] = key.slice(prefix.length).split('.');
      const at = Number(head);
      if (at === index) continue;
      next.set([name, String(at > index ? at - 1 : at), ...rest].join('.'), value);
    }
    const rowsWithValues = rowIndexes(values, name);
    // A removed row that had no values counted as an extra row.
    if (!rowsWithValues.includes(index)) extraRows.set(name, Math.max(0, (extraRows.get(name) ?? 0) - 1));
    current = next;
    redraw();
    container.querySelector<HTMLElement>(`[data-add-row="${CSS.escape(name)}"]`)?.focus();
  }

  function redraw(): void {
    container.replaceChildren(...model.fields.map((node) => draw(node, node.key)));
  }

  function read(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const element of container.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
      'input[name], select[name], textarea[name]',
    )) {
      if (options.exclude?.includes(element.name)) continue;
      const list = out.get(element.name) ?? [];
      if (element instanceof HTMLInputElement && element.type === 'checkbox') {
        if (element.checked) list.push(element.value);
      } else list.push(element.value);
      out.set(element.name, list);
    }
    // Every field of a row is present (possibly empty) so rows are found even if only their checkboxes are empty.
    return out;
  }

  function clearErrors(): void {
    summary.hidden = true;
    summary.replaceChildren();
    for (const slot of container.querySelectorAll('.field-error')) slot.textContent = '';
    for (const bad of container.querySelectorAll('[aria-invalid]')) bad.removeAttribute('aria-invalid');
  }

  /** The element that shows a field's message: the field, or the nearest enclosing field or list. */
  function target(name: string): HTMLElement | undefined {
    let at = name;
    for (;;) {
      const found = container.querySelector<HTMLElement>(`[data-name="${CSS.escape(at)}"]`);
      if (found) return found;
      if (!at.includes('.')) return undefined;
      at = at.slice(0, at.lastIndexOf('.'));
    }
  }

  function showErrors(errors: readonly { name: string; message: string }[]): void {
    clearErrors();
    if (errors.length === 0) return;
    const list = el('ul');
    for (const error of errors) {
      const box = target(error.name);
      const id = box ? box.id || fieldId(box.dataset.name ?? '') : '';
      const control =
        box?.matches('fieldset') === true
          ? box
          : (box?.querySelector<HTMLElement>('input, select, textarea') ?? undefined);
      control?.setAttribute('aria-invalid', 'true');
      const slotId = control?.id ? `${control.id}-error` : `${id}-error`;
      const slot = container.querySelector(`#${CSS.escape(slotId)}`);
      if (slot) slot.textContent = slot.textContent ? `${slot.textContent}; ${error.message}` : error.message;
      const label = box ? labelText(box) : error.name;
      const link = el('a', { href: `#${control?.id ?? id}` }, `${label}: ${error.message}`);
      list.append(el('li', {}, link));
    }
    summary.replaceChildren(el('p', { class: 'error-title' }, t('form.errors', { n: errors.length })), list);
    summary.hidden = false;
    summary.focus();
  }

  function labelText(box: HTMLElement): string {
    const label = box.matches('fieldset') ? box.querySelector('legend') : box.querySelector('label');
    const text = label?.firstChild?.textContent ?? box.dataset.name ?? '';
    const row = box.closest('.console-row')?.querySelector('legend')?.textContent;
    return row && !box.matches('.console-row') ? `${row} · ${text}` : text;
  }

  return {
    render(values) {
      current = values;
      extraRows.clear();
      redraw();
    },
    read,
    clearErrors,
    showErrors,
  };
}
