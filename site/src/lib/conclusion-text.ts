import type { ConclusionVersion } from '../../../shared/open-data/schemas.js';
import {
  DISCIPLINE_FORM_LABELS,
  DISCIPLINE_STAGE_LABELS,
  DISCIPLINE_TRACK_LABELS,
  INSPECTION_KIND_LABELS,
  OTHER_MEASURE_LABELS,
  OTHER_MEASURES,
  PERSON_CATEGORY_LABELS,
  TOPIC_LABELS,
} from '../../../shared/vocabulary.js';
import { translator } from '../i18n/index.js';
import { type Formatter, formatter } from './format.js';
import { type Lang, pick } from './lang.js';
import { pageContext } from './page-context.js';
import type { VersionField } from './versions.js';

/** One field of a conclusion version as plain text, for the version history's before/after table. */
export function fieldText(
  field: VersionField,
  version: ConclusionVersion,
  lang: Lang,
  unitName: (id: string) => string,
): string {
  const { t, fmt } = pageContext({ lang });
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
      return version.legalBasis.map((basis) => legalBasisText(basis, lang)).join('; ');
    case 'title':
      return version.title ? pick(version.title, lang) : t('conclusion.none');
    case 'inspectionDecision':
      return version.inspectionDecision ?? t('conclusion.none');
    case 'inspectedFrom':
    case 'inspectedTo': {
      const date = version[field];
      return date ? fmt.date(date) : t('conclusion.none');
    }
    case 'summary':
      return pick(version.summary, lang);
    case 'violations':
      return version.violations ? counts(version.violations) : t('conclusion.notStated');
    case 'discipline':
      return version.discipline.length === 0
        ? t('conclusion.none')
        : version.discipline
            .map((d) => `${DISCIPLINE_FORM_LABELS[d.form][lang]} (${disciplineContext(d, lang)}): ${counts(d)}`)
            .join('; ');
    case 'violatingUnits':
      return version.violatingUnits ? version.violatingUnits.map(unitName).join('; ') : t('conclusion.notStated');
    case 'otherMeasures':
      return measuresText(version.otherMeasures, lang);
    case 'sources':
      return version.sources?.length
        ? version.sources.map((s) => `${s.title} <${s.url}>`).join('; ')
        : t('conclusion.none');
    case 'recommendations':
      return version.recommendations.length === 0
        ? t('conclusion.none')
        : version.recommendations
            .map((r) => {
              const due = r.dueOn ? `; ${t('conclusion.recommendationDueOn')} ${fmt.date(r.dueOn)}` : '';
              return `${pick(r.text, lang)} (${t(`conclusion.status.${r.status}`)}${due})`;
            })
            .join('; ');
    case 'attachment':
      return version.attachment
        ? `SHA-256 ${version.attachment.sha256} · ${fmt.bytes(version.attachment.bytes)} · ${version.attachment.mediaType}`
        : t('conclusion.none');
  }
}

/** A legal basis: the number alone, or with its issuer and date (`24-CT/TU (Ban Thường vụ Thành ủy Hà Nội, 07/08/2023)`). */
export function legalBasisText(basis: ConclusionVersion['legalBasis'][number], lang: Lang): string {
  if (typeof basis === 'string') return basis;
  const details = [basis.issuer, basis.issuedOn && formatter(lang).date(basis.issuedOn)].filter(Boolean).join(', ');
  return details ? translator(lang)('conclusion.legalBasisOf', { number: basis.number, details }) : basis.number;
}

/** The track, stage and who of a discipline entry, in words (`Kỷ luật Đảng · Đã quyết định kỷ luật`). */
export function disciplineContext(d: ConclusionVersion['discipline'][number], lang: Lang): string {
  const t = translator(lang);
  return [
    DISCIPLINE_TRACK_LABELS[d.track][lang],
    DISCIPLINE_STAGE_LABELS[d.stage][lang],
    d.decidedOn && t('conclusion.decidedOn', { date: formatter(lang).date(d.decidedOn) }),
    d.category && PERSON_CATEGORY_LABELS[d.category][lang],
    d.leader === undefined ? undefined : t(d.leader ? 'conclusion.leader' : 'conclusion.notLeader'),
  ]
    .filter(Boolean)
    .join(' · ');
}

/** The measures a conclusion states (`Nhắc nhở: 2; Kiểm điểm trách nhiệm: 1`); "không có" when none is stated. */
export function measuresText(
  measures: ConclusionVersion['otherMeasures'],
  lang: Lang,
  fmt: Formatter = formatter(lang),
): string {
  const stated = OTHER_MEASURES.filter((m) => measures[m] !== undefined && measures[m] > 0);
  return stated.length === 0
    ? translator(lang)('conclusion.none')
    : stated.map((m) => `${OTHER_MEASURE_LABELS[m][lang]}: ${fmt.count(measures[m] ?? 0)}`).join('; ');
}
