import { ATTACHMENT_MAX_BYTES } from '../../shared/conclusions/schemas.js';
import { storeAttachmentBytes } from '../../shared/conclusions/service.js';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from '../../shared/errors.js';
import { mediaTypeOf, rawBody } from '../lib/body.js';
import { httpHandler } from '../lib/http.js';
import { type AgencyApiDependencies, agencyApiDependencies, authenticate } from './dependencies.js';

/**
 * `PUT /api/v1/attachments/{name}`: the bytes of an announced attachment (`application/pdf`), signed by the
 * publishing agency (`bh` is then the file's own SHA-256). Stored all or nothing; 200 with what was stored.
 */
export function createUploadAttachmentHandler(deps: () => AgencyApiDependencies) {
  return httpHandler({
    async handle(request) {
      const d = deps();
      const encoded = request.event.body?.length ?? 0;
      if (encoded > ATTACHMENT_MAX_BYTES * 1.34 + 16)
        throw new PayloadTooLargeError(`The file exceeds ${ATTACHMENT_MAX_BYTES} bytes.`);
      const raw = rawBody(request.event.body, request.event.isBase64Encoded);
      if (raw.length > ATTACHMENT_MAX_BYTES)
        throw new PayloadTooLargeError(`The file exceeds ${ATTACHMENT_MAX_BYTES} bytes.`);
      if (mediaTypeOf(request.headers['content-type'])?.type !== 'application/pdf') {
        throw new UnsupportedMediaTypeError('Send the file as application/pdf.');
      }
      const publisher = await authenticate({ ...request, rawBody: raw }, d);
      const stored = await storeAttachmentBytes(request.params.name ?? '', raw, publisher, d);
      return {
        status: 200,
        body: { sha256: stored.sha256, bytes: stored.bytes, url: d.attachments.publicUrl(stored.key) },
      };
    },
  });
}

export const handler = createUploadAttachmentHandler(agencyApiDependencies);
