import { Duration } from 'aws-cdk-lib';
import {
  HeadersFrameOption,
  HeadersReferrerPolicy,
  type ResponseCustomHeader,
  ResponseHeadersPolicy,
  type ResponseSecurityHeadersBehavior,
} from 'aws-cdk-lib/aws-cloudfront';
import type { Construct } from 'constructs';
import { securityHeaders } from '../../shared/http/security-headers.js';
import { InfraDefinitionError } from '../errors.js';

/**
 * The CloudFront response headers policy, built from the one list of security headers the local server also
 * sends (shared/http/security-headers.ts). CloudFront models the classic security headers as typed settings
 * and refuses them as custom headers, so each header goes to its typed setting and only the rest (such as
 * Permissions-Policy) become custom headers. Every header overrides whatever an origin sent.
 */

export interface HeadersBehavior {
  readonly securityHeadersBehavior: ResponseSecurityHeadersBehavior;
  readonly customHeaders: ResponseCustomHeader[];
}

/** Maps a header record (lower-case names) to CloudFront's typed and custom header settings. */
export function headersBehavior(headers: Readonly<Record<string, string>>): HeadersBehavior {
  const security: {
    -readonly [K in keyof ResponseSecurityHeadersBehavior]: ResponseSecurityHeadersBehavior[K];
  } = {};
  const customHeaders: ResponseCustomHeader[] = [];
  for (const [rawName, value] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    switch (name) {
      case 'content-security-policy':
        security.contentSecurityPolicy = { contentSecurityPolicy: value, override: true };
        break;
      case 'strict-transport-security':
        security.strictTransportSecurity = { ...parseStrictTransportSecurity(value), override: true };
        break;
      case 'referrer-policy':
        security.referrerPolicy = { referrerPolicy: referrerPolicy(value), override: true };
        break;
      case 'x-content-type-options':
        if (value !== 'nosniff')
          throw new InfraDefinitionError(`X-Content-Type-Options can only be nosniff, not "${value}"`);
        security.contentTypeOptions = { override: true };
        break;
      case 'x-frame-options':
        security.frameOptions = { frameOption: frameOption(value), override: true };
        break;
      default:
        customHeaders.push({ header: rawName, value, override: true });
    }
  }
  return { securityHeadersBehavior: security, customHeaders };
}

/** Parses `max-age=N; includeSubDomains; preload` into CloudFront's HSTS settings. */
export function parseStrictTransportSecurity(value: string): {
  accessControlMaxAge: Duration;
  includeSubdomains: boolean;
  preload: boolean;
} {
  const directives = value.split(';').map((part) => part.trim().toLowerCase());
  const maxAge = directives.find((part) => part.startsWith('max-age='))?.slice('max-age='.length);
  const seconds = Number(maxAge);
  if (maxAge === undefined || !Number.isInteger(seconds) || seconds < 0) {
    throw new InfraDefinitionError(`Strict-Transport-Security needs max-age=<seconds>: "${value}"`);
  }
  return {
    accessControlMaxAge: Duration.seconds(seconds),
    includeSubdomains: directives.includes('includesubdomains'),
    preload: directives.includes('preload'),
  };
}

function referrerPolicy(value: string): HeadersReferrerPolicy {
  const found = Object.values(HeadersReferrerPolicy).find((policy) => policy === value);
  if (!found) throw new InfraDefinitionError(`unknown Referrer-Policy "${value}"`);
  return found;
}

function frameOption(value: string): HeadersFrameOption {
  const found = Object.values(HeadersFrameOption).find((option) => option === value.toUpperCase());
  if (!found) throw new InfraDefinitionError(`unknown X-Frame-Options "${value}"`);
  return found;
}

/** The policy attached to every behaviour of the distribution (site and API alike). */
export function createSecurityHeadersPolicy(scope: Construct, id: string, name: string): ResponseHeadersPolicy {
  const behavior = headersBehavior(securityHeaders);
  return new ResponseHeadersPolicy(scope, id, {
    responseHeadersPolicyName: name,
    comment: 'Security headers of shared/http/security-headers.ts',
    securityHeadersBehavior: behavior.securityHeadersBehavior,
    customHeadersBehavior: { customHeaders: behavior.customHeaders },
  });
}
