import * as z from '../zod.js';
import {
  COMMENT_MAX_LENGTH,
  type ConductAnswers,
  LATENESS,
  PROCEDURE_MAX_LENGTH,
  RATING_MAX,
  RATING_MIN,
  SUBMISSION_METHODS,
  TRIPS_MAX,
} from './questionnaire.js';
import { BRANCH_MAX_LENGTH, BRANCH_PATTERN, SERVICE_POINT_CODE_PATTERN } from './service-points.js';

/**
 * The survey submission, as JSON (`SurveyResponseSchema`) and as the site's HTML form posts it
 * (`SurveyFormSchema`: every value a string, unchecked radios absent). Both parse to the same `SurveySubmission`,
 * so the handler and the domain never care which one came in. Messages are English (they go into problem+json);
 * the site's form has its own Vietnamese and English wording per field. Every question added after the first
 * version (submission, procedure, conduct) is optional, so older clients and cached forms are still accepted.
 */

/** Shortest and longest dossier code accepted, after normalization. */
export const DOSSIER_CODE_MIN_LENGTH = 4;
export const DOSSIER_CODE_MAX_LENGTH = 64;
/** Letters (any script, so Đ passes), digits, `.`, `-`, `/`, `_` and single inner spaces. */
const DOSSIER_CODE_PATTERN = /^[\p{L}\p{N}._/-]+(?: [\p{L}\p{N}._/-]+)*$/u;

export const SURVEY_CHANNELS = ['web', 'qr', 'api'] as const;
export type SurveyChannel = (typeof SURVEY_CHANNELS)[number];
export const SURVEY_LANGUAGES = ['vi', 'en'] as const;
export type SurveyLanguage = (typeof SURVEY_LANGUAGES)[number];

/** Longest receipt read: a receipt (shared/surveys/receipt.ts) is about 300 characters. */
export const RECEIPT_MAX_LENGTH = 2048;
/** A compact JWS: three base64url parts. */
export const RECEIPT_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

const receiptMessage = 'The receipt is the compact JWS printed (as a QR code) on the dossier receipt.';
const ReceiptSchema = z
  .string({ error: receiptMessage })
  .check(
    z.maxLength(RECEIPT_MAX_LENGTH, { error: receiptMessage }),
    z.regex(RECEIPT_PATTERN, { error: receiptMessage }),
    z.describe(
      'Optional: the receipt from the QR code on the dossier receipt, a compact JWS (EdDSA) by the service point’s agency with claims sub (the dossier code), unit and iat. A response with a valid one is verified.',
    ),
  );

/** Longest honeypot value read; anything is "filled", the bound only keeps the body small. */
const HONEYPOT_MAX_LENGTH = 500;

/**
 * The form of a dossier code that is hashed: NFC, trimmed, upper-case, inner whitespace runs collapsed to one
 * space, so "h26 - 0001" typed twice in different ways still counts as the same dossier.
 * @example normalizeDossierCode(' 000.00.15.h26-240512-0001 ') === '000.00.15.H26-240512-0001'
 */
export function normalizeDossierCode(code: string): string {
  return code.normalize('NFC').trim().replace(/\s+/gu, ' ').toUpperCase().normalize('NFC');
}

const DossierCodeSchema = z
  .pipe(
    z.pipe(
      z.string({ error: 'The dossier code is required.' }).check(
        z.maxLength(DOSSIER_CODE_MAX_LENGTH * 4, {
          error: `The dossier code is at most ${DOSSIER_CODE_MAX_LENGTH} characters.`,
        }),
      ),
      z.transform(normalizeDossierCode),
    ),
    z.string().check(
      z.minLength(DOSSIER_CODE_MIN_LENGTH, {
        error: `The dossier code is ${DOSSIER_CODE_MIN_LENGTH} to ${DOSSIER_CODE_MAX_LENGTH} characters.`,
      }),
      z.maxLength(DOSSIER_CODE_MAX_LENGTH, {
        error: `The dossier code is ${DOSSIER_CODE_MIN_LENGTH} to ${DOSSIER_CODE_MAX_LENGTH} characters.`,
      }),
      z.regex(DOSSIER_CODE_PATTERN, { error: 'The dossier code has letters, digits, ".", "-", "/" and "_" only.' }),
    ),
  )
  .check(
    z.describe(
      `The dossier code on the receipt: ${DOSSIER_CODE_MIN_LENGTH}-${DOSSIER_CODE_MAX_LENGTH} letters, digits, ".", "-", "/", "_" once trimmed, upper-cased and with spaces collapsed. Kept only as a keyed hash.`,
    ),
  );

const UnitSchema = z.string({ error: 'The service point (unit) is required.' }).check(
  z.regex(SERVICE_POINT_CODE_PATTERN, {
    error: 'The unit is the 5-digit code of a ward or commune, or the 2-digit code of a province (its service centre).',
  }),
);

const branchMessage = `The branch is its centre's label for it, at most ${BRANCH_MAX_LENGTH} letters, digits and spaces.`;
/** A branch of a provincial centre, as the centre labels it (service-points.ts); empty is none. */
const BranchSchema = z.pipe(
  z.pipe(
    z.pipe(
      z.string({ error: branchMessage }).check(z.maxLength(BRANCH_MAX_LENGTH * 2, { error: branchMessage })),
      z.transform((text: string) => text.trim().replace(/\s+/gu, ' ')),
    ),
    z.union([z.literal(''), z.string().check(z.maxLength(BRANCH_MAX_LENGTH), z.regex(BRANCH_PATTERN))], {
      error: branchMessage,
    }),
  ),
  z.transform((text: string) => (text === '' ? undefined : text)),
);

const ratingMessage = `A rating is a whole number from ${RATING_MIN} to ${RATING_MAX}.`;
const RatingSchema = z
  .number({ error: ratingMessage })
  .check(
    z.int({ error: ratingMessage }),
    z.gte(RATING_MIN, { error: ratingMessage }),
    z.lte(RATING_MAX, { error: ratingMessage }),
  );

const CommentSchema = z.pipe(
  z.pipe(
    z.pipe(
      z
        .string({ error: 'The comment is text.' })
        .check(
          z.maxLength(COMMENT_MAX_LENGTH * 2, { error: `The comment is at most ${COMMENT_MAX_LENGTH} characters.` }),
        ),
      z.transform((text: string) => text.trim()),
    ),
    z
      .string()
      .check(z.maxLength(COMMENT_MAX_LENGTH, { error: `The comment is at most ${COMMENT_MAX_LENGTH} characters.` })),
  ),
  // An empty comment is no comment: nothing is stored and nothing goes to moderation.
  z.transform((text: string) => (text === '' ? undefined : text)),
);

const HoneypotSchema = z.string().check(z.maxLength(HONEYPOT_MAX_LENGTH));

const procedureMessage = `The procedure is the name of an administrative procedure, at most ${PROCEDURE_MAX_LENGTH} characters.`;
/** The procedure's name as the citizen typed it: trimmed, empty is none; masked before it is stored. */
const ProcedureSchema = z.pipe(
  z.pipe(
    z.pipe(
      z.string({ error: procedureMessage }).check(z.maxLength(PROCEDURE_MAX_LENGTH * 2, { error: procedureMessage })),
      z.transform((text: string) => text.trim().replace(/\s+/gu, ' ')),
    ),
    z.string().check(z.maxLength(PROCEDURE_MAX_LENGTH, { error: procedureMessage })),
  ),
  z.transform((text: string) => (text === '' ? undefined : text)),
);

/** Drops the questions left unanswered (null or absent), so a stored response holds only answers. */
function answered<T extends Record<string, unknown>>(value: T): { [K in keyof T]?: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], null>;
  };
}

const yesNoMessage = 'An answer is true (yes), false (no) or null (not answered).';
const YesNoSchema = z.optional(z.nullable(z.boolean({ error: yesNoMessage })));
const tripsMessage = `The number of trips is a whole number from 0 to ${TRIPS_MAX} (${TRIPS_MAX} meaning ${TRIPS_MAX} or more).`;
const TripsSchema = z
  .number({ error: tripsMessage })
  .check(z.int({ error: tripsMessage }), z.gte(0, { error: tripsMessage }), z.lte(TRIPS_MAX, { error: tripsMessage }));

/** How the citizen was treated (questionnaire.ts, conduct): every question optional, null = not answered. */
const ConductSchema = z
  .pipe(
    z.strictObject(
      {
        extraDocuments: YesNoSchema,
        extraPayment: YesNoSchema,
        harassment: YesNoSchema,
        trips: z.optional(z.nullable(TripsSchema)),
        lateness: z.optional(z.nullable(z.enum(LATENESS))),
      },
      { error: 'conduct is an object with extraDocuments, extraPayment, harassment, trips and lateness.' },
    ),
    z.transform((value): ConductAnswers => answered(value)),
  )
  .check(z.describe('Optional: how the citizen was treated; each answer optional, published only as shares with n.'));

/** `POST /api/v1/surveys` as JSON (CONTRACT.md, "A survey response"). Unknown fields are refused. */
export const SurveyResponseSchema = z.strictObject({
  unit: UnitSchema,
  dossierCode: DossierCodeSchema,
  ratings: z.strictObject(
    {
      access: RatingSchema,
      procedures: RatingSchema,
      staff: RatingSchema,
      results: RatingSchema,
      // Not applicable (null) is the common case: most people never file a complaint.
      feedback: z._default(z.nullable(RatingSchema), null),
    },
    { error: 'The ratings are an object with access, procedures, staff, results and feedback.' },
  ),
  overall: RatingSchema,
  comment: z.optional(CommentSchema),
  /** How the dossier was submitted; null or absent: not answered. */
  submission: z.optional(
    z.pipe(
      z.nullable(z.enum(SUBMISSION_METHODS)),
      z.transform((value: (typeof SUBMISSION_METHODS)[number] | null) => value ?? undefined),
    ),
  ),
  procedure: z.optional(ProcedureSchema),
  /** Only with a province's code: the branch of its centre where the dossier was filed. */
  branch: z.optional(BranchSchema),
  conduct: z.optional(ConductSchema),
  receipt: z.optional(ReceiptSchema),
  /** The honeypot: hidden on the form, so only robots fill it. */
  website: z.optional(HoneypotSchema),
  channel: z._default(z.enum(SURVEY_CHANNELS), 'api'),
  lang: z._default(z.enum(SURVEY_LANGUAGES), 'vi'),
});

export type SurveySubmission = z.output<typeof SurveyResponseSchema>;

const formRatingMessage = `Choose a rating from ${RATING_MIN} to ${RATING_MAX}.`;
/** A radio value: "1"…"5". Absent (no radio checked) or anything else is refused. */
const FormRatingSchema = z.pipe(
  z
    .string({ error: formRatingMessage })
    .check(z.regex(new RegExp(`^[${RATING_MIN}-${RATING_MAX}]$`), { error: formRatingMessage })),
  z.transform(Number),
);
/** Feedback handling: "" or absent is "not applicable" (CONTRACT.md). */
const FormOptionalRatingSchema = z.pipe(
  z.optional(z.union([z.literal(''), FormRatingSchema], { error: `${formRatingMessage} Or choose "not applicable".` })),
  z.transform((value: '' | number | undefined) => (value === '' || value === undefined ? null : value)),
);

/** An optional radio the citizen may leave unanswered: "" or absent is no answer; a value no browser sends too. */
function optionalChoice<T>(read: (value: string) => T | undefined) {
  return z.optional(
    z.pipe(
      z.unknown(),
      z.transform((value: unknown) => (typeof value === 'string' && value !== '' ? read(value) : undefined)),
    ),
  );
}
const formYesNo = optionalChoice((value) => (value === 'yes' ? true : value === 'no' ? false : undefined));
const formTrips = optionalChoice((value) => {
  const n = /^\d$/.test(value) ? Number(value) : Number.NaN;
  return n >= 0 && n <= TRIPS_MAX ? n : undefined;
});
const formEnum = <T extends string>(values: readonly T[]) =>
  optionalChoice((value) => ((values as readonly string[]).includes(value) ? (value as T) : undefined));

/** The site's HTML form post (`application/x-www-form-urlencoded`, dotted names). Unknown fields are ignored. */
export const SurveyFormSchema = z.object({
  unit: UnitSchema,
  dossierCode: DossierCodeSchema,
  // Unchecked radios are not posted at all: a form with no rating chosen has no `ratings` group, and each aspect
  // should then be reported as missing rather than the group as a whole.
  ratings: z.preprocess(
    (value) => (value === undefined ? {} : value),
    z.object({
      access: FormRatingSchema,
      procedures: FormRatingSchema,
      staff: FormRatingSchema,
      results: FormRatingSchema,
      feedback: FormOptionalRatingSchema,
    }),
  ),
  overall: FormRatingSchema,
  comment: z.optional(CommentSchema),
  // The optional questions are radios: a value no browser sends is read as no answer, never a 422 the citizen
  // cannot fix from the form.
  submission: formEnum(SUBMISSION_METHODS),
  procedure: z.optional(ProcedureSchema),
  branch: z.optional(BranchSchema),
  conduct: z.preprocess(
    (value) => (value === undefined ? {} : value),
    z.pipe(
      z.object({
        extraDocuments: formYesNo,
        extraPayment: formYesNo,
        harassment: formYesNo,
        trips: formTrips,
        lateness: formEnum(LATENESS),
      }),
      z.transform((value): ConductAnswers | undefined => {
        const answers = answered(value);
        return Object.keys(answers).length === 0 ? undefined : answers;
      }),
    ),
  ),
  // A hidden field, filled when the form was opened from a receipt's QR code; empty is no receipt.
  receipt: z.preprocess((value) => (value === '' ? undefined : value), z.optional(ReceiptSchema)),
  // A robot that stuffs the honeypot with something odd is still a robot: never a 422 that teaches it the rules.
  website: z.optional(z.catch(HoneypotSchema, '(filled)')),
  // Hidden fields the citizen cannot fix: a tampered value falls back instead of failing the form.
  channel: z.catch(z.enum(['web', 'qr']), 'web'),
  // A tampered or missing language is not the citizen's error: fall back to Vietnamese.
  lang: z.catch(z.enum(SURVEY_LANGUAGES), 'vi'),
}) satisfies z.ZodMiniType<SurveySubmission, unknown>;

export { SURVEY_MAX_BODY_BYTES } from '../limits.js';
