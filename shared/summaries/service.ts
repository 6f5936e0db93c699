import { resolveUnitsInJurisdiction } from '../agencies/jurisdiction.js';
import type { ReplayGuard } from '../auth/replay.js';
import { ValidationError } from '../errors.js';
import type { Publisher } from '../publishing/publisher.js';
import {
  correctDocument,
  createDocument,
  type DocumentType,
  getDocument,
  retractDocument,
} from '../publishing/versioned.js';
import type { UnitLookup } from '../units/ports.js';
import type { SummaryStore } from './ports.js';
import {
  type SummaryContent,
  type SummaryRecord,
  type SummaryVersionRecord,
  summaryContentHash,
  summaryContentOf,
  summaryId,
} from './records.js';
import type { SummaryCorrection, SummaryInput } from './schemas.js';

/**
 * Summary reports: create, correct, retract, read, exactly as conclusions (the publishing kernel,
 * shared/publishing/versioned.ts). What is a summary's own is its jurisdiction: one unit code, read as the unit in
 * force on the last day of the span, which the agency's jurisdiction must cover (403 otherwise).
 */

export interface SummaryDependencies {
  readonly summaries: SummaryStore;
  readonly units: UnitLookup;
  readonly replay: Pick<ReplayGuard, 'remember'>;
  readonly now?: () => Date;
}

const NOUN = 'summary report';

function summaryType(deps: SummaryDependencies): DocumentType<SummaryRecord, SummaryVersionRecord> {
  return { noun: NOUN, store: deps.summaries, replay: deps.replay, ...(deps.now ? { now: deps.now } : {}) };
}

/** Creates a summary (201), or answers with the existing one when the same content was already sent (200). */
export async function createSummary(
  input: SummaryInput,
  publisher: Publisher,
  deps: SummaryDependencies,
): Promise<{ record: SummaryRecord; created: boolean }> {
  const unitId = await resolveJurisdiction(input, publisher, deps);
  const id = summaryId(publisher.agency.id, input.documentNumber);
  return createDocument(summaryType(deps), id, summaryContentHash(input), publisher, (stamp) => ({
    ...summaryContentOf(input),
    ...stamp,
    unitId,
  }));
}

/** Corrects a summary: a new version with the whole corrected content, If-Match naming the current version. */
export async function correctSummary(
  id: string,
  ifMatch: string | undefined,
  input: SummaryCorrection,
  publisher: Publisher,
  deps: SummaryDependencies,
): Promise<{ record: SummaryRecord; changed: boolean }> {
  const { reason, ...content } = input;
  let unitId: string | undefined;
  return correctDocument(
    summaryType(deps),
    id,
    ifMatch,
    { documentNumber: content.documentNumber, contentHash: summaryContentHash(content), reason },
    publisher,
    async (stamp) => {
      unitId ??= await resolveJurisdiction(content, publisher, deps);
      return { ...summaryContentOf(content), ...stamp, unitId };
    },
  );
}

/** Retracts a summary: a new version with the last content and status `retracted`; again is a no-op. */
export async function retractSummary(
  id: string,
  ifMatch: string | undefined,
  reason: string | undefined,
  publisher: Publisher,
  deps: SummaryDependencies,
): Promise<{ record: SummaryRecord; changed: boolean }> {
  return retractDocument(summaryType(deps), id, ifMatch, reason, publisher);
}

/** The current state and every version, oldest first; 404 when there is no such summary. */
export async function getSummary(
  id: string,
  deps: Pick<SummaryDependencies, 'summaries'>,
): Promise<{ record: SummaryRecord; versions: SummaryVersionRecord[] }> {
  return getDocument({ noun: NOUN, store: deps.summaries }, id);
}

/** The registry id of the jurisdiction on the last day of the span; 422 when no unit had the code, 403 outside. */
async function resolveJurisdiction(
  content: SummaryContent,
  publisher: Publisher,
  deps: SummaryDependencies,
): Promise<string> {
  const [unit] = await resolveUnitsInJurisdiction(
    [content.jurisdiction],
    content.to,
    publisher.agency,
    deps.units,
    'jurisdiction',
    false,
  );
  if (!unit) throw new ValidationError([{ path: 'jurisdiction', message: 'no such unit' }]);
  return unit.id;
}
