import { attachmentStoreFromEnv } from '../../shared/storage/attachments-repository.js';
import { perConfig } from '../lib/config.js';

/**
 * The attachment store of a configuration, made on first use and shared by every conclusion route built from it.
 * Its own module, so the download route (which needs nothing else) bundles neither the DynamoDB stores nor the
 * signed-request check that dependencies.ts brings.
 */
export const attachmentsOf = perConfig((config) => ({ attachments: attachmentStoreFromEnv(config) }));
