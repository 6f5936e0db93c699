import type { IntegrityFile } from '../../../shared/open-data/schemas.js';
import { REFUSAL_REASON_LABELS, REFUSAL_REASONS } from '../../../shared/surveys/integrity.js';
import type { TableModel } from './figures.js';
import type { Lang } from './lang.js';
import { pageContext } from './page-context.js';

/**
 * The integrity statistics as the methodology page shows them: refused survey submissions by reason, one row per
 * month (latest first), from `/data/integrity.json`.
 */

/** How many months the page lists; the file has them all. */
const MONTHS_SHOWN = 12;

/** The table of refusals by month and reason, or undefined when nothing was ever refused. */
export function refusalTable(file: IntegrityFile | undefined, lang: Lang): TableModel | undefined {
  if (!file) return undefined;
  const { t, fmt } = pageContext({ lang });
  const months = Object.keys(file.periods)
    .filter((period) => /^\d{4}-\d{2}$/.test(period))
    .sort()
    .reverse()
    .slice(0, MONTHS_SHOWN);
  if (months.length === 0) return undefined;
  return {
    caption: t('integrity.refusedCaption'),
    head: [t('period.label'), ...REFUSAL_REASONS.map((reason) => REFUSAL_REASON_LABELS[reason][lang]), t('fig.total')],
    rows: months.map((month) => {
      const refused = file.periods[month]?.refused;
      return [
        fmt.period(month),
        ...REFUSAL_REASONS.map((reason) => fmt.count(refused?.byReason[reason] ?? 0)),
        fmt.count(refused?.total ?? 0),
      ];
    }),
  };
}

/** A spike under review, as a unit page names it. */
export interface UnderReview {
  readonly hour: string;
  readonly responses: number;
  readonly usual: number;
}

/** The spikes of a unit still under review (oldest first): its page says so until they are reviewed. */
export function spikesUnderReview(file: Pick<IntegrityFile, 'spikes'> | undefined, unitId: string): UnderReview[] {
  return (file?.spikes ?? [])
    .filter((spike) => spike.unit === unitId && spike.status === 'underReview')
    .map(({ hour, responses, usual }) => ({ hour, responses, usual }));
}

/** The notice of a unit under review: "đang được xem xét", with the hour and the counts of each spike. */
export function underReviewText(spikes: readonly UnderReview[], lang: Lang): string | undefined {
  if (spikes.length === 0) return undefined;
  const { t, fmt } = pageContext({ lang });
  const hours = spikes.map((spike) =>
    t('integrity.spikeHour', {
      hour: spike.hour.slice(11, 13),
      date: fmt.date(spike.hour.slice(0, 10)),
      n: fmt.count(spike.responses),
      usual: new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 }).format(spike.usual),
    }),
  );
  return t('integrity.underReview', { hours: hours.join('; ') });
}
