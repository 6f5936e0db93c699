/** The HTTP side of `npm run publish`: shared with the agency console (shared/auth/signed-fetch.ts). */
export { type ApiAnswer, type ApiRequest, describeProblem, sendApiRequest } from '../../shared/auth/signed-fetch.js';
