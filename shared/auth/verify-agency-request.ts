import {
  type CryptoKey,
  decodeJwt,
  decodeProtectedHeader,
  importJWK,
  type JWTPayload,
  errors as joseErrors,
  jwtVerify,
} from 'jose';
import type { AgencyDirectory } from '../agencies/ports.js';
import type { Agency, AgencyKey } from '../agencies/schemas.js';
import { AGENCY_ID_PATTERN } from '../agencies/schemas.js';
import { UnauthorizedError } from '../errors.js';
import { bodyHash } from './body-hash.js';
import {
  API_AUDIENCE,
  CLOCK_SKEW_SECONDS,
  JTI_PATTERN,
  MAX_TOKEN_LIFETIME_SECONDS,
  REPLAY_MARKER_GRACE_SECONDS,
  SIGNING_ALGORITHM,
} from './constants.js';
import { ReplayedRequestError, type ReplayGuard, type ReplayMarker } from './replay.js';
import { type SignedRequest, signedRequest } from './signed-request.js';

/**
 * Verifies an agency's signed request (CONTRACT.md, "Agency authentication"): a compact JWS, EdDSA only, signed
 * by one of the agency's active keys, for this audience, method, path and exact body bytes, fresh, and not
 * seen before. Every failure is a 401 that says which check failed; it never says more than the check.
 */

export interface VerifyDependencies {
  readonly agencies: AgencyDirectory;
  /** Optional early replay check; the write that stores the marker is what decides. */
  readonly replay?: Pick<ReplayGuard, 'seen'>;
  readonly now?: () => Date;
  /** This deployment's own audience, when it has one: tokens must name it beside `transparency-api`. */
  readonly audience?: string;
}

/** What an accepted token proves: who signed, with which key, and the marker to store with the write. */
export interface VerifiedAgencyRequest {
  readonly agency: Agency;
  readonly keyThumbprint: string;
  readonly replay: ReplayMarker;
  /** The token, key and exact body, kept with the version the request makes (signed-request.ts). */
  readonly signed: SignedRequest;
}

/** Longest Authorization header read: a token is a few hundred bytes; this stops work on junk early. */
const MAX_TOKEN_LENGTH = 4096;

const importedKeys = new Map<string, Promise<CryptoKey | Uint8Array>>();

/** Verifies the Authorization header of a request against its raw body; throws UnauthorizedError. */
export async function verifyAgencyRequest(
  headers: Readonly<Record<string, string | undefined>>,
  rawBody: Uint8Array,
  method: string,
  pathWithQuery: string,
  deps: VerifyDependencies,
): Promise<VerifiedAgencyRequest> {
  const token = bearerToken(headers.authorization);
  const { kid, issuer } = readUnverified(token);

  const found = await deps.agencies.find(issuer);
  if (!found) throw new UnauthorizedError(`No agency "${issuer}" is registered.`);
  if (found.agency.status !== 'active') throw new UnauthorizedError(`The agency "${issuer}" is not active.`);
  const candidates = found.keys.filter(
    (key) => key.status === 'active' && (kid === undefined || key.thumbprint === kid),
  );
  if (candidates.length === 0) {
    throw new UnauthorizedError(
      kid === undefined
        ? 'The agency has no active key.'
        : 'The key named by "kid" is not an active key of the agency.',
    );
  }

  const now = deps.now?.() ?? new Date();
  const { payload, key } = await verifyWithAny(token, candidates, issuer, now);
  const replay = checkClaims(payload, { issuer, method, pathWithQuery, rawBody, now });
  if (deps.audience !== undefined) {
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!audiences.includes(deps.audience)) {
      throw new UnauthorizedError(`The "aud" claim must also name this deployment ("${deps.audience}").`);
    }
  }
  if (deps.replay && (await deps.replay.seen(replay))) throw new ReplayedRequestError();
  return {
    agency: found.agency,
    keyThumbprint: key.thumbprint,
    replay,
    signed: signedRequest(token, key.thumbprint, replay.jti, rawBody),
  };
}

function bearerToken(header: string | undefined): string {
  if (!header) throw new UnauthorizedError('Send "Authorization: Bearer <JWT>" signed with the agency key.');
  const match = /^Bearer[ ]+([A-Za-z0-9_.-]+)$/i.exec(header.trim());
  if (!match?.[1] || match[1].length > MAX_TOKEN_LENGTH) {
    throw new UnauthorizedError('The Authorization header is not "Bearer <compact JWS>".');
  }
  return match[1];
}

/** Reads the header and issuer before verification, only to find the keys; nothing here is trusted. */
function readUnverified(token: string): { kid: string | undefined; issuer: string } {
  let header: ReturnType<typeof decodeProtectedHeader>;
  let claims: JWTPayload;
  try {
    header = decodeProtectedHeader(token);
    claims = decodeJwt(token);
  } catch {
    throw new UnauthorizedError('The token is not a well-formed compact JWS.');
  }
  if (header.alg !== SIGNING_ALGORITHM)
    throw new UnauthorizedError(`The token must be signed with alg "${SIGNING_ALGORITHM}".`);
  if (header.crit !== undefined) throw new UnauthorizedError('Critical header parameters are not supported.');
  if (header.kid !== undefined && (typeof header.kid !== 'string' || header.kid.length > 128)) {
    throw new UnauthorizedError('The "kid" header must be the key thumbprint.');
  }
  if (typeof claims.iss !== 'string' || !AGENCY_ID_PATTERN.test(claims.iss)) {
    throw new UnauthorizedError('The "iss" claim must be the agency id.');
  }
  return { kid: header.kid, issuer: claims.iss };
}

async function verifyWithAny(
  token: string,
  keys: readonly AgencyKey[],
  issuer: string,
  now: Date,
): Promise<{ payload: JWTPayload; key: AgencyKey }> {
  let lastClaimError: Error | undefined;
  for (const key of keys) {
    try {
      const { payload } = await jwtVerify(token, await importKey(key), {
        algorithms: [SIGNING_ALGORITHM],
        audience: API_AUDIENCE,
        issuer,
        clockTolerance: CLOCK_SKEW_SECONDS,
        // maxTokenAge makes jose require `iat` and refuse one in the future beyond the tolerance.
        maxTokenAge: MAX_TOKEN_LIFETIME_SECONDS,
        requiredClaims: ['iss', 'aud', 'iat', 'exp', 'jti'],
        currentDate: now,
      });
      return { payload, key };
    } catch (error) {
      if (error instanceof joseErrors.JWSSignatureVerificationFailed) continue;
      if (error instanceof joseErrors.JWTExpired) throw new UnauthorizedError('The token has expired.');
      if (error instanceof joseErrors.JWTClaimValidationFailed) {
        lastClaimError = new UnauthorizedError(
          `The token's "${error.claim}" claim is not acceptable: ${error.reason}.`,
        );
        break;
      }
      if (error instanceof joseErrors.JOSEError) throw new UnauthorizedError('The token could not be verified.');
      throw error;
    }
  }
  throw lastClaimError ?? new UnauthorizedError('The signature does not verify with any active key of the agency.');
}

function importKey(key: AgencyKey): Promise<CryptoKey | Uint8Array> {
  let imported = importedKeys.get(key.thumbprint);
  if (!imported) {
    imported = importJWK({ ...key.jwk }, SIGNING_ALGORITHM);
    importedKeys.set(key.thumbprint, imported);
    // A bad key must not stay cached as a rejected promise.
    imported.catch(() => importedKeys.delete(key.thumbprint));
  }
  return imported;
}

function checkClaims(
  payload: JWTPayload,
  request: { issuer: string; method: string; pathWithQuery: string; rawBody: Uint8Array; now: Date },
): ReplayMarker {
  const { iat, exp, jti } = payload;
  if (typeof iat !== 'number' || typeof exp !== 'number') throw new UnauthorizedError('"iat" and "exp" are required.');
  if (exp - iat > MAX_TOKEN_LIFETIME_SECONDS || exp < iat) {
    throw new UnauthorizedError(`"exp" must be at most ${MAX_TOKEN_LIFETIME_SECONDS} s after "iat".`);
  }
  if (typeof jti !== 'string' || !JTI_PATTERN.test(jti)) {
    throw new UnauthorizedError('"jti" must be a unique string of 8-128 URL-safe characters.');
  }
  if (payload.htm !== request.method.toUpperCase()) {
    throw new UnauthorizedError(`The "htm" claim must be the request method (${request.method.toUpperCase()}).`);
  }
  if (payload.htu !== request.pathWithQuery) {
    throw new UnauthorizedError('The "htu" claim must be the request path with its query.');
  }
  if (payload.bh !== bodyHash(request.rawBody)) {
    throw new UnauthorizedError('The "bh" claim does not match the SHA-256 of the request body.');
  }
  return { agencyId: request.issuer, jti, expiresAt: exp + REPLAY_MARKER_GRACE_SECONDS };
}
