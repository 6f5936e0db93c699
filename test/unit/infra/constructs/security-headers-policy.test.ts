import { HeadersFrameOption, HeadersReferrerPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { describe, expect, it } from 'vitest';
import { headersBehavior, parseStrictTransportSecurity } from '../../../../infra/constructs/security-headers-policy.js';
import { InfraDefinitionError } from '../../../../infra/errors.js';
import { CONTENT_SECURITY_POLICY, securityHeaders } from '../../../../shared/http/security-headers.js';

describe('headersBehavior', () => {
  it('maps every shared security header to a CloudFront setting, typed where CloudFront has one', () => {
    // Act
    const behavior = headersBehavior(securityHeaders);

    // Assess
    const security = behavior.securityHeadersBehavior;
    expect(security.contentSecurityPolicy).toEqual({ contentSecurityPolicy: CONTENT_SECURITY_POLICY, override: true });
    expect(security.referrerPolicy?.referrerPolicy).toBe(HeadersReferrerPolicy.NO_REFERRER);
    expect(security.frameOptions?.frameOption).toBe(HeadersFrameOption.DENY);
    expect(security.contentTypeOptions).toEqual({ override: true });
    expect(security.strictTransportSecurity?.accessControlMaxAge.toSeconds()).toBe(63072000);
    expect(behavior.customHeaders.map((header) => header.header).sort()).toEqual([
      'cross-origin-opener-policy',
      'permissions-policy',
    ]);
    const typed = Object.keys(security).length;
    expect(typed + behavior.customHeaders.length).toBe(Object.keys(securityHeaders).length);
  });

  it('serves a CSP without unsafe-inline that upgrades insecure requests', () => {
    // Act
    const csp = headersBehavior(securityHeaders).securityHeadersBehavior.contentSecurityPolicy?.contentSecurityPolicy;

    // Assess
    // 'wasm-unsafe-eval' (Pagefind's WebAssembly) is allowed; JavaScript eval and inline code are not.
    expect(csp).not.toMatch(/'unsafe-inline'|'unsafe-eval'/);
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain('upgrade-insecure-requests');
  });

  it('throws for a header value CloudFront cannot express', () => {
    // Act / Assess
    expect(() => headersBehavior({ 'referrer-policy': 'nope' })).toThrow(InfraDefinitionError);
    expect(() => headersBehavior({ 'x-frame-options': 'ALLOW-FROM x' })).toThrow(InfraDefinitionError);
    expect(() => headersBehavior({ 'x-content-type-options': 'sniff' })).toThrow(InfraDefinitionError);
  });
});

describe('parseStrictTransportSecurity', () => {
  it('reads max-age, includeSubDomains and preload', () => {
    // Act
    const parsed = parseStrictTransportSecurity('max-age=63072000; includeSubDomains; preload');

    // Assess
    expect(parsed.accessControlMaxAge.toSeconds()).toBe(63072000);
    expect(parsed.includeSubdomains).toBe(true);
    expect(parsed.preload).toBe(true);
  });

  it('reads a header without the optional directives', () => {
    // Act
    const parsed = parseStrictTransportSecurity('max-age=300');

    // Assess
    expect(parsed).toMatchObject({ includeSubdomains: false, preload: false });
  });

  it('throws without a max-age', () => {
    // Act / Assess
    expect(() => parseStrictTransportSecurity('includeSubDomains')).toThrow(InfraDefinitionError);
  });
});
