import { type UnitEntry, UnitIndex } from '../../lib/console/units.js';
import type { Session } from './session.js';

/**
 * The unit finder beside a unit-code field: search the published registry (`/data/units.json`) by name, with or
 * without diacritics, or by code, and add a unit's code to the field; below the field, the names of the codes it
 * holds, read as the units in force on the conclusion's date. Plain buttons in a list, reachable by keyboard.
 */

let index: Promise<UnitIndex> | undefined;

function loadUnits(): Promise<UnitIndex> {
  index ??= fetch('/data/units.json')
    .then((response) => (response.ok ? response.json() : []))
    .then((data: unknown) => {
      const units = (Array.isArray(data) ? data : ((data as { units?: unknown[] }).units ?? [])) as UnitEntry[];
      return new UnitIndex(units);
    })
    .catch(() => new UnitIndex([]));
  return index;
}

let finders = 0;

/** Adds the finder to a unit-code field; `single` when the field holds one code (adding replaces it). */
export function attachUnitFinder(
  input: HTMLInputElement,
  session: Session,
  date: () => string | undefined,
  single = false,
): void {
  const { t } = session;
  const n = ++finders;
  const box = document.createElement('div');
  box.className = 'unit-finder';
  const chosen = document.createElement('p');
  chosen.className = 'hint';
  chosen.id = `${input.id}-units`;
  chosen.setAttribute('aria-live', 'polite');
  input.setAttribute('aria-describedby', `${input.getAttribute('aria-describedby') ?? ''} ${chosen.id}`.trim());

  const label = document.createElement('label');
  label.htmlFor = `unit-search-${n}`;
  label.textContent = t('form.unitSearch');
  const hint = document.createElement('p');
  hint.className = 'hint';
  hint.id = `unit-search-${n}-hint`;
  hint.textContent = t('form.unitSearchHint');
  const row = document.createElement('div');
  row.className = 'search-row';
  const search = document.createElement('input');
  search.type = 'search';
  search.id = `unit-search-${n}`;
  search.setAttribute('aria-describedby', hint.id);
  search.autocomplete = 'off';
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'secondary';
  button.textContent = t('form.unitSearchButton');
  row.append(search, button);
  const results = document.createElement('div');
  results.setAttribute('aria-live', 'polite');
  box.append(label, hint, row, results);
  input.after(chosen);
  input.parentElement?.append(box);

  const codes = () => input.value.split(/[\s,;]+/).filter((code) => code !== '');

  async function describeChosen(): Promise<void> {
    const units = await loadUnits();
    const names = codes().map((code) => {
      const unit = units.byCode(code, date());
      return `${code}: ${unit ? units.label(unit) : t('form.unitUnknown')}`;
    });
    chosen.textContent = names.length > 0 ? `${t('form.unitsChosen')}: ${names.join('; ')}` : '';
  }

  async function find(): Promise<void> {
    const units = await loadUnits();
    const matches = units.search(search.value, date());
    const list = document.createElement('ul');
    list.className = 'unit-results';
    for (const match of matches) {
      const add = document.createElement('button');
      add.type = 'button';
      add.className = 'secondary';
      add.dataset.unitCode = match.unit.code;
      add.textContent = t('form.unitAdd', { code: match.unit.code, name: match.label });
      add.addEventListener('click', () => {
        const present = codes();
        if (!present.includes(match.unit.code)) {
          input.value = single ? match.unit.code : [...present, match.unit.code].join(', ');
        }
        void describeChosen();
        input.focus();
      });
      const item = document.createElement('li');
      item.append(add);
      list.append(item);
    }
    const count = document.createElement('p');
    count.textContent = t('form.unitResults', { n: matches.length });
    results.replaceChildren(count, list);
  }

  button.addEventListener('click', () => void find());
  search.addEventListener('keydown', (event) => {
    // Enter searches instead of sending the whole form.
    if (event.key === 'Enter') {
      event.preventDefault();
      void find();
    }
  });
  input.addEventListener('change', () => void describeChosen());
  if (input.value) void describeChosen();
}
