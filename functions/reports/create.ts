import { ReportInputSchema } from '../../shared/reports/schemas.js';
import { fileReport } from '../../shared/reports/service.js';
import { type AgencyApiDependencies, agencyApiDependenciesOf, authenticate } from '../lib/agency-api.js';
import type { FunctionConfig } from '../lib/config.js';
import { httpHandler } from '../lib/http.js';
import { routeBody } from '../lib/route-body.js';
import { reportHeaders, reportResource } from './resource.js';

/**
 * `POST /api/v1/reports`: an agency files the procedure-handling figures of a unit for a month. 201 for a new
 * report; 200 when the same figures were already filed; 409 when other figures were (correct with PUT).
 */
export function createFileReportHandler(deps: () => AgencyApiDependencies, config: FunctionConfig = process.env) {
  return httpHandler({
    config,
    ...routeBody('reports-create', ReportInputSchema),
    // The signature covers the exact body bytes: verified before the body is parsed or schema-checked.
    before: (request) => authenticate(request, deps()),
    async handle(request) {
      const d = deps();
      const publisher = request.guarded;
      const { record, created } = await fileReport(request.body, publisher, d);
      return { status: created ? 201 : 200, headers: reportHeaders(record), body: reportResource(record) };
    },
  });
}

/** The handler over a configuration's ports (lib/config.ts): the local stack's, or the environment's in Lambda. */
export const createHandler = (config: FunctionConfig) =>
  createFileReportHandler(agencyApiDependenciesOf(config), config);

export const handler = createHandler(process.env);
