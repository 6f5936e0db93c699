import { escapeXml } from '../../../shared/text/xml.js';

/**
 * Atom 1.0 (RFC 4287) feeds of conclusions. An entry's id is the conclusion's permanent address, so a
 * correction (a new version) updates the same entry in feed readers instead of adding a second one.
 */

export interface FeedEntry {
  /** The permanent absolute URL of the conclusion page. */
  readonly url: string;
  readonly title: string;
  readonly summary: string;
  /** RFC 3339 instants. */
  readonly published: string;
  readonly updated: string;
  readonly author: string;
  readonly categories: readonly string[];
}

export interface Feed {
  /** The feed's own absolute URL. */
  readonly self: string;
  /** The page the feed is about. */
  readonly alternate: string;
  readonly title: string;
  readonly subtitle: string;
  readonly lang: string;
  /** When nothing is in it, the generation time. */
  readonly updated: string;
  readonly entries: readonly FeedEntry[];
}

/** The Atom XML of a feed. */
export function atomFeed(feed: Feed): string {
  // RFC 3339 instants in UTC sort as text; the feed was updated when its latest entry was.
  const updated = [feed.updated, ...feed.entries.map((e) => e.updated)].sort().at(-1) ?? feed.updated;
  const entries = feed.entries
    .map(
      (e) =>
        `<entry><id>${escapeXml(e.url)}</id><title>${escapeXml(e.title)}</title>` +
        `<link rel="alternate" type="text/html" href="${escapeXml(e.url)}"/>` +
        `<published>${escapeXml(e.published)}</published><updated>${escapeXml(e.updated)}</updated>` +
        `<author><name>${escapeXml(e.author)}</name></author>` +
        e.categories.map((c) => `<category term="${escapeXml(c)}"/>`).join('') +
        `<summary>${escapeXml(e.summary)}</summary></entry>`,
    )
    .join('\n');
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n` +
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXml(feed.lang)}">\n` +
    `<id>${escapeXml(feed.self)}</id><title>${escapeXml(feed.title)}</title>` +
    `<subtitle>${escapeXml(feed.subtitle)}</subtitle><updated>${escapeXml(updated)}</updated>` +
    `<link rel="self" type="application/atom+xml" href="${escapeXml(feed.self)}"/>` +
    `<link rel="alternate" type="text/html" href="${escapeXml(feed.alternate)}"/>\n` +
    `${entries}\n</feed>\n`
  );
}
