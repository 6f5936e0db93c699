import { randomUUID } from 'node:crypto';
import type { AgencyDirectory } from '../agencies/ports.js';
import { ValidationError } from '../errors.js';
import { vietnamDate } from '../time/periods.js';
import type { UnitLookup } from '../units/ports.js';
import { dossierHash } from './hashing.js';
import { InvalidReceiptError, UnknownServicePointError } from './integrity.js';
import { maskPersonalData } from './mask.js';
import type { Clock, CommentRecord, RateCount, SecretSource, SurveyRecord, SurveyStore } from './ports.js';
import { verifyReceipt } from './receipt.js';
import type { SurveySubmission } from './schemas.js';
import { isServicePointLevel } from './service-points.js';

/**
 * Submitting a survey response: the one domain call of `POST /api/v1/surveys`, also used by the demo seed.
 * It resolves the service point on the submission's Vietnam date, keeps the dossier code only as a keyed hash,
 * masks personal data in the comment, and stores the response (and the comment, pending moderation) in one
 * atomic write that refuses a second response for the same dossier.
 */

export interface SubmitSurveyDeps {
  readonly units: UnitLookup;
  /** The agencies whose keys sign receipts; without it, a response with a receipt is refused. */
  readonly agencies?: AgencyDirectory;
  readonly store: SurveyStore;
  readonly dossierSecret: SecretSource;
  readonly clock: Clock;
  /** Id generator; random by default (a time-ordered id would reveal when a response was given). */
  readonly newId?: () => string;
}

export interface SubmittedSurvey {
  readonly id: string;
  readonly unitId: string;
  readonly date: string;
  /** `pending` when a comment was kept for moderation; null without a comment. */
  readonly comment: 'pending' | null;
  /** True when a valid receipt came with the response. */
  readonly verified: boolean;
}

/** True when the honeypot field is filled: the submission comes from a robot and is dropped unseen. */
export function isHoneypotFilled(input: Pick<SurveySubmission, 'website'>): boolean {
  return input.website !== undefined && input.website.trim() !== '';
}

/**
 * Stores one survey response; throws UnknownServicePointError (a ValidationError) for an unknown service point and ConflictError when the
 * dossier was already rated. The caller drops honeypot submissions before calling (see `isHoneypotFilled`).
 */
export async function submitSurvey(
  input: SurveySubmission,
  deps: SubmitSurveyDeps,
  options: {
    /** For trusted loaders only (the demo seeder): the response is illustrative data, flagged as such. */
    readonly illustrative?: boolean;
    /** The client's rate-limit hit, counted in the same write as the response (rate-limit.ts, `withRateLimit`). */
    readonly rateCount?: RateCount;
  } = {},
): Promise<SubmittedSurvey> {
  const date = vietnamDate(deps.clock.now());
  const unit = await deps.units.resolve(input.unit, date);
  // Service points (service-points.ts): wards and communes, and provinces for their centre, in force on the day.
  if (!unit || !isServicePointLevel(unit.level)) {
    throw new UnknownServicePointError([
      { path: 'unit', message: `No ward, commune or province with code ${input.unit} is in force on ${date}.` },
    ]);
  }
  if (input.branch !== undefined && unit.level !== 1) {
    throw new ValidationError([{ path: 'branch', message: 'Only a provincial service centre has branches.' }]);
  }
  // A receipt that does not verify is refused (422 on `receipt`), never silently counted as unverified: the
  // citizen (or the page that opened the form) should know the proof was not accepted.
  if (input.receipt !== undefined) {
    if (!deps.agencies) {
      throw new InvalidReceiptError([{ path: 'receipt', message: 'receipts are not accepted here' }]);
    }
    await verifyReceipt(
      { receipt: input.receipt, dossierCode: input.dossierCode, unit, now: deps.clock.now() },
      { agencies: deps.agencies },
    );
  }
  const newId = deps.newId ?? randomUUID;
  const hash = dossierHash(await deps.dossierSecret(), input.dossierCode);

  let comment: CommentRecord | undefined;
  if (input.comment !== undefined) {
    // The submitter's own dossier code is hidden too: it must never be stored in clear, even inside a comment.
    const masked = maskPersonalData(input.comment, [input.dossierCode]);
    comment = { id: newId(), unitId: unit.id, text: masked.text, status: 'pending', submittedAt: date };
  }
  const survey: SurveyRecord = {
    id: newId(),
    dossierHash: hash,
    unitId: unit.id,
    date,
    ratings: { ...input.ratings },
    overall: input.overall,
    ...(input.submission ? { submission: input.submission } : {}),
    // A procedure name is short, but a citizen may still type a phone number or a code into it.
    ...(input.procedure ? { procedure: maskPersonalData(input.procedure, [input.dossierCode]).text } : {}),
    ...(input.branch ? { branch: input.branch } : {}),
    ...(input.conduct && Object.keys(input.conduct).length > 0 ? { conduct: { ...input.conduct } } : {}),
    channel: input.channel,
    hasComment: comment !== undefined,
    verified: input.receipt !== undefined,
    ...(options.illustrative ? { illustrative: true as const } : {}),
  };
  await deps.store.create(survey, comment, options.rateCount);
  return { id: survey.id, unitId: unit.id, date, comment: comment ? 'pending' : null, verified: survey.verified };
}
