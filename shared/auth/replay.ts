import { UnauthorizedError } from '../errors.js';

/**
 * Replay protection: every accepted token's `jti` is remembered until the token could no longer be accepted.
 * The marker is written by the same conditional write that stores the record (or alone on an idempotent path),
 * so a replay is refused by that condition, and a refused request leaves no marker behind.
 */

/** The marker an accepted request leaves: `expiresAt` is epoch seconds (the records table's TTL). */
export interface ReplayMarker {
  readonly agencyId: string;
  readonly jti: string;
  readonly expiresAt: number;
}

/** The token was already used: 401, like any other token problem. */
export class ReplayedRequestError extends UnauthorizedError {
  constructor(reason = 'This token was already used (its jti is remembered); sign each request anew.') {
    super(reason);
  }
}

/** Port over the replay markers (adapter: shared/storage/agencies-repository.ts). */
export interface ReplayGuard {
  /** True when a marker for this token exists (a cheap early refusal; the conditional write decides). */
  seen(marker: ReplayMarker): Promise<boolean>;
  /** Writes the marker alone; throws ReplayedRequestError when it exists. */
  remember(marker: ReplayMarker): Promise<void>;
}
