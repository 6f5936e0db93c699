import type { ReportedSummary } from '../../../shared/open-data/schemas.js';
import type { SplitFigure } from '../../../shared/summaries/schemas.js';
import {
  DISCIPLINE_FORM_LABELS,
  DISCIPLINE_STAGE_LABELS,
  DISCIPLINE_TRACK_LABELS,
  type DisciplineForm,
  OTHER_MEASURE_LABELS,
  type OtherMeasure,
} from '../../../shared/vocabulary.js';
import type { MessageKey } from '../i18n/index.js';
import { type Lang, LOCALES } from './lang.js';
import { pageContext } from './page-context.js';

/**
 * The view model of reported figures (summary reports, CONTRACT.md "A summary report"): each summary as its
 * authority stated it, named "Theo báo cáo của …, từ … đến …", with its source links and one row per figure given.
 * A total the source did not split is shown as one figure of organizations and individuals together; a
 * percentage is shown with the decimals it was given; a figure not given has no row (never a 0).
 */

export interface ReportedRow {
  readonly label: string;
  readonly value: string;
}

export interface ReportedView {
  readonly id: string;
  /** "Theo báo cáo của {agency}, từ {from} đến {to}". */
  readonly heading: string;
  readonly scope: string;
  readonly title?: string;
  readonly description?: string;
  readonly documentNumber: string;
  readonly sources: readonly { readonly title: string; readonly url: string; readonly detail: string }[];
  readonly rows: readonly ReportedRow[];
}

/** The views of a unit's summaries (already latest span first, as the export orders them). */
export function reportedViews(summaries: readonly ReportedSummary[] | undefined, lang: Lang): ReportedView[] {
  return (summaries ?? []).map((summary) => reportedView(summary, lang));
}

export function reportedView(summary: ReportedSummary, lang: Lang): ReportedView {
  const { t, fmt } = pageContext({ lang });
  const text = (value: { vi: string; en?: string | undefined } | undefined) =>
    value && (lang === 'en' ? (value.en ?? value.vi) : value.vi);
  return {
    id: summary.id,
    heading: t('reported.by', {
      agency: summary.agency.name,
      from: fmt.date(summary.from),
      to: fmt.date(summary.to),
    }),
    scope: text(summary.scope) ?? '',
    ...(summary.title ? { title: text(summary.title) ?? '' } : {}),
    ...(summary.description ? { description: text(summary.description) ?? '' } : {}),
    documentNumber: summary.documentNumber,
    sources: summary.sources.map((source) => ({
      title: source.title,
      url: source.url,
      detail: [source.publisher, source.publishedOn ? fmt.date(source.publishedOn) : undefined]
        .filter((part) => part !== undefined)
        .join(', '),
    })),
    rows: figureRows(summary.figures, lang),
  };
}

/** One row per figure given, in the order of the summary's groups. */
export function figureRows(figures: ReportedSummary['figures'], lang: Lang): ReportedRow[] {
  const { t, fmt } = pageContext({ lang });
  const percent = new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 2 });
  const rows: ReportedRow[] = [];
  const count = (key: MessageKey, value: number | undefined, prefix = '') => {
    if (value !== undefined) rows.push({ label: `${prefix}${t(key)}`, value: fmt.count(value) });
  };
  const share = (key: MessageKey, value: number | undefined, prefix = '') => {
    if (value !== undefined) rows.push({ label: `${prefix}${t(key)}`, value: `${percent.format(value)}%` });
  };
  const split = (base: string, value: SplitFigure | undefined) => {
    if (!value) return;
    if (value.total !== undefined)
      rows.push({ label: `${base} ${t('reported.whoTotal')}`, value: fmt.count(value.total) });
    if (value.organizations !== undefined)
      rows.push({ label: `${base} ${t('reported.whoOrganizations')}`, value: fmt.count(value.organizations) });
    if (value.individuals !== undefined)
      rows.push({ label: `${base} ${t('reported.whoIndividuals')}`, value: fmt.count(value.individuals) });
  };
  const label = (value: { vi: string; en: string }) => value[lang];

  count('reported.inspections', figures.inspections?.total);
  count('reported.inspectedUnits', figures.inspections?.units);
  count('reported.conclusions', figures.inspections?.conclusions);
  split(t('reported.violations'), figures.violations);
  const disciplined = figures.disciplined;
  if (disciplined) {
    const kind = [
      disciplined.track ? label(DISCIPLINE_TRACK_LABELS[disciplined.track]) : undefined,
      disciplined.stage
        ? label(DISCIPLINE_STAGE_LABELS[disciplined.stage]).toLocaleLowerCase(LOCALES[lang])
        : undefined,
    ]
      .filter((part) => part !== undefined)
      .join(', ');
    const base = kind === '' ? t('reported.disciplined') : `${t('reported.disciplined')} (${kind})`;
    split(base, disciplined);
    for (const [form, value] of Object.entries(disciplined.byForm ?? {})) {
      split(
        `${base}: ${label(DISCIPLINE_FORM_LABELS[form as DisciplineForm]).toLocaleLowerCase(LOCALES[lang])},`,
        value,
      );
    }
  }
  for (const [measure, value] of Object.entries(figures.measures ?? {})) {
    const name =
      measure === 'transfersOrDiscipline'
        ? t('reported.transfersOrDiscipline')
        : label(OTHER_MEASURE_LABELS[measure as OtherMeasure]);
    split(name, value as SplitFigure | undefined);
  }
  const procedures = figures.procedures;
  if (procedures) {
    const level = (prefix: string, p: Omit<NonNullable<typeof procedures>, 'byLevel'>) => {
      count('reported.received', p.received, prefix);
      count('reported.resolved', p.resolved, prefix);
      count('reported.handled', p.handled, prefix);
      count('reported.resolvedLate', p.resolvedLate, prefix);
      share('reported.onTimePercent', p.onTimePercent, prefix);
      share('reported.latePercent', p.latePercent, prefix);
    };
    level('', procedures);
    for (const name of ['province', 'district', 'commune'] as const) {
      const byLevel = procedures.byLevel?.[name];
      if (byLevel) level(`${t(`reported.level.${name}`)}: `, byLevel);
    }
  }
  const reception = figures.reception;
  if (reception) {
    count('reported.citizensReceived', reception.citizensReceived);
    count('reported.cases', reception.cases);
    count('reported.petitionsReceived', reception.petitionsReceived);
    count('reported.petitionsResolved', reception.petitionsResolved);
    count('reported.complaintsUnderJurisdiction', reception.complaintsUnderJurisdiction);
    count('reported.complaintsResolved', reception.complaintsResolved);
    count('reported.denunciationsUnderJurisdiction', reception.denunciationsUnderJurisdiction);
    count('reported.denunciationsResolved', reception.denunciationsResolved);
  }
  return rows;
}
