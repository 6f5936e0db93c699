/**
 * The methodology constants and texts the site shows, from the one module the statistics export applies
 * (shared/stats/methodology.ts): the page cannot describe other rules than the figures were made with.
 */
export {
  type MethodologySection,
  MIN_RESPONSES_FOR_COUNT,
  MIN_RESPONSES_FOR_PERCENT,
  methodologyText,
  SATISFIED_MIN_RATING,
  Z_95 as WILSON_Z,
} from '../../../shared/stats/methodology.js';

/** The confidence level of the published intervals (the export's z is its two-sided normal quantile). */
export const CONFIDENCE_LEVEL = 0.95;
