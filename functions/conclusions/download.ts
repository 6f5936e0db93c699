import type { AttachmentStore } from '../../shared/conclusions/ports.js';
import { isPdf, parseAttachmentKey } from '../../shared/conclusions/service.js';
import { NotFoundError } from '../../shared/errors.js';
import type { FunctionConfig } from '../lib/config.js';
import { type HttpResult, httpHandler } from '../lib/http.js';
import { attachmentsOf } from './attachment-store.js';

/**
 * `GET /api/v1/attachments/{name}`: the published PDF of a conclusion version. Locally the bytes themselves;
 * in AWS a redirect to a short-lived S3 URL. The name holds the SHA-256, so the content never changes and may
 * be cached for ever.
 */
export function createDownloadAttachmentHandler(
  deps: () => { readonly attachments: AttachmentStore },
  config: FunctionConfig = process.env,
) {
  return httpHandler({
    config,
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

/** The handler over a configuration's store (lib/config.ts): the local stack's, or the environment's in Lambda. */
export const createHandler = (config: FunctionConfig) =>
  createDownloadAttachmentHandler(() => attachmentsOf(config), config);

export const handler = createHandler(process.env);
