import { AttachmentInputSchema } from '../../shared/conclusions/schemas.js';
import { attachDocument } from '../../shared/conclusions/service.js';
import { authenticate } from '../lib/agency-api.js';
import type { FunctionConfig } from '../lib/config.js';
import { httpHandler } from '../lib/http.js';
import { routeBody } from '../lib/route-body.js';
import { type ConclusionApiDependencies, conclusionApiDependenciesOf } from './dependencies.js';
import { conclusionIdParam } from './params.js';
import { conclusionHeaders, conclusionResource } from './resource.js';

/**
 * `POST /api/v1/conclusions/{id}/attachment`: the publishing agency announces the signed PDF of the current
 * version by its SHA-256 and size (both published at once) and gets where to upload it: in AWS a pre-signed S3
 * PUT that only accepts those bytes; locally `PUT /api/v1/attachments/{name}`, signed like any agency request.
 */
export function createAttachDocumentHandler(
  deps: () => ConclusionApiDependencies,
  config: FunctionConfig = process.env,
) {
  return httpHandler({
    config,
    ...routeBody('conclusions-attach', AttachmentInputSchema),
    // The signature covers the exact body bytes: verified before the body is parsed or schema-checked.
    before: (request) => authenticate(request, deps()),
    async handle(request) {
      const d = deps();
      const id = conclusionIdParam(request.params.id);
      const publisher = request.guarded;
      const { record, upload, created } = await attachDocument(id, request.body, publisher, d);
      const resource = conclusionResource(
        record,
        { id: publisher.agency.id, name: publisher.agency.name },
        d.attachments,
      );
      return {
        status: created ? 201 : 200,
        headers: conclusionHeaders(record),
        body: { attachment: resource.attachment, upload, conclusion: resource },
      };
    },
  });
}

/** The handler over a configuration's ports (lib/config.ts): the local stack's, or the environment's in Lambda. */
export const createHandler = (config: FunctionConfig) =>
  createAttachDocumentHandler(conclusionApiDependenciesOf(config), config);

export const handler = createHandler(process.env);
