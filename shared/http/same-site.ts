import { ForbiddenError } from '../errors.js';

/**
 * Refusing form posts made from other sites (CONTRACT.md, survey section): any page on the web could otherwise
 * make its visitors' browsers post ratings (cross-site request forgery, thousands of real home addresses).
 * Browsers say where a request comes from in two headers: `Sec-Fetch-Site` (Fetch Metadata, every current
 * browser) and `Origin` (sent with every cross-origin and every form POST). A request with neither is not from
 * a browser page (a script, curl) and is not a forgery risk: it is let through, rate limited as any other.
 */

/** Why a request was judged to come from another site; recorded (in aggregate) as a refusal reason. */
export class CrossSiteRequestError extends ForbiddenError {
  constructor() {
    super(
      'Survey responses are accepted only from this site’s own form. Open the form on this site and send it again.',
    );
  }
}

export interface SameSiteInput {
  /** Lower-cased request headers. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /**
   * The site's own origins (`https://example.vn`), when configured (in AWS, where the API sits behind
   * CloudFront and the `Host` it sees is not the viewer's). Without them the request's own host is the site.
   */
  readonly siteOrigins?: readonly string[];
}

/** `Sec-Fetch-Site` values of a request made by this site's own pages, or typed/bookmarked by the user. */
const OWN_FETCH_SITES = new Set(['same-origin', 'none']);

/**
 * Throws CrossSiteRequestError unless the request comes from the site's own pages (or from no page at all).
 * @example assertSameSite({ headers: { host: 'a.vn', origin: 'https://evil.example' } }) // throws
 */
export function assertSameSite(input: SameSiteInput): void {
  const { headers } = input;
  const fetchSite = headers['sec-fetch-site']?.trim().toLowerCase();
  // `same-site` (a sibling subdomain) is refused too: nothing but the site's own origin posts the form.
  if (fetchSite !== undefined && fetchSite !== '' && !OWN_FETCH_SITES.has(fetchSite)) {
    throw new CrossSiteRequestError();
  }
  const origin = headers.origin?.trim();
  if (origin === undefined || origin === '') return;
  // The site's pages send `Referrer-Policy: no-referrer`, under which browsers serialize a form post's Origin as the
  // literal "null" (Fetch: "serializing a request origin"). Where Fetch Metadata says same-origin, that "null" is
  // the site's own page; without Fetch Metadata (an old browser) a "null" cannot be told from a sandboxed frame of
  // another site, and is refused.
  if (origin === 'null' && fetchSite !== undefined && OWN_FETCH_SITES.has(fetchSite)) return;
  if (!isOwnOrigin(origin, input)) throw new CrossSiteRequestError();
}

function isOwnOrigin(origin: string, input: SameSiteInput): boolean {
  const parsed = parseOrigin(origin);
  if (!parsed) return false;
  if (input.siteOrigins && input.siteOrigins.length > 0) {
    return input.siteOrigins.some((own) => parseOrigin(own)?.origin === parsed.origin);
  }
  const host = input.headers.host?.trim().toLowerCase();
  return host !== undefined && host !== '' && parsed.host === host;
}

function parseOrigin(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The site's own origins from configuration (`SITE_ORIGINS`, comma-separated), if any. */
export function siteOriginsFromEnv(env: NodeJS.ProcessEnv = process.env): readonly string[] | undefined {
  const value = env.SITE_ORIGINS?.trim();
  if (!value) return undefined;
  return value
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
}
