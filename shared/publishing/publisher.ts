import type { Agency } from '../agencies/schemas.js';
import type { ReplayGuard, ReplayMarker } from '../auth/replay.js';

/** Who publishes: a verified agency, with the replay marker of its token (none for trusted internal callers). */
export interface Publisher {
  readonly agency: Agency;
  readonly replay?: ReplayMarker;
}

/**
 * The idempotent paths (the same content again) answer with the stored record but still use up the token: its
 * marker is written alone, so the same signed request cannot be replayed later.
 */
export async function rememberToken(publisher: Publisher, replay: Pick<ReplayGuard, 'remember'>): Promise<void> {
  if (publisher.replay) await replay.remember(publisher.replay);
}
