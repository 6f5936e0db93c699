import type { ConclusionIndexEntry } from '../../../shared/open-data/schemas.js';
import { INSPECTION_KIND_LABELS } from '../../../shared/vocabulary.js';
import { absoluteUrl } from './config.js';
import { conclusionFile, siteData } from './data.js';
import { atomFeed } from './feed.js';
import { type Lang, pick } from './lang.js';
import { pageContext } from './page-context.js';
import { paths } from './routes.js';

/** Entries in the site-wide feed; a unit's feed has fewer. */
export const FEED_SIZE = 50;
export const UNIT_FEED_SIZE = 20;

/** The Atom feed of the latest conclusions (all, or under one unit) in one language. */
export function conclusionsFeed(lang: Lang, unitId?: string): string {
  const { t, fmt } = pageContext({ lang });
  const data = siteData();
  const unit = unitId ? data.unit(unitId) : undefined;
  const entries: readonly ConclusionIndexEntry[] = unitId
    ? data.conclusionsOf(unitId).slice(0, UNIT_FEED_SIZE)
    : data.conclusions.slice(0, FEED_SIZE);
  const name = (id: string) => data.unit(id)?.name ?? id;
  return atomFeed({
    self: absoluteUrl(unitId ? paths.unitFeed(lang, unitId) : paths.feed(lang)),
    alternate: absoluteUrl(unitId ? paths.unit(lang, unitId) : paths.conclusions(lang)),
    title: unit ? t('feed.unitTitle', { name: unit.name }) : t('feed.title'),
    subtitle: t('site.tagline'),
    lang,
    // The latest change of an entry (RFC 4287 §4.2.15), else the start of the data's day: never the export's
    // time, which changes on every export and would make every feed new without anything in it changing.
    updated:
      entries.reduce<string | undefined>(
        (latest, entry) => (latest === undefined || entry.updatedAt > latest ? entry.updatedAt : latest),
        undefined,
      ) ?? `${data.today}T00:00:00+07:00`,
    entries: entries.map((entry) => {
      const file = conclusionFile(entry.id);
      const current = file.current;
      const first = file.versions[0] ?? current;
      const retracted = current.status === 'retracted' ? t('feed.retracted') : '';
      return {
        url: absoluteUrl(paths.conclusion(lang, entry.id)),
        title: `${retracted}${current.documentNumber} · ${current.inspectedUnits.map(name).join(', ')}`,
        summary: `${fmt.date(current.issuedOn)} · ${INSPECTION_KIND_LABELS[current.kind][lang]}. ${pick(current.summary, lang)}`,
        published: first.publishedAt,
        updated: current.publishedAt,
        author: file.agency.name,
        categories: [current.kind, ...current.topics],
      };
    }),
  });
}
