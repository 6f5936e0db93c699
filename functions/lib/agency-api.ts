import type { AgencyDirectory } from '../../shared/agencies/ports.js';
import { deploymentAudienceFromEnv } from '../../shared/auth/constants.js';
import type { ReplayGuard } from '../../shared/auth/replay.js';
import { verifyAgencyRequest } from '../../shared/auth/verify-agency-request.js';
import type { ConclusionStore } from '../../shared/conclusions/ports.js';
import type { Publisher } from '../../shared/publishing/publisher.js';
import type { ReportStore } from '../../shared/reports/ports.js';
import { DynamoAgencyRepository } from '../../shared/storage/agencies-repository.js';
import { createDocumentClient, createDynamoClient } from '../../shared/storage/client.js';
import { DynamoConclusionStore } from '../../shared/storage/conclusions-repository.js';
import { DynamoReportStore } from '../../shared/storage/reports-repository.js';
import { DynamoSummaryStore } from '../../shared/storage/summaries-repository.js';
import { tableNamesFromEnv } from '../../shared/storage/tables.js';
import type { SummaryStore } from '../../shared/summaries/ports.js';
import type { UnitLookup } from '../../shared/units/ports.js';
import { type FunctionConfig, perConfig } from './config.js';
import type { GuardRequest } from './http.js';
import { functionUnitLookup } from './units.js';

/**
 * The ports of the agency API (conclusions, summaries, reports), wired once per configuration (lib/config.ts), and
 * the one authentication step every agency route takes. Handlers take a `() => deps` so tests can pass their own.
 * The conclusion routes add their attachment store (conclusions/dependencies.ts).
 */

export interface AgencyApiDependencies {
  readonly agencies: AgencyDirectory;
  readonly replay: ReplayGuard;
  readonly conclusions: ConclusionStore;
  readonly reports: ReportStore;
  readonly summaries: SummaryStore;
  readonly units: UnitLookup;
  readonly now?: () => Date;
  /** This deployment's own token audience (`API_AUDIENCE`), if any. */
  readonly audience?: string;
}

/**
 * The production wiring of a configuration (`process.env` in Lambda): clients created on the first request, shared
 * by every agency route built from the same configuration.
 */
export const agencyApiDependencies = perConfig((config): AgencyApiDependencies => {
  const tables = tableNamesFromEnv(config);
  const doc = createDocumentClient(createDynamoClient(config));
  const agencies = new DynamoAgencyRepository(doc, tables.records);
  const audience = deploymentAudienceFromEnv(config);
  return {
    agencies,
    replay: agencies,
    conclusions: new DynamoConclusionStore(doc, tables.records),
    reports: new DynamoReportStore(doc, tables.records),
    summaries: new DynamoSummaryStore(doc, tables.records),
    // The committed registry shipped with the code while the store vouches for it: no Query per unit code.
    units: functionUnitLookup(doc, tables.records),
    ...(audience ? { audience } : {}),
  };
});

/** The dependencies of a configuration, built on first use (so building a handler reads nothing). */
export function agencyApiDependenciesOf(config: FunctionConfig): () => AgencyApiDependencies {
  return () => agencyApiDependencies(config);
}

/**
 * Verifies the signed request (401 on any failure) and returns the publisher with its replay marker.
 * `earlyReplayCheck: false` skips the early read of the marker (one round trip) on routes where the conditional
 * write that stores the marker is reached by every replay: creations, whose first step is that write, or, for an
 * existing document, the idempotent path that writes the marker alone (shared/publishing/versioned.ts). A replay
 * is refused there exactly as before (401), only one read later.
 */
export async function authenticate(
  request: Pick<GuardRequest, 'headers' | 'rawBody' | 'method' | 'pathWithQuery'>,
  deps: AgencyApiDependencies,
  { earlyReplayCheck = true }: { readonly earlyReplayCheck?: boolean } = {},
): Promise<Publisher> {
  const verified = await verifyAgencyRequest(request.headers, request.rawBody, request.method, request.pathWithQuery, {
    agencies: deps.agencies,
    ...(earlyReplayCheck ? { replay: deps.replay } : {}),
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.audience ? { audience: deps.audience } : {}),
  });
  return { agency: verified.agency, replay: verified.replay, signed: verified.signed };
}
