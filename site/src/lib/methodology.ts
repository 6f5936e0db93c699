/**
 * The methodology constants and texts the site shows, from the one module the statistics export applies
 * (shared/stats/methodology.ts): the page cannot describe other rules than the figures were made with.
 */
export {
  type MethodologySection,
  MIN_RESPONSES_FOR_COUNT,
  MIN_RESPONSES_FOR_PERCENT,
  MIN_VERIFIED_FOR_RANKING,
  methodologyText,
  SATISFIED_MIN_RATING,
  SPIKE_BASELINE_DAYS,
  SPIKE_FACTOR,
  SPIKE_MIN_RESPONSES,
  Z_95 as WILSON_Z,
} from '../../../shared/stats/methodology.js';

/** The confidence level of the published intervals (the export's z is its two-sided normal quantile). */
export const CONFIDENCE_LEVEL = 0.95;
