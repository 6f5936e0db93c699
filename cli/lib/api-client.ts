import { deploymentAudienceFromEnv } from '../../shared/auth/constants.js';
import type { SigningKey } from '../../shared/auth/sign-agency-request.js';
import { type ApiAnswer, type ApiRequest, sendApiRequest as sendSigned } from '../../shared/auth/signed-fetch.js';

/** The HTTP side of `npm run publish`: shared with the agency console (shared/auth/signed-fetch.ts). */
export { type ApiAnswer, type ApiRequest, describeProblem } from '../../shared/auth/signed-fetch.js';

/** Sends one request, signed for this deployment's audience when `API_AUDIENCE` is set. */
export function sendApiRequest(origin: string, key: SigningKey, request: ApiRequest): Promise<ApiAnswer> {
  const audience = request.audience ?? deploymentAudienceFromEnv();
  return sendSigned(origin, key, { ...request, ...(audience ? { audience } : {}) });
}
