import { isIsoDate } from '../time/periods.js';
import * as z from '../zod.js';

/**
 * The request fields every kind of agency publication shares (conclusions, summary reports, procedure-handling
 * reports): document numbers, dates, unit codes, text and sources, bounded and free of control characters alike.
 * They live here, beside the publishing kernel those kinds share (versioned.ts), so that no kind's schema module
 * imports a sibling's: a Lambda then bundles its own kind's schemas and these, not every schema of another kind
 * (a module that builds schemas at its top level is bundled whole; shared/README.md).
 */

/** Earliest date accepted: older documents are not what this service publishes. */
export const EARLIEST_DATE = '1990-01-01';
/** Most sources one publication names. */
export const MAX_SOURCES = 20;

/** A line of text: no control characters (line breaks are allowed in long text only). */
export const line = (max: number) =>
  z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'must not be empty'),
      z.maxLength(max, `at most ${max} characters`),
      z.regex(/^\P{Cc}*$/u, 'must not contain control characters'),
    );

/** Long text: line breaks and tabs allowed, other control characters not. */
const text = (max: number) =>
  z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'must not be empty'),
      z.maxLength(max, `at most ${max} characters`),
      z.regex(/^(?:[\t\n\r]|\P{Cc})*$/u, 'must not contain control characters other than line breaks and tabs'),
    );

/** Text in Vietnamese, optionally in English. */
export const localizedText = (max: number, long = false) =>
  z.strictObject({ vi: long ? text(max) : line(max), en: z.optional(long ? text(max) : line(max)) });

/** A document number as printed: a publication's own (`385/KL-ĐKTCV`), a decision's or a directive's (`24-CT/TU`). */
export const DocumentNumberSchema = line(100);

/** Why a version replaced the previous one (a correction or a retraction). */
export const ReasonSchema = line(2000);

/** A calendar date `YYYY-MM-DD` (a date in Vietnam). */
export const IsoDateSchema = z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'a date written YYYY-MM-DD', abort: true }),
  z.refine(isIsoDate, 'not a calendar date'),
  z.refine((value) => value >= EARLIEST_DATE, `not before ${EARLIEST_DATE}`),
);

/** A GSO unit code: 2 digits (province), 3 (district) or 5 (commune). */
export const UnitCodeSchema = z.string().check(z.regex(/^(\d{2}|\d{3}|\d{5})$/, 'a GSO unit code of 2, 3 or 5 digits'));

/** An address on the public web (http or https only). */
export const PublicUrlSchema = z
  .url({ protocol: /^https?$/, message: 'an http or https address' })
  .check(z.maxLength(2000, 'at most 2000 characters'));

/** Where the public can read the original: an article, a report, the document itself. */
export const SourceSchema = z.strictObject({
  title: line(500),
  /** Who published it (`Kinh tế & Đô thị`, `Cổng thông tin điện tử Sở Nội vụ`). */
  publisher: z.optional(line(200)),
  publishedOn: z.optional(IsoDateSchema),
  url: PublicUrlSchema,
});
