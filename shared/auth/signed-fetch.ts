import { type SigningKey, signAgencyRequest } from './sign-agency-request.js';

/**
 * The HTTP side of agency publishing, for `npm run publish` and the agency console in the browser alike: one
 * freshly signed token per request (a retry is a new request with a new `jti`, so the replay guard never refuses
 * an honest retry), the exact body bytes that were signed. Only `fetch`: the same code runs in Node and browsers.
 */

export interface ApiAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON, when it is JSON. */
  readonly json: Record<string, unknown> | undefined;
}

export interface ApiRequest {
  readonly method: 'GET' | 'POST' | 'PUT';
  /** Path with query, or an absolute URL (pre-signed uploads). */
  readonly path: string;
  readonly body?: Uint8Array;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sign with the agency key (every API write); false for pre-signed S3 uploads. */
  readonly signed: boolean;
  /** The deployment's own token audience, when it has one (`API_AUDIENCE`; see shared/auth/constants.ts). */
  readonly audience?: string;
}

/** Sends one request; network failures are thrown (callers decide whether to retry). */
export async function sendApiRequest(origin: string, key: SigningKey, request: ApiRequest): Promise<ApiAnswer> {
  const url = /^https?:\/\//.test(request.path) ? request.path : `${origin}${request.path}`;
  const body = request.body ?? new Uint8Array();
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...request.headers };
  if (request.body !== undefined) headers['content-type'] ??= request.contentType ?? 'application/json';
  if (request.signed) {
    const target = new URL(url);
    headers.authorization = await signAgencyRequest(key, {
      method: request.method,
      pathWithQuery: `${target.pathname}${target.search}`,
      body,
      ...(request.audience ? { audience: request.audience } : {}),
    });
  }
  const response = await fetch(url, {
    method: request.method,
    headers,
    ...(request.body !== undefined ? { body: body as Uint8Array<ArrayBuffer> } : {}),
    redirect: 'manual',
  });
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    json = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** One line describing a refusal: status, detail and the field errors. */
export function describeProblem(answer: ApiAnswer): string {
  const detail = typeof answer.json?.detail === 'string' ? answer.json.detail : answer.text.slice(0, 200);
  const errors = Array.isArray(answer.json?.errors)
    ? (answer.json.errors as { path?: unknown; message?: unknown }[]).map(
        (e) => `${String(e.path)}: ${String(e.message)}`,
      )
    : [];
  return `${answer.status} ${detail}${errors.length > 0 ? ` (${errors.join('; ')})` : ''}`;
}

/**
 * True when re-sending a request cannot change the outcome: accepted, or refused for what the body says. A 401
 * (clock skew, a key being registered), a timeout or a rate limit may pass on a later try.
 */
export function isFinalStatus(status: number): boolean {
  return (status >= 200 && status < 300) || (status >= 400 && status < 500 && ![401, 408, 425, 429].includes(status));
}
