import type { PeriodFigures } from '../../../shared/open-data/schemas.js';
import { ASPECTS } from '../../../shared/survey/questionnaire.js';
import { DISCIPLINE_FORM_LABELS, DISCIPLINE_FORMS } from '../../../shared/vocabulary.js';
import { translator } from '../i18n/index.js';
import { columnChart, countBarChart, intervalBarChart, intervalTrendChart } from './charts.js';
import { type Formatter, formatter, type Share } from './format.js';
import type { Lang } from './lang.js';
import { MIN_RESPONSES_FOR_PERCENT } from './methodology.js';
import { quarterSpan, yearKeys } from './periods.js';

/**
 * The figures of a unit (or a province) turned into what the pages show: headline items, a table by period,
 * and charts with their tables. Pure functions of the open-data figures, so they are unit-tested.
 */

export interface TableModel {
  readonly caption: string;
  readonly head: readonly string[];
  /** The first cell of each row is its header (a period, a unit, an aspect). */
  readonly rows: readonly (readonly string[])[];
}

export interface ChartModel {
  readonly svg: string;
  readonly table: TableModel;
}

export interface HeadlineItem {
  readonly label: string;
  readonly value: string;
  /** The interval and number of responses of a share, or a note. */
  readonly detail?: string;
}

/** A share as text: `78,5%`, or the withheld label. */
export function shareText(value: Share | null, fmt: Formatter): string {
  const t = translator(fmt.lang);
  return value ? fmt.percent(value.share) : t('fig.withheldShort');
}

/** A share's interval as text, or an empty string when withheld. */
export function intervalText(value: Share | null, fmt: Formatter): string {
  return value ? fmt.interval(value) : '';
}

/** A count of responses that may be withheld (null). */
export function responsesText(value: number | null, fmt: Formatter): string {
  return value === null ? translator(fmt.lang)('fig.withheldShort') : fmt.count(value);
}

/** The key figures of one period, for the cards at the top of a unit page or the home page. */
export function headline(figures: PeriodFigures, lang: Lang): HeadlineItem[] {
  const t = translator(lang);
  const fmt = formatter(lang);
  const share = (value: Share | null, responses?: number | null): HeadlineItem['detail'] => {
    if (!value) return t('fig.withheld', { min: fmt.count(MIN_RESPONSES_FOR_PERCENT) });
    const parts = [t('fig.interval', { interval: fmt.interval(value) })];
    if (responses !== undefined && responses !== null) parts.push(t('fig.responsesCount', { n: fmt.count(responses) }));
    return parts.join(' · ');
  };
  return [
    { label: t('fig.inspections'), value: fmt.count(figures.inspections.total) },
    {
      label: t('fig.violationsIndividuals'),
      value: fmt.count(figures.violations.individuals),
      detail: `${t('fig.violationsOrganizations')}: ${fmt.count(figures.violations.organizations)}`,
    },
    {
      label: t('fig.disciplinedIndividuals'),
      value: fmt.count(figures.disciplined.individuals),
      detail: `${t('fig.disciplinedOrganizations')}: ${fmt.count(figures.disciplined.organizations)}`,
    },
    {
      label: t('fig.satisfaction'),
      value: shareText(figures.satisfaction.overall, fmt),
      detail: share(figures.satisfaction.overall, figures.satisfaction.responses),
    },
    {
      label: t('fig.onTimeRate'),
      value: figures.procedures.onTimeRate ? fmt.percent(figures.procedures.onTimeRate.share) : t('fig.notApplicable'),
      ...(figures.procedures.onTimeRate
        ? {
            detail: `${t('fig.interval', { interval: fmt.interval(figures.procedures.onTimeRate) })} · ${t('fig.received')}: ${fmt.count(figures.procedures.received)}`,
          }
        : {}),
    },
  ];
}

/** The table of a unit's figures by period (years, then quarters of the given years). */
export function periodTable(
  periods: Readonly<Record<string, PeriodFigures>>,
  keys: readonly string[],
  lang: Lang,
): TableModel {
  const t = translator(lang);
  const fmt = formatter(lang);
  return {
    caption: t('unit.byPeriod'),
    head: [
      t('period.label'),
      t('fig.inspections'),
      t('fig.violationsIndividuals'),
      t('fig.disciplinedIndividuals'),
      t('fig.satisfaction'),
      t('rank.interval'),
      t('fig.responses'),
      t('fig.onTimeRate'),
      t('fig.received'),
      t('fig.complaintsReceived'),
    ],
    rows: keys.flatMap((key) => {
      const f = periods[key];
      if (!f) return [];
      return [
        [
          fmt.period(key),
          fmt.count(f.inspections.total),
          fmt.count(f.violations.individuals),
          fmt.count(f.disciplined.individuals),
          shareText(f.satisfaction.overall, fmt),
          intervalText(f.satisfaction.overall, fmt),
          responsesText(f.satisfaction.responses, fmt),
          f.procedures.onTimeRate ? fmt.percent(f.procedures.onTimeRate.share) : '–',
          fmt.count(f.procedures.received),
          fmt.count(f.reception.complaintsReceived),
        ],
      ];
    }),
  };
}

/** Inspections and individuals disciplined by quarter, as columns. */
export function trendChart(
  id: string,
  periods: Readonly<Record<string, PeriodFigures>>,
  lang: Lang,
): ChartModel | undefined {
  const t = translator(lang);
  const fmt = formatter(lang);
  const quarters = quarterSpan(periods);
  const first = quarters[0];
  const last = quarters.at(-1);
  if (!first || !last) return undefined;
  const labels = quarters.map((q) => fmt.period(q));
  const inspections = quarters.map((q) => periods[q]?.inspections.total ?? 0);
  const disciplined = quarters.map((q) => periods[q]?.disciplined.individuals ?? 0);
  const title = t('chart.trendTitle');
  return {
    svg: columnChart(
      { id, title, description: t('chart.trendDesc', { from: fmt.period(first), to: fmt.period(last) }) },
      labels,
      [
        { name: t('fig.inspections'), values: inspections },
        { name: t('fig.disciplinedIndividuals'), values: disciplined },
      ],
      fmt,
    ),
    table: {
      caption: title,
      head: [t('period.label'), t('fig.inspections'), t('fig.disciplinedIndividuals')],
      rows: quarters.map((_, i) => [labels[i] ?? '', fmt.count(inspections[i] ?? 0), fmt.count(disciplined[i] ?? 0)]),
    },
  };
}

/** Satisfaction by quarter with intervals (gaps where withheld). */
export function satisfactionTrendChart(
  id: string,
  periods: Readonly<Record<string, PeriodFigures>>,
  lang: Lang,
): ChartModel | undefined {
  const t = translator(lang);
  const fmt = formatter(lang);
  const quarters = quarterSpan(periods);
  if (quarters.length === 0) return undefined;
  const values = quarters.map((q) => periods[q]?.satisfaction.overall ?? null);
  if (values.every((v) => v === null)) return undefined;
  const labels = quarters.map((q) => fmt.period(q));
  const title = t('chart.satisfactionTrendTitle');
  return {
    svg: intervalTrendChart({ id, title, description: t('chart.satisfactionTrendDesc') }, labels, values, fmt),
    table: {
      caption: title,
      head: [t('period.label'), t('fig.satisfaction'), t('rank.interval'), t('fig.responses')],
      rows: quarters.map((q, i) => {
        const value = values[i] ?? null;
        return [
          labels[i] ?? q,
          shareText(value, fmt),
          intervalText(value, fmt),
          responsesText(periods[q]?.satisfaction.responses ?? null, fmt),
        ];
      }),
    },
  };
}

/** Satisfaction per SIPAS aspect (and overall) for one period, with intervals. */
export function aspectsChart(id: string, figures: PeriodFigures, year: string, lang: Lang): ChartModel {
  const t = translator(lang);
  const fmt = formatter(lang);
  const rows = [
    ...ASPECTS.map((aspect) => ({
      label: aspect.title[lang],
      value: figures.satisfaction.aspects[aspect.id].share,
      responses: figures.satisfaction.aspects[aspect.id].responses,
    })),
    { label: t('chart.overall'), value: figures.satisfaction.overall, responses: figures.satisfaction.responses },
  ];
  const title = t('chart.aspectsTitle', { year });
  return {
    svg: intervalBarChart(
      { id, title, description: t('chart.aspectsDesc') },
      rows,
      fmt,
      t('fig.withheld', { min: fmt.count(MIN_RESPONSES_FOR_PERCENT) }),
    ),
    table: {
      caption: title,
      head: [t('methodology.questionnaire'), t('fig.satisfaction'), t('rank.interval'), t('fig.responses')],
      rows: rows.map((row) => [
        row.label,
        shareText(row.value, fmt),
        intervalText(row.value, fmt),
        responsesText(row.responses, fmt),
      ]),
    },
  };
}

/** Organizations and individuals disciplined by form, for one period; undefined when nobody was. */
export function formsChart(id: string, figures: PeriodFigures, year: string, lang: Lang): ChartModel | undefined {
  const t = translator(lang);
  const fmt = formatter(lang);
  const counts = DISCIPLINE_FORMS.map((form) => figures.disciplined.byForm[form]);
  if (counts.every((c) => c === 0)) return undefined;
  const labels = DISCIPLINE_FORMS.map((form) => DISCIPLINE_FORM_LABELS[form][lang]);
  const title = t('chart.formsTitle', { year });
  return {
    svg: countBarChart(
      { id, title, description: t('chart.formsDesc') },
      labels.map((label, i) => ({ label, value: counts[i] ?? 0 })),
      fmt,
    ),
    table: {
      caption: title,
      head: [t('conclusion.form'), t('conclusion.discipline')],
      rows: labels.map((label, i) => [label, fmt.count(counts[i] ?? 0)]),
    },
  };
}

/** The latest year with figures, or undefined. */
export function latestYear(periods: Readonly<Record<string, unknown>>): string | undefined {
  return yearKeys(periods).at(-1);
}
