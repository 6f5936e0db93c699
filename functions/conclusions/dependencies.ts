import type { AgencyDirectory } from '../../shared/agencies/ports.js';
import type { ReplayGuard } from '../../shared/auth/replay.js';
import { verifyAgencyRequest } from '../../shared/auth/verify-agency-request.js';
import type { AttachmentStore, ConclusionStore } from '../../shared/conclusions/ports.js';
import type { Publisher } from '../../shared/publishing/publisher.js';
import type { ReportStore } from '../../shared/reports/ports.js';
import { DynamoAgencyRepository } from '../../shared/storage/agencies-repository.js';
import { attachmentStoreFromEnv } from '../../shared/storage/attachments-repository.js';
import { createDocumentClient, createDynamoClient } from '../../shared/storage/client.js';
import { DynamoConclusionStore } from '../../shared/storage/conclusions-repository.js';
import { DynamoReportStore } from '../../shared/storage/reports-repository.js';
import { tableNamesFromEnv } from '../../shared/storage/tables.js';
import { DynamoUnitLookup } from '../../shared/storage/units-repository.js';
import type { UnitLookup } from '../../shared/units/ports.js';
import type { GuardRequest } from '../lib/http.js';

/**
 * The ports of the agency API (conclusions, reports), wired once per process from the environment, and the
 * one authentication step every agency route takes. Handlers take a `() => deps` so tests can pass their own.
 */

export interface AgencyApiDependencies {
  readonly agencies: AgencyDirectory;
  readonly replay: ReplayGuard;
  readonly conclusions: ConclusionStore;
  readonly reports: ReportStore;
  readonly units: UnitLookup;
  readonly attachments: AttachmentStore;
  readonly now?: () => Date;
}

let fromEnv: AgencyApiDependencies | undefined;

/** The production wiring: clients created on first use, configuration from the environment (as in Lambda). */
export function agencyApiDependencies(): AgencyApiDependencies {
  if (!fromEnv) {
    const tables = tableNamesFromEnv();
    const doc = createDocumentClient(createDynamoClient());
    const agencies = new DynamoAgencyRepository(doc, tables.records);
    fromEnv = {
      agencies,
      replay: agencies,
      conclusions: new DynamoConclusionStore(doc, tables.records),
      reports: new DynamoReportStore(doc, tables.records),
      units: new DynamoUnitLookup(doc, tables.records),
      attachments: attachmentStoreFromEnv(),
    };
  }
  return fromEnv;
}

/** Verifies the signed request (401 on any failure) and returns the publisher with its replay marker. */
export async function authenticate(
  request: Pick<GuardRequest, 'headers' | 'rawBody' | 'method' | 'pathWithQuery'>,
  deps: AgencyApiDependencies,
): Promise<Publisher> {
  const verified = await verifyAgencyRequest(request.headers, request.rawBody, request.method, request.pathWithQuery, {
    agencies: deps.agencies,
    replay: deps.replay,
    ...(deps.now ? { now: deps.now } : {}),
  });
  return { agency: verified.agency, replay: verified.replay, signed: verified.signed };
}
