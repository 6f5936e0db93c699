import type { Agency, AgencyKey } from './schemas.js';

/** What request verification reads: an agency and its keys, in one read. */
export interface AgencyDirectory {
  /** The agency with its keys (active and revoked), or undefined. */
  find(agencyId: string): Promise<{ agency: Agency; keys: AgencyKey[] } | undefined>;
}

/** The registry the admin CLI writes (adapter: shared/storage/agencies-repository.ts). */
export interface AgencyRegistry extends AgencyDirectory {
  /** Creates the agency with its first key; throws ConflictError when the id is taken. */
  create(agency: Agency, key: AgencyKey): Promise<void>;
  /** Adds a key to an existing agency; a key already there is left as it is. */
  addKey(key: AgencyKey): Promise<void>;
  /** Marks a key revoked; throws NotFoundError when the agency has no such key. */
  revokeKey(agencyId: string, thumbprint: string, revokedAt: string): Promise<AgencyKey>;
  /** Every agency, by id. */
  list(): Promise<Agency[]>;
  /** Suspends or reinstates an agency (a suspended one's requests are refused); NotFoundError when unknown. */
  setStatus(agencyId: string, status: Agency['status'], at: string): Promise<Agency>;
}
