import type { VersionedStore } from '../publishing/versioned.js';
import type { SummaryRecord, SummaryVersionRecord } from './records.js';

/** The summary store: the kernel's versioned store (adapter: shared/storage/summaries-repository.ts). */
export type SummaryStore = VersionedStore<SummaryRecord, SummaryVersionRecord>;
