/**
 * The search island: loads Pagefind's index for the page's language and lists matches. Progressive
 * enhancement only: without JavaScript the page says so and every figure stays reachable by links.
 * Results are built as DOM nodes (no innerHTML): an excerpt keeps only Pagefind's <mark> highlights.
 */

interface PagefindResultData {
  url: string;
  excerpt: string;
  meta: { title?: string };
}

interface Pagefind {
  search(query: string): Promise<{ results: { data(): Promise<PagefindResultData> }[] }>;
}

const form = document.querySelector<HTMLFormElement>('[data-search-form]');
const input = document.querySelector<HTMLInputElement>('#search-query');
const output = document.querySelector<HTMLElement>('#search-results');
let pagefind: Promise<Pagefind> | undefined;

function load(): Promise<Pagefind> {
  // A runtime URL, not a module Vite should bundle: the index is written after the site is built.
  const url = '/pagefind/pagefind.js';
  pagefind ??= import(/* @vite-ignore */ url) as Promise<Pagefind>;
  return pagefind;
}

function excerptNodes(html: string): Node[] {
  const doc = new DOMParser().parseFromString(`<p>${html}</p>`, 'text/html');
  const nodes: Node[] = [];
  for (const node of Array.from(doc.body.firstChild?.childNodes ?? [])) {
    if (node.nodeType === Node.TEXT_NODE) nodes.push(document.createTextNode(node.textContent ?? ''));
    else if (node.nodeName === 'MARK') {
      const mark = document.createElement('mark');
      mark.textContent = node.textContent;
      nodes.push(mark);
    } else nodes.push(document.createTextNode(node.textContent ?? ''));
  }
  return nodes;
}

async function run(query: string): Promise<void> {
  if (!output) return;
  const messages = output.dataset;
  output.replaceChildren();
  if (query.trim() === '') return;
  let results: PagefindResultData[];
  try {
    const engine = await load();
    const found = await engine.search(query);
    results = await Promise.all(found.results.slice(0, 20).map((r) => r.data()));
  } catch {
    const p = document.createElement('p');
    p.textContent = messages.msgUnavailable ?? '';
    output.append(p);
    return;
  }
  const count = document.createElement('p');
  count.textContent =
    results.length === 0
      ? (messages.msgNone ?? '')
      : (messages.msgResults ?? '').replace('{n}', String(results.length));
  output.append(count);
  if (results.length === 0) return;
  const list = document.createElement('ol');
  for (const result of results) {
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.href = result.url;
    link.textContent = result.meta.title ?? result.url;
    const excerpt = document.createElement('p');
    excerpt.append(...excerptNodes(result.excerpt));
    item.append(link, excerpt);
    list.append(item);
  }
  output.append(list);
}

if (form && input) {
  const query = new URLSearchParams(window.location.search).get('q') ?? '';
  input.value = query;
  void run(query);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = input.value;
    const url = new URL(window.location.href);
    url.searchParams.set('q', next);
    window.history.replaceState(null, '', url);
    void run(next);
  });
}
