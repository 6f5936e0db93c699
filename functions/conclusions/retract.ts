import { ConclusionRetractionSchema } from '../../shared/conclusions/schemas.js';
import { retractConclusion } from '../../shared/conclusions/service.js';
import { ValidationError } from '../../shared/errors.js';
import { cappedRawBody, parseBody } from '../lib/body.js';
import { httpHandler } from '../lib/http.js';
import { zodIssues } from '../lib/zod-issues.js';
import { type AgencyApiDependencies, agencyApiDependencies, authenticate } from './dependencies.js';
import { conclusionIdParam } from './params.js';
import { conclusionHeaders, conclusionResource } from './resource.js';

/** Largest retraction body: a reason of at most 2,000 characters. */
const RETRACTION_MAX_BODY_BYTES = 16 * 1024;

/**
 * `POST /api/v1/conclusions/{id}/retraction`: the publishing agency retracts a conclusion; 200 with the new
 * version, status `retracted`, content unchanged. The body `{ "reason": "…" }` is optional (an empty body is
 * a retraction without a stated reason); `If-Match` is optional and, when sent, must name the current version.
 */
export function createRetractConclusionHandler(deps: () => AgencyApiDependencies) {
  return httpHandler({
    async handle(request) {
      const d = deps();
      const id = conclusionIdParam(request.params.id);
      const raw = cappedRawBody(request.event.body, request.event.isBase64Encoded, RETRACTION_MAX_BODY_BYTES);
      // The signature covers the exact body bytes: verified before the body is parsed or schema-checked.
      const publisher = await authenticate({ ...request, rawBody: raw }, d);
      let reason: string | undefined;
      if (raw.length > 0) {
        const parsed = parseBody(request.event.body, request.event.isBase64Encoded, request.headers['content-type'], {
          maxBytes: RETRACTION_MAX_BODY_BYTES,
          mediaTypes: ['application/json'],
        });
        const result = ConclusionRetractionSchema.safeParse(parsed.value);
        if (!result.success) throw new ValidationError(zodIssues(result.error));
        reason = result.data.reason;
      }
      const { record } = await retractConclusion(id, request.headers['if-match'], reason, publisher, d);
      return {
        status: 200,
        headers: conclusionHeaders(record),
        body: conclusionResource(record, { id: publisher.agency.id, name: publisher.agency.name }, d.attachments),
      };
    },
  });
}

export const handler = createRetractConclusionHandler(agencyApiDependencies);
