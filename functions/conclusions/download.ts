import type { AttachmentStore } from '../../shared/conclusions/ports.js';
import { isPdf, parseAttachmentKey } from '../../shared/conclusions/service.js';
import { NotFoundError } from '../../shared/errors.js';
import { attachmentStoreFromEnv } from '../../shared/storage/attachments-repository.js';
import { type HttpResult, httpHandler } from '../lib/http.js';

/**
 * `GET /api/v1/attachments/{name}`: the published PDF of a conclusion version. Locally the bytes themselves;
 * in AWS a redirect to a short-lived S3 URL. The name holds the SHA-256, so the content never changes and may
 * be cached for ever.
 */
export function createDownloadAttachmentHandler(deps: () => { readonly attachments: AttachmentStore }) {
  return httpHandler({
    async handle(request): Promise<HttpResult> {
      const name = request.params.name ?? '';
      if (!parseAttachmentKey(name)) throw new NotFoundError('No attachment by that name.');
      const found = await deps().attachments.locate(name);
      if (!found) throw new NotFoundError('The attachment has not been uploaded (yet).');
      if ('redirect' in found) return { status: 302, headers: { location: found.redirect } };
      // Always a download, never rendered on the site's own origin (a crafted file there could act as the site);
      // and only what starts as a PDF is called one.
      return {
        status: 200,
        bytes: found.bytes,
        headers: {
          'content-type': isPdf(found.bytes) ? 'application/pdf' : 'application/octet-stream',
          'content-disposition': `attachment; filename="${name}"`,
          'cache-control': 'public, max-age=31536000, immutable',
        },
      };
    },
  });
}

let attachments: AttachmentStore | undefined;

export const handler = createDownloadAttachmentHandler(() => {
  attachments ??= attachmentStoreFromEnv();
  return { attachments };
});
