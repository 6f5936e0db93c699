/**
 * The numbers of agency request signing (CONTRACT.md, "Agency authentication"), defined once for the verifier,
 * the signer (CLI, tests) and the OpenAPI document.
 */

/** The `aud` claim every agency token carries. */
export const API_AUDIENCE = 'transparency-api';

/**
 * The optional audience of one deployment (`API_AUDIENCE`, e.g. `congvu.gov.vn`): when a deployment sets it, its
 * tokens must name it too (`aud: ["transparency-api", "congvu.gov.vn"]`), so a token made for a local or staging
 * stack cannot be replayed against production within its lifetime. Signers read the same variable.
 */
export function deploymentAudienceFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env.API_AUDIENCE?.trim();
  return value ? value : undefined;
}

/** The one signature algorithm accepted: Ed25519 as JWS `EdDSA`. */
export const SIGNING_ALGORITHM = 'EdDSA';

/** Longest lifetime of a token (`exp - iat`), in seconds: short, so a leaked token is worth little. */
export const MAX_TOKEN_LIFETIME_SECONDS = 300;

/** Clock skew tolerated between an agency and the API, in seconds. */
export const CLOCK_SKEW_SECONDS = 60;

/**
 * How long a replay marker must live after a token's `exp`: as long as the token could still be accepted
 * (the skew), plus a margin because DynamoDB deletes expired items lazily and the check is the condition anyway.
 */
export const REPLAY_MARKER_GRACE_SECONDS = CLOCK_SKEW_SECONDS + 60;

/** A `jti`: opaque, printable, bounded (it is part of a key). */
export const JTI_PATTERN = /^[A-Za-z0-9._~:-]{8,128}$/;
