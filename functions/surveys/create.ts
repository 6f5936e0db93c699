import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { assertSameSite, siteOriginsFromEnv } from '../../shared/http/same-site.js';
import { DynamoAgencyRepository } from '../../shared/storage/agencies-repository.js';
import { createDocumentClient, createDynamoClient } from '../../shared/storage/client.js';
import { DynamoRateLimitStore } from '../../shared/storage/rate-limit-repository.js';
import { DynamoRefusalStore } from '../../shared/storage/refusals-repository.js';
import { DynamoSurveyStore } from '../../shared/storage/surveys-repository.js';
import { tableNamesFromEnv } from '../../shared/storage/tables.js';
import { formErrorAnswer, thankYouPath } from '../../shared/surveys/form.js';
import {
  type RecordRefusalDeps,
  type RefusalReason,
  recordRefusal,
  refusalReasonOf,
} from '../../shared/surveys/integrity.js';
import { systemClock } from '../../shared/surveys/ports.js';
import { type RateLimitDeps, surveyRateLimitFromEnv, withRateLimit } from '../../shared/surveys/rate-limit.js';
import { SurveyFormSchema, type SurveyLanguage, SurveyResponseSchema } from '../../shared/surveys/schemas.js';
import { isHoneypotFilled, type SubmitSurveyDeps, submitSurvey } from '../../shared/surveys/service.js';
import { type FunctionConfig, perConfig } from '../lib/config.js';
import { type HttpEvent, type HttpResult, httpHandler } from '../lib/http.js';
import { logger } from '../lib/observability.js';
import type { Problem } from '../lib/problem.js';
import { routeBody } from '../lib/route-body.js';
import { functionUnitLookup } from '../lib/units.js';
import { surveySecretsFromEnv } from './secrets.js';

/**
 * `POST /api/v1/surveys`: a citizen rates the service received (CONTRACT.md). JSON gets 201 and problem+json;
 * the site's HTML form (form-encoded, wanting HTML) gets 303 to the thank-you page, or its refusal's status with
 * a page that takes the browser back to the site's own form page naming the errors (shared/surveys/form.ts): the
 * site's page is the form's only template. Order of the guards: body cap → another site's form post (403, before any parsing) → media type and
 * schema (middleware) → honeypot (a filled one gets the success answer and nothing is stored, not even a
 * rate-limit hit) → the domain call, whose write also counts the request against its client's per-minute limit (429
 * at the limit; a request refused on the way is counted alone, so refusals use up the limit too: `withRateLimit`).
 * Every refusal on the way is counted by reason, and only counted (shared/surveys/integrity.ts).
 */

export interface SurveyHandlerDeps {
  readonly submit: SubmitSurveyDeps;
  readonly rateLimit: RateLimitDeps;
  /** The site's own origins (`SITE_ORIGINS`); without them a form post's `Origin` must match its `Host`. */
  readonly siteOrigins?: readonly string[];
  /** Where refused submissions are counted, by reason (`/data/integrity.json`); without it, nowhere. */
  readonly refusals?: RecordRefusalDeps;
}

/** Builds the handler over its ports; `deps` is called on the first request (so importing needs no env). */
export function createSurveyHandler(deps: () => SurveyHandlerDeps, config: FunctionConfig = process.env) {
  const refused = (reason: RefusalReason) => countRefusal(reason, deps().refusals);
  const handler = httpHandler({
    config,
    ...routeBody('surveys-create', SurveyResponseSchema, SurveyFormSchema),
    renderError: redirectFormError,
    before(request) {
      const siteOrigins = deps().siteOrigins;
      assertSameSite({ headers: request.headers, ...(siteOrigins ? { siteOrigins } : {}) });
    },
    async handle(request): Promise<HttpResult> {
      const input = request.body;
      const html = wantsHtml(request.event);
      const d = deps();
      // The honeypot is answered exactly like a success so a robot learns nothing; nothing of it is written, only
      // one more in the day's count of refusals.
      if (isHoneypotFilled(input)) {
        await refused('honeypot');
        return html ? seeOther(input.lang) : { status: 202, body: { status: 'accepted' } };
      }
      // The viewer's address only when the request provably came through CloudFront (http.ts, origin-verify.ts).
      // The request is counted against its client's limit in the response's own write; a refused one, alone.
      const result = await withRateLimit(request.clientAddress, d.rateLimit, (rateCount) =>
        submitSurvey(input, d.submit, { rateCount }),
      );
      if (html) return seeOther(input.lang);
      return {
        status: 201,
        body: {
          id: result.id,
          unit: result.unitId,
          date: result.date,
          comment: result.comment,
          verified: result.verified,
        },
      };
    },
  });
  // Registered last, so its onError runs first of all (middy runs them in reverse), on the error as thrown by any
  // step (the same-site guard, the body parser, the schema, the domain), before it becomes problem+json.
  return handler.use({
    onError: async function countRefusedSubmission(request) {
      const reason = refusalReasonOf(request.error);
      if (reason) await refused(reason);
    },
  });
}

/**
 * Counts a refusal; a failure to count is logged and never changes the answer (the citizen's answer matters more than
 * one count, and the log says a count was lost).
 */
async function countRefusal(reason: RefusalReason, deps: RecordRefusalDeps | undefined): Promise<void> {
  if (!deps) return;
  try {
    await recordRefusal(reason, deps);
  } catch (error) {
    logger.warn('refusal not counted', { reason, error: error instanceof Error ? error.name : 'unknown' });
  }
}

function seeOther(lang: SurveyLanguage): HttpResult {
  return { status: 303, headers: { location: thankYouPath(lang) } };
}

/** A form post from a browser wants HTML back; a script posting a form may ask for JSON with `Accept`. */
export function wantsHtml(event: APIGatewayProxyEventV2): boolean {
  const headers = event.headers ?? {};
  const contentType = (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/x-www-form-urlencoded') return false;
  const accept = (headers.accept ?? '').toLowerCase();
  return accept === '' || accept.includes('text/html') || !accept.includes('json');
}

/**
 * A refused form post keeps its status (CONTRACT.md) and goes straight back to the site's form page with its
 * errors named in the address (shared/surveys/form.ts, `formErrorAnswer`); a JSON caller gets problem+json. The
 * values read are those the body parser left, if any. A post from another site is the exception: it gets its 403
 * problem+json, never a way into the site's pages.
 */
function redirectFormError(problem: Problem, event: HttpEvent): HttpResult | undefined {
  if (!wantsHtml(event) || problem.status === 403) return undefined;
  const parsed = event.http?.parsed?.value;
  const posted = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  const answer = formErrorAnswer(problem, posted);
  return { status: answer.status, html: answer.html };
}

/** The production wiring of a configuration: clients once per configuration (`process.env` in Lambda). */
const surveyHandlerDeps = perConfig((config): SurveyHandlerDeps => {
  const tables = tableNamesFromEnv(config);
  const doc = createDocumentClient(createDynamoClient(config));
  const secrets = surveySecretsFromEnv(config);
  const siteOrigins = siteOriginsFromEnv(config);
  // The rate-limit buckets are in the stats table, counted in the survey's own transaction (keys.ts says why).
  const rateLimits = new DynamoRateLimitStore(doc, tables.stats);
  return {
    submit: {
      // The committed registry shipped with the code while the store vouches for it: no Query per service point.
      units: functionUnitLookup(doc, tables.records),
      // Read only: the keys that sign receipts (the survey function may read agencies, never write them).
      agencies: new DynamoAgencyRepository(doc, tables.records),
      store: new DynamoSurveyStore(doc, tables.records, rateLimits),
      dossierSecret: secrets.dossierSecret,
      clock: systemClock,
    },
    rateLimit: {
      store: rateLimits,
      secret: secrets.rateLimitSecret,
      clock: systemClock,
      limit: surveyRateLimitFromEnv(config),
    },
    ...(siteOrigins ? { siteOrigins } : {}),
    refusals: { store: new DynamoRefusalStore(doc, tables.records), clock: systemClock },
  };
});

/** The handler over a configuration's ports (lib/config.ts): the local stack's, or the environment's in Lambda. */
export const createHandler = (config: FunctionConfig) => createSurveyHandler(() => surveyHandlerDeps(config), config);

export const handler = createHandler(process.env);
