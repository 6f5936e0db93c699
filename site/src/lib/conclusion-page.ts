import type { ConclusionFile } from '../../../shared/open-data/schemas.js';
import { absoluteUrl } from './config.js';
import { siteData } from './data.js';
import { type Lang, pick } from './lang.js';
import { pageContext } from './page-context.js';
import { paths } from './routes.js';
import { versionChanges } from './versions.js';

/**
 * The view model of a conclusion's page (ConclusionView.astro lays it out): its title and description, the unit
 * names it links, the text the search indexes, and the version history newest first, each version with the fields
 * it changed.
 */
export function conclusionPage(conclusion: ConclusionFile, lang: Lang) {
  const { t, fmt } = pageContext({ lang });
  const data = siteData();
  const c = conclusion.current;
  const name = (id: string) => data.unit(id)?.name ?? id;
  const ascii = (id: string) => data.unit(id)?.nameAscii ?? id;
  const history = conclusion.versions
    .map((version, i) => {
      const previous = i > 0 ? conclusion.versions[i - 1] : undefined;
      return { version, previous, changes: previous ? versionChanges(previous, version) : [] };
    })
    .reverse();
  return {
    c,
    name,
    history,
    title: t('conclusion.title', { number: c.documentNumber }),
    description: `${c.documentNumber} · ${fmt.date(c.issuedOn)} · ${c.inspectedUnits.map(name).join(', ')}`,
    permalink: absoluteUrl(paths.conclusion(lang, conclusion.id)),
    retracted: c.status === 'retracted',
    summaryText: pick(c.summary, lang),
    searchText: [c.documentNumber, ...c.inspectedUnits.map(ascii), conclusion.agency.name].join(' '),
    /** Whether the issuing agency has a page of its own to link. */
    agencyPage: data.agency(conclusion.agency.id) !== undefined,
  };
}
