import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { AttachmentStore } from '../../shared/conclusions/ports.js';
import { isPdf, parseAttachmentKey } from '../../shared/conclusions/service.js';
import { NotFoundError } from '../../shared/errors.js';
import { attachmentStoreFromEnv } from '../../shared/storage/attachments-repository.js';
import { logger } from '../lib/observability.js';
import { toProblem } from '../lib/problem.js';

/**
 * `GET /api/v1/attachments/{name}`: the published PDF of a conclusion version. Locally the bytes themselves;
 * in AWS a redirect to a short-lived S3 URL. The name holds the SHA-256, so the content never changes and may
 * be cached for ever. Built without the JSON response mapping because the body is binary; errors still go
 * through the one problem+json mapping.
 */
export function createDownloadAttachmentHandler(deps: () => { readonly attachments: AttachmentStore }) {
  return async function downloadAttachment(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    try {
      const name = event.pathParameters?.name ?? '';
      if (!parseAttachmentKey(name)) throw new NotFoundError('No attachment by that name.');
      const found = await deps().attachments.locate(name);
      if (!found) throw new NotFoundError('The attachment has not been uploaded (yet).');
      if ('redirect' in found) {
        return { statusCode: 302, headers: { location: found.redirect, 'cache-control': 'no-store' } };
      }
      // Always a download, never rendered on the site's own origin (a crafted file there could act as the site);
      // and only what starts as a PDF is called one.
      return {
        statusCode: 200,
        headers: {
          'content-type': isPdf(found.bytes) ? 'application/pdf' : 'application/octet-stream',
          'content-disposition': `attachment; filename="${name}"`,
          'cache-control': 'public, max-age=31536000, immutable',
          'x-content-type-options': 'nosniff',
        },
        body: Buffer.from(found.bytes).toString('base64'),
        isBase64Encoded: true,
      };
    } catch (error) {
      const { problem, headers, internal } = toProblem(error, {
        instance: event.rawPath,
        correlationId: event.requestContext?.requestId,
      });
      if (internal) logger.error('unhandled error', { correlationId: problem.correlationId, error: error as Error });
      return {
        statusCode: problem.status,
        headers: { ...headers, 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
        body: JSON.stringify(problem),
      };
    }
  };
}

let attachments: AttachmentStore | undefined;

export const handler = createDownloadAttachmentHandler(() => {
  attachments ??= attachmentStoreFromEnv();
  return { attachments };
});
