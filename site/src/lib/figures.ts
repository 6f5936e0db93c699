import { TRACK_FORMS } from '../../../shared/discipline/law.js';
import type { PeriodFigures } from '../../../shared/open-data/schemas.js';
import { ASPECTS, CONDUCT_SHARES } from '../../../shared/surveys/questionnaire.js';
import {
  DISCIPLINE_FORM_LABELS,
  DISCIPLINE_STAGE_LABELS,
  DISCIPLINE_STAGES,
  DISCIPLINE_TRACK_LABELS,
  DISCIPLINE_TRACKS,
  OTHER_MEASURE_LABELS,
  OTHER_MEASURES,
  VIOLATION_CATEGORIES,
  VIOLATION_CATEGORY_LABELS,
} from '../../../shared/vocabulary.js';
import { translator } from '../i18n/index.js';
import { columnChart, countBarChart, type IntervalBar, intervalBarChart, intervalTrendChart } from './charts.js';
import type { Formatter, Share } from './format.js';
import type { Lang } from './lang.js';
import { MIN_RESPONSES_FOR_PERCENT } from './methodology.js';
import { pageContext } from './page-context.js';
import { quarterSpan } from './periods.js';

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
  /** Counted (in part) from illustrative records: the card says so. */
  readonly illustrative?: boolean;
}

/** A count, or "chưa có số liệu" / "no data yet" when there is nothing to count from (never 0). */
export function countText(value: number | null | undefined, fmt: Formatter): string {
  return value === null || value === undefined ? translator(fmt.lang)('fig.noDataShort') : fmt.count(value);
}

/** The sum of counts that may be missing: null when every one is (nothing is ever read as 0). */
export function sumCounts(values: readonly (number | null | undefined)[]): number | null {
  const given = values.filter((value): value is number => typeof value === 'number');
  return given.length === 0 ? null : given.reduce((total, value) => total + value, 0);
}

/** True when any figure of the period was counted (in part) from illustrative records. */
export function isIllustrative(figures: PeriodFigures | undefined): boolean {
  if (!figures) return false;
  return [
    figures.inspections,
    figures.violations,
    figures.disciplined,
    figures.otherMeasures,
    figures.satisfaction,
    figures.procedures,
    figures.reception,
  ].some((section) => section.illustrative === true);
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
  const { t, fmt } = pageContext({ lang });
  const share = (value: Share | null, responses?: number | null): HeadlineItem['detail'] => {
    if (!value) return t('fig.withheld', { min: fmt.count(MIN_RESPONSES_FOR_PERCENT) });
    const parts = [t('fig.interval', { interval: fmt.interval(value) })];
    if (responses !== undefined && responses !== null) parts.push(t('fig.responsesCount', { n: fmt.count(responses) }));
    return parts.join(' · ');
  };
  const party = figures.disciplined.tracks.party.decided;
  const reporting = figures.reporting
    ? t('fig.reporting', { n: fmt.count(figures.reporting.reported), m: fmt.count(figures.reporting.units) })
    : undefined;
  const counted = figures.inspections.illustrative === true;
  return [
    { label: t('fig.inspections'), value: countText(figures.inspections.total, fmt), illustrative: counted },
    {
      label: t('fig.violationsIndividuals'),
      value: countText(figures.violations.individuals, fmt),
      detail: `${t('fig.violationsOrganizations')}: ${countText(figures.violations.organizations, fmt)}`,
      illustrative: counted,
    },
    {
      label: t('fig.disciplinedIndividuals'),
      value: countText(figures.disciplined.individuals, fmt),
      detail: `${t('fig.disciplinedOrganizations')}: ${countText(figures.disciplined.organizations, fmt)} · ${t('fig.stateDecidedNote')}`,
      illustrative: counted,
    },
    ...(party.individuals !== null && (party.individuals > 0 || (party.organizations ?? 0) > 0)
      ? [
          {
            label: t('fig.partyDisciplined'),
            value: countText(party.individuals, fmt),
            detail: `${t('fig.partyOrganizations')}: ${countText(party.organizations, fmt)}`,
            illustrative: counted,
          },
        ]
      : []),
    {
      label: t('fig.satisfaction'),
      // A missing share is withheld (fewer than 30 responses, none included): the label says why.
      value: shareText(figures.satisfaction.overall, fmt),
      detail: share(figures.satisfaction.overall, figures.satisfaction.responses),
      illustrative: figures.satisfaction.illustrative === true,
    },
    {
      // Beside all responses, never instead of them: the verified ones are a part of them.
      label: t('fig.satisfactionVerified'),
      value: shareText(figures.satisfaction.verified.overall, fmt),
      detail: share(figures.satisfaction.verified.overall, figures.satisfaction.verified.responses),
      illustrative: figures.satisfaction.illustrative === true,
    },
    {
      label: t('fig.onTimeRate'),
      value: figures.procedures.onTimeRate ? fmt.percent(figures.procedures.onTimeRate.share) : t('fig.noDataShort'),
      ...(figures.procedures.onTimeRate
        ? {
            detail: [
              t('fig.interval', { interval: fmt.interval(figures.procedures.onTimeRate) }),
              `${t('fig.received')}: ${countText(figures.procedures.received, fmt)}`,
              reporting,
            ]
              .filter(Boolean)
              .join(' · '),
          }
        : reporting
          ? { detail: reporting }
          : {}),
      illustrative: figures.procedures.illustrative === true,
    },
  ];
}

/** A unit's figures by period key (`2024`, `2024-Q3`, `2024-08`), as its file publishes them. */
type Periods = Readonly<Record<string, PeriodFigures>>;

/** The table of a unit's figures by period (years, then quarters of the given years). */
export function periodTable(periods: Periods, keys: readonly string[], lang: Lang): TableModel {
  const { t, fmt } = pageContext({ lang });
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
      t('fig.satisfactionVerified'),
      t('fig.verifiedResponses'),
      t('fig.onTimeRate'),
      t('fig.received'),
      t('fig.complaintsReceived'),
    ],
    rows: keys.flatMap((key) => {
      const f = periods[key];
      if (!f) return [];
      return [
        [
          isIllustrative(f) ? `${fmt.period(key)} (${t('fig.illustrative')})` : fmt.period(key),
          countText(f.inspections.total, fmt),
          countText(f.violations.individuals, fmt),
          countText(f.disciplined.individuals, fmt),
          shareText(f.satisfaction.overall, fmt),
          intervalText(f.satisfaction.overall, fmt),
          responsesText(f.satisfaction.responses, fmt),
          shareText(f.satisfaction.verified.overall, fmt),
          responsesText(f.satisfaction.verified.responses, fmt),
          f.procedures.onTimeRate ? fmt.percent(f.procedures.onTimeRate.share) : t('fig.noDataShort'),
          countText(f.procedures.received, fmt),
          countText(f.reception.complaintsReceived, fmt),
        ],
      ];
    }),
  };
}

/** The quarters the trend charts span (every quarter from the first with figures to the last), labelled. */
function quarterAxis(periods: Periods, lang: Lang) {
  const { t, fmt } = pageContext({ lang });
  const quarters = quarterSpan(periods);
  const first = quarters[0];
  const last = quarters.at(-1);
  if (!first || !last) return undefined;
  return {
    t,
    fmt,
    quarters,
    labels: quarters.map((q) => fmt.period(q)),
    from: fmt.period(first),
    to: fmt.period(last),
  };
}

/** Inspections and individuals disciplined by quarter, as columns. */
export function trendChart(id: string, periods: Periods, lang: Lang): ChartModel | undefined {
  const axis = quarterAxis(periods, lang);
  if (!axis) return undefined;
  const { t, fmt, quarters, labels } = axis;
  // The chart draws a missing figure as an empty column; its table says "no data yet".
  const inspectionsOrNull = quarters.map((q) => periods[q]?.inspections.total ?? null);
  const disciplinedOrNull = quarters.map((q) => periods[q]?.disciplined.individuals ?? null);
  const inspections = inspectionsOrNull.map((v) => v ?? 0);
  const disciplined = disciplinedOrNull.map((v) => v ?? 0);
  const title = t('chart.trendTitle');
  return {
    svg: columnChart(
      { id, title, description: t('chart.trendDesc', { from: axis.from, to: axis.to }) },
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
      rows: quarters.map((_, i) => [
        labels[i] ?? '',
        countText(inspectionsOrNull[i], fmt),
        countText(disciplinedOrNull[i], fmt),
      ]),
    },
  };
}

/** Satisfaction by quarter with intervals (gaps where withheld). */
export function satisfactionTrendChart(id: string, periods: Periods, lang: Lang): ChartModel | undefined {
  const axis = quarterAxis(periods, lang);
  const values = axis?.quarters.map((q) => periods[q]?.satisfaction.overall ?? null) ?? [];
  if (!axis || values.every((v) => v === null)) return undefined;
  const { t, fmt, quarters, labels } = axis;
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
  const { t } = pageContext({ lang });
  const rows = [
    ...ASPECTS.map((aspect) => ({
      label: aspect.title[lang],
      value: figures.satisfaction.aspects[aspect.id].share,
      responses: figures.satisfaction.aspects[aspect.id].responses,
    })),
    { label: t('chart.overall'), value: figures.satisfaction.overall, responses: figures.satisfaction.responses },
  ];
  return shareChart(id, rows, lang, {
    title: t('chart.aspectsTitle', { year }),
    description: t('chart.aspectsDesc'),
    head: [t('methodology.questionnaire'), t('fig.satisfaction')],
  });
}

/**
 * How dossiers were handled (documents asked more than once, money beyond the fee, harassment, trips, lateness and
 * apology), as the share answering yes with its interval and n, for one period. Undefined when nobody answered.
 */
export function conductChart(id: string, figures: PeriodFigures, year: string, lang: Lang): ChartModel | undefined {
  const conduct = figures.satisfaction.conduct;
  if (!conduct || CONDUCT_SHARES.every((share) => conduct[share.id].responses === null)) return undefined;
  const { t } = pageContext({ lang });
  const rows = CONDUCT_SHARES.map((share) => ({
    label: share.title[lang],
    value: conduct[share.id].share,
    responses: conduct[share.id].responses,
  }));
  return shareChart(id, rows, lang, {
    title: t('chart.conductTitle', { year }),
    description: t('chart.conductDesc'),
    head: [t('methodology.conduct'), t('fig.share')],
  });
}

/**
 * Shares with their intervals and n, as a bar chart and the table that says the same: the aspects of satisfaction
 * and the conduct items are read the same way, so they are drawn and tabled the same way.
 */
function shareChart(
  id: string,
  rows: readonly (IntervalBar & { readonly responses: number | null })[],
  lang: Lang,
  words: { title: string; description: string; head: readonly [string, string] },
): ChartModel {
  const { t, fmt } = pageContext({ lang });
  return {
    svg: intervalBarChart(
      { id, title: words.title, description: words.description },
      rows,
      fmt,
      t('fig.withheld', { min: fmt.count(MIN_RESPONSES_FOR_PERCENT) }),
    ),
    table: {
      caption: words.title,
      head: [...words.head, t('rank.interval'), t('fig.responses')],
      rows: rows.map((row) => [
        row.label,
        shareText(row.value, fmt),
        intervalText(row.value, fmt),
        responsesText(row.responses, fmt),
      ]),
    },
  };
}

/**
 * Individuals disciplined by form on the state track (decided), for one period; the table gives organizations and
 * individuals apart. Undefined when nobody was.
 */
export function formsChart(id: string, figures: PeriodFigures, year: string, lang: Lang): ChartModel | undefined {
  const { t, fmt } = pageContext({ lang });
  const forms = TRACK_FORMS.state;
  const byForm = figures.disciplined.byForm;
  const counts = forms.map((form) => byForm[form]?.individuals ?? 0);
  if (forms.every((form) => !byForm[form]?.individuals && !byForm[form]?.organizations)) return undefined;
  const labels = forms.map((form) => DISCIPLINE_FORM_LABELS[form][lang]);
  const title = t('chart.formsTitle', { year });
  return {
    svg: countBarChart(
      { id, title, description: t('chart.formsDesc') },
      labels.map((label, i) => ({ label, value: counts[i] ?? 0 })),
      fmt,
    ),
    table: {
      caption: title,
      head: [t('conclusion.form'), t('conclusion.organizations'), t('conclusion.individuals')],
      rows: forms.map((form, i) => [
        labels[i] ?? form,
        countText(byForm[form]?.organizations, fmt),
        countText(byForm[form]?.individuals, fmt),
      ]),
    },
  };
}

/**
 * Discipline of one period by track, stage and form (state and Party, decided and recommended, each apart: they are
 * never added together), with organizations and individuals apart. Undefined when there is nothing to count from.
 */
export function disciplineTable(figures: PeriodFigures, lang: Lang): TableModel | undefined {
  const { t, fmt } = pageContext({ lang });
  if (figures.disciplined.conclusions === 0) return undefined;
  const rows = DISCIPLINE_TRACKS.flatMap((track) =>
    DISCIPLINE_STAGES.flatMap((stage) => {
      const group = figures.disciplined.tracks[track][stage];
      const context = `${DISCIPLINE_TRACK_LABELS[track][lang]} · ${DISCIPLINE_STAGE_LABELS[stage][lang]}`;
      const forms = TRACK_FORMS[track].filter(
        (form) => group.byForm[form]?.organizations || group.byForm[form]?.individuals,
      );
      return [
        [context, t('fig.total'), countText(group.organizations, fmt), countText(group.individuals, fmt)],
        ...forms.map((form) => [
          context,
          DISCIPLINE_FORM_LABELS[form][lang],
          countText(group.byForm[form]?.organizations, fmt),
          countText(group.byForm[form]?.individuals, fmt),
        ]),
      ];
    }),
  );
  return {
    caption: t('fig.disciplineByTrack', { n: fmt.count(figures.disciplined.conclusions) }),
    head: [t('conclusion.track'), t('conclusion.form'), t('conclusion.organizations'), t('conclusion.individuals')],
    rows,
  };
}

/** Lighter measures and violations by category, for one period; undefined when no conclusion counts here. */
export function measuresTable(figures: PeriodFigures, lang: Lang): TableModel | undefined {
  const { t, fmt } = pageContext({ lang });
  if (figures.disciplined.conclusions === 0) return undefined;
  const categories = figures.violations.byCategory;
  return {
    caption: t('fig.measuresCaption'),
    head: [t('conclusion.otherMeasures'), t('fig.count')],
    rows: [
      ...OTHER_MEASURES.map((measure) => [
        OTHER_MEASURE_LABELS[measure][lang],
        countText(figures.otherMeasures[measure], fmt),
      ]),
      ...(categories
        ? VIOLATION_CATEGORIES.filter((category) => categories[category] > 0).map((category) => [
            `${t('conclusion.byCategory')}: ${VIOLATION_CATEGORY_LABELS[category][lang]}`,
            fmt.count(categories[category]),
          ])
        : []),
    ],
  };
}
