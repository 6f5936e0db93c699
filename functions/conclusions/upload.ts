import { storeAttachmentBytes } from '../../shared/conclusions/service.js';
import { authenticate } from '../lib/agency-api.js';
import type { FunctionConfig } from '../lib/config.js';
import { httpHandler } from '../lib/http.js';
import { routeBody } from '../lib/route-body.js';
import { type ConclusionApiDependencies, conclusionApiDependenciesOf } from './dependencies.js';

/**
 * `PUT /api/v1/attachments/{name}`: the bytes of an announced attachment (`application/pdf`), signed by the
 * publishing agency (`bh` is then the file's own SHA-256). Stored all or nothing; 200 with what was stored.
 */
export function createUploadAttachmentHandler(
  deps: () => ConclusionApiDependencies,
  config: FunctionConfig = process.env,
) {
  return httpHandler({
    config,
    ...routeBody('attachments-upload'),
    // The signature's body hash is the file's own SHA-256: verified over the exact bytes.
    before: (request) => authenticate(request, deps()),
    async handle(request) {
      const d = deps();
      const stored = await storeAttachmentBytes(request.params.name ?? '', request.rawBody, request.guarded, d);
      return {
        status: 200,
        body: { sha256: stored.sha256, bytes: stored.bytes, url: d.attachments.publicUrl(stored.key) },
      };
    },
  });
}

/** The handler over a configuration's ports (lib/config.ts): the local stack's, or the environment's in Lambda. */
export const createHandler = (config: FunctionConfig) =>
  createUploadAttachmentHandler(conclusionApiDependenciesOf(config), config);

export const handler = createHandler(process.env);
