import type { SurveyAspect } from './aspects.js';
import type { RefusalReason } from './integrity.js';
import type { ConductAnswers, SubmissionMethod } from './questionnaire.js';
import type { SurveyChannel } from './schemas.js';

/**
 * The ports of the survey domain. Adapters: shared/storage/{surveys,comments,rate-limit}-repository.ts over
 * DynamoDB, functions/surveys/secrets.ts for the keys (environment or SSM), and in-memory fakes in the tests.
 */

export type SurveyRatings = Readonly<Record<Exclude<SurveyAspect, 'feedback'>, number>> & {
  readonly feedback: number | null;
};

/**
 * One stored survey response. Nothing in it identifies a person: the dossier code only as a keyed hash, the
 * date only (no time of day), and no address, user agent or comment (the comment is a separate item).
 */
export interface SurveyRecord {
  readonly id: string;
  /** HMAC-SHA256 of the normalized dossier code, base64url: the key of "one response per dossier". */
  readonly dossierHash: string;
  /** The unit in force on `date` that the submitted code resolved to. */
  readonly unitId: string;
  /** Vietnam date of submission, `YYYY-MM-DD`. */
  readonly date: string;
  readonly ratings: SurveyRatings;
  readonly overall: number;
  /** How the dossier was submitted, when the citizen said. */
  readonly submission?: SubmissionMethod;
  /** The procedure's name as typed, personal data masked (shared/surveys/mask.ts); never published one by one. */
  readonly procedure?: string;
  /** The branch of a provincial centre (its centre's label, service-points.ts); only with a province's unit. */
  readonly branch?: string;
  /** How the citizen was treated (questionnaire.ts): only the questions answered. */
  readonly conduct?: ConductAnswers;
  readonly channel: SurveyChannel;
  readonly hasComment: boolean;
  /** True when the response carried a valid receipt for its own dossier and unit (shared/surveys/receipt.ts). */
  readonly verified: boolean;
  /**
   * Illustrative (demo) data, not a citizen's rating: set only by trusted loaders (the demo seeder), never from
   * the public API. Every figure it counts in says so, and rankings leave it out.
   */
  readonly illustrative?: true;
}

export const COMMENT_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];

/** A comment, already masked, waiting for (or past) moderation. Not linked to its survey response. */
export interface CommentRecord {
  readonly id: string;
  readonly unitId: string;
  /** The masked text: personal data was removed before it was stored. */
  readonly text: string;
  readonly status: CommentStatus;
  /** Vietnam date of submission, `YYYY-MM-DD` (no finer time, as for the response). */
  readonly submittedAt: string;
  /** When a moderator decided (ISO instant); absent while pending. */
  readonly moderatedAt?: string;
  /** Who decided (the moderator's name or account); never published. */
  readonly moderatedBy?: string;
}

/**
 * Stores a response and its comment together; throws ConflictError when the dossier was already rated. With a
 * rate count, the client's rate-limit counter is counted in the same atomic write, which is refused with
 * `count.refusal()` (429) when the counter already holds the limit: then nothing is written and nothing counted.
 */
export interface SurveyStore {
  create(survey: SurveyRecord, comment?: CommentRecord, count?: RateCount): Promise<void>;
}

/** One request's hit on its client's rate-limit counter, to be counted with the write it allows (rate-limit.ts). */
export interface RateCount {
  readonly bucket: string;
  /** When the counter may be deleted (set by the hit that creates it). */
  readonly expiresAt: number;
  /** Hits the counter may hold: the write is refused when it already holds this many. */
  readonly limit: number;
  /** The error a refusal by the counter is (RateLimitedError, with the seconds left in the window). */
  refusal(): Error;
}

/** One page of comments in one status, oldest first. */
export interface CommentPage {
  readonly items: readonly CommentRecord[];
  /** Opaque; pass back to get the next page; absent on the last page. */
  readonly cursor?: string;
}

/** The moderation queue and its decisions. */
export interface CommentStore {
  list(status: CommentStatus, options?: { limit?: number; cursor?: string }): Promise<CommentPage>;
  get(id: string): Promise<CommentRecord | undefined>;
  /** Moves a pending comment to `approved` or `rejected`; throws ConflictError if it is not pending. */
  decide(id: string, status: Exclude<CommentStatus, 'pending'>, at: string, by: string): Promise<CommentRecord>;
}

/** Counts hits in a rate-limit bucket atomically; returns the count after this hit. */
export interface RateLimitStore {
  hit(bucket: string, expiresAt: number): Promise<number>;
}

/**
 * Counts refused submissions per Vietnam day and reason (integrity statistics): the count is all it keeps, never
 * who was refused or what they sent.
 */
export interface RefusalStore {
  count(date: string, reason: RefusalReason): Promise<void>;
}

/** A secret from configuration (environment locally, SSM SecureString in AWS); never from the repository. */
export type SecretSource = () => Promise<string>;

export interface Clock {
  now(): Date;
}

/** The real clock. */
export const systemClock: Clock = { now: () => new Date() };
