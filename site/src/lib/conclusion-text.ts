import type { ConclusionVersion } from '../../../shared/open-data/schemas.js';
import { DISCIPLINE_FORM_LABELS, INSPECTION_KIND_LABELS, TOPIC_LABELS } from '../../../shared/vocabulary.js';
import { translator } from '../i18n/index.js';
import { formatter } from './format.js';
import { type Lang, pick } from './lang.js';
import type { VersionField } from './versions.js';

/** One field of a conclusion version as plain text, for the version history's before/after table. */
export function fieldText(
  field: VersionField,
  version: ConclusionVersion,
  lang: Lang,
  unitName: (id: string) => string,
): string {
  const t = translator(lang);
  const fmt = formatter(lang);
  const counts = (c: { organizations: number; individuals: number }) =>
    t('conclusion.counts', { organizations: fmt.count(c.organizations), individuals: fmt.count(c.individuals) });
  switch (field) {
    case 'status':
      return t(version.status === 'retracted' ? 'conclusion.state.retracted' : 'conclusion.state.published');
    case 'documentNumber':
      return version.documentNumber;
    case 'issuedOn':
      return fmt.date(version.issuedOn);
    case 'kind':
      return INSPECTION_KIND_LABELS[version.kind][lang];
    case 'inspectedUnits':
      return version.inspectedUnits.map(unitName).join('; ');
    case 'topics':
      return version.topics.map((topic) => TOPIC_LABELS[topic][lang]).join('; ');
    case 'legalBasis':
      return version.legalBasis.join('; ');
    case 'summary':
      return pick(version.summary, lang);
    case 'violations':
      return counts(version.violations);
    case 'discipline':
      return version.discipline.length === 0
        ? t('conclusion.none')
        : version.discipline.map((d) => `${DISCIPLINE_FORM_LABELS[d.form][lang]}: ${counts(d)}`).join('; ');
    case 'otherMeasures':
      return t('conclusion.measures', {
        transfers: fmt.count(version.otherMeasures.transfers),
        reviews: fmt.count(version.otherMeasures.responsibilityReviews),
      });
    case 'recommendations':
      return version.recommendations.length === 0
        ? t('conclusion.none')
        : version.recommendations
            .map((r) => `${pick(r.text, lang)} (${t(`conclusion.status.${r.status}`)})`)
            .join('; ');
    case 'attachment':
      return version.attachment
        ? `SHA-256 ${version.attachment.sha256} · ${fmt.bytes(version.attachment.bytes)} · ${version.attachment.mediaType}`
        : t('conclusion.none');
  }
}
