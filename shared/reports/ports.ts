import type { ReplayMarker } from '../auth/replay.js';
import type { SignedRequest } from '../auth/signed-request.js';
import type { ReportRecord } from './records.js';

/** The report store (adapter: shared/storage/reports-repository.ts). */
export interface ReportStore {
  /** The report of an agency for a unit and month (strongly consistent), or undefined. */
  get(agencyId: string, unitId: string, month: string): Promise<ReportRecord | undefined>;
  /** Writes a new report; StaleWriteError when one exists, ReplayedRequestError on a replay. */
  create(record: ReportRecord, replay?: ReplayMarker, signed?: SignedRequest): Promise<void>;
  /** Replaces the report if its version is still `expectedVersion`; StaleWriteError otherwise. */
  replace(record: ReportRecord, expectedVersion: number, replay?: ReplayMarker, signed?: SignedRequest): Promise<void>;
}
