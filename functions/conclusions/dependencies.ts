import type { AttachmentStore } from '../../shared/conclusions/ports.js';
import { type AgencyApiDependencies, agencyApiDependencies } from '../lib/agency-api.js';
import { type FunctionConfig, perConfig } from '../lib/config.js';
import { attachmentsOf } from './attachment-store.js';

/**
 * What only the conclusion routes add to the agency API's ports (lib/agency-api.ts): the store of the signed PDFs.
 * Only their functions are given a bucket (`needs: ['attachments-bucket']` in routes.ts), so a summary or report
 * function neither builds nor bundles one.
 */

/** The ports of a conclusion route. */
export interface ConclusionApiDependencies extends AgencyApiDependencies {
  readonly attachments: AttachmentStore;
}

/** The production wiring of a configuration: the agency API's ports (same clients) and its attachment store. */
export const conclusionApiDependencies = perConfig(
  (config): ConclusionApiDependencies => ({ ...agencyApiDependencies(config), ...attachmentsOf(config) }),
);

/** The dependencies of a configuration, built on first use (so building a handler reads nothing). */
export function conclusionApiDependenciesOf(config: FunctionConfig): () => ConclusionApiDependencies {
  return () => conclusionApiDependencies(config);
}
