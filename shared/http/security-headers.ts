/**
 * The security headers of every page and API response, in one place: the local server sets them and the
 * CloudFront response headers policy (infra/) is built from them.
 */

/** No inline script or style anywhere: the site emits external files only. */
const CSP_DIRECTIVES = [
  "default-src 'self'",
  // 'wasm-unsafe-eval' lets Pagefind's search run its WebAssembly; it allows no JavaScript eval.
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "object-src 'none'",
];

/** The CSP served over HTTPS (CloudFront): also upgrades any stray http:// subresource. */
export const CONTENT_SECURITY_POLICY = [...CSP_DIRECTIVES, 'upgrade-insecure-requests'].join('; ');

/**
 * The CSP of the local plain-HTTP origin: without `upgrade-insecure-requests`, which would send the form's
 * same-origin post to https://127.0.0.1 where nothing listens.
 */
export const LOCAL_CONTENT_SECURITY_POLICY = CSP_DIRECTIVES.join('; ');

/** HSTS for two years; only meaningful over HTTPS (CloudFront), harmless on the local HTTP origin. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=63072000; includeSubDomains; preload';

export const securityHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'strict-transport-security': STRICT_TRANSPORT_SECURITY,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  'cross-origin-opener-policy': 'same-origin',
};

/** The same headers for the local HTTP origin (`npm start`). */
export const localSecurityHeaders: Readonly<Record<string, string>> = {
  ...securityHeaders,
  'content-security-policy': LOCAL_CONTENT_SECURITY_POLICY,
};
