import type { Agency } from '../agencies/schemas.js';
import type { ReplayGuard, ReplayMarker } from '../auth/replay.js';
import type { SignedRequest, VersionSignature } from '../auth/signed-request.js';

/** Who publishes: a verified agency, with the replay marker of its token (none for trusted internal callers). */
export interface Publisher {
  readonly agency: Agency;
  readonly replay?: ReplayMarker;
  /** The signed request as sent (token, key, body): kept with the version it makes, and logged. */
  readonly signed?: SignedRequest;
  /**
   * Trusted loaders only (the demo seeder), never an API request: the version holds illustrative data (e.g. a date
   * the source does not give), so every figure it moves says so (`illustrative: true`).
   */
  readonly illustrative?: true;
}

/** The `signature` fields of a version made by this publisher (none for trusted internal callers). */
export function signatureOf(publisher: Publisher): { signature?: VersionSignature } {
  return publisher.signed ? { signature: publisher.signed.signature } : {};
}

/** The `illustrative` flag of a version made by this publisher (only trusted loaders set it). */
export function illustrativeOf(publisher: Publisher): { illustrative?: true } {
  return publisher.illustrative ? { illustrative: true } : {};
}

/**
 * The idempotent paths (the same content again) answer with the stored record but still use up the token: its
 * marker is written alone, so the same signed request cannot be replayed later.
 */
export async function rememberToken(publisher: Publisher, replay: Pick<ReplayGuard, 'remember'>): Promise<void> {
  if (publisher.replay) await replay.remember(publisher.replay);
}
