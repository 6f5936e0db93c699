/**
 * What the search index reads of a built page (scripts/build.ts, `searchIndex`): the `<html>` tag (Pagefind takes
 * the page's language from it) and the element marked `data-pagefind-body`, without the elements inside it marked
 * `data-pagefind-ignore`. That is all Pagefind indexes of a page with a body element, so it indexes the same words,
 * title and excerpt; but Pagefind no longer parses the rest: on a unit page, the tables of figures, the charts and the
 * rankings are most of some 50–100 KB of HTML, and at national scale Pagefind spent about 60 s of CPU and 1.3 GB
 * parsing them (it reads every file at once). The pages are this site's own output (Astro, compressed HTML), whose
 * text and attribute values never hold a raw `<` or `>`.
 */

const BODY = 'data-pagefind-body';
const IGNORE = 'data-pagefind-ignore';
/** Attributes Pagefind still reads inside an ignored element: such an element is kept for Pagefind to read. */
const READ_WHEN_IGNORED = /data-pagefind-(?:body|meta|default-meta|filter|sort)/;

/**
 * The part of `html` Pagefind indexes, as a document of its own, or undefined when the page has no element marked
 * `data-pagefind-body` (such a page is not indexed).
 */
export function searchDocument(html: string): string | undefined {
  const root = /<html\b[^>]*>/i.exec(html);
  const body = elementWith(html, BODY, 0);
  if (!root || !body) return undefined;
  return `${root[0]}<body>${withoutIgnored(html.slice(body.start, body.end))}</body></html>`;
}

interface Span {
  readonly start: number;
  readonly end: number;
}

/** The first element from `from` whose start tag has the attribute `attribute`: from its `<` to after its end tag. */
function elementWith(html: string, attribute: string, from: number): Span | undefined {
  for (let at = html.indexOf(attribute, from); at !== -1; at = html.indexOf(attribute, at + attribute.length)) {
    const start = html.lastIndexOf('<', at);
    const tag = /^<([a-zA-Z][\w-]*)\s/.exec(html.slice(start, at));
    // The attribute name inside a start tag (its own name, not a longer one), not in text.
    const next = html[at + attribute.length];
    if (!tag?.[1] || html.slice(start, at).includes('>') || !(next === '>' || next === '=' || /\s/.test(next ?? ''))) {
      continue;
    }
    return { start, end: endOf(html, tag[1].toLowerCase(), html.indexOf('>', at) + 1) };
  }
  return undefined;
}

/** After the end tag of the element named `name` whose start tag ends at `from` (elements of that name nest). */
function endOf(html: string, name: string, from: number): number {
  const tags = new RegExp(`<(/?)${name}(?=[\\s/>])`, 'gi');
  tags.lastIndex = from;
  let depth = 1;
  for (let match = tags.exec(html); match; match = tags.exec(html)) {
    depth += match[1] === '/' ? -1 : 1;
    if (depth === 0) return html.indexOf('>', match.index) + 1;
  }
  throw new Error(`search index: the <${name}> marked for search is not closed`);
}

/** `html` without its elements marked `data-pagefind-ignore` (those Pagefind would read something of stay). */
function withoutIgnored(html: string): string {
  let kept = '';
  let from = 0;
  for (let ignored = elementWith(html, IGNORE, from); ignored; ignored = elementWith(html, IGNORE, from)) {
    const element = html.slice(ignored.start, ignored.end);
    kept += html.slice(from, ignored.start);
    if (READ_WHEN_IGNORED.test(element)) kept += element;
    from = ignored.end;
  }
  return kept + html.slice(from);
}
