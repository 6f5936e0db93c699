import { decodeJwt, decodeProtectedHeader, importJWK, jwtVerify, SignJWT } from 'jose';
import type { AgencyDirectory } from '../agencies/ports.js';
import type { AgencyKey } from '../agencies/schemas.js';
import { CLOCK_SKEW_SECONDS, SIGNING_ALGORITHM } from '../auth/constants.js';
import type { SigningKey } from '../auth/sign-agency-request.js';
import { ValidationError } from '../errors.js';
import type { ResolvedUnit } from '../units/ports.js';
import { InvalidReceiptError } from './integrity.js';
import { normalizeDossierCode, RECEIPT_MAX_LENGTH, RECEIPT_PATTERN } from './schemas.js';

/**
 * The survey receipt (CONTRACT.md, survey section): the proof printed as a QR code on the citizen's dossier
 * receipt, a compact JWS (EdDSA) by a key of an agency whose jurisdiction covers the service point, with claims
 * `sub` (the dossier code), `unit` (the service point's code) and `iat`, and `iss` naming the agency. A response
 * that carries a valid receipt for its own dossier and unit is *verified*: it comes from someone who really
 * filed that dossier there, so verified figures cannot be stuffed with invented dossier codes.
 */

/** The JWS `typ` of a receipt, so an agency's request token is never mistaken for one (and vice versa). */
export const RECEIPT_TYPE = 'survey-receipt+jwt';
/** A receipt stays usable for a year after the dossier was received. */
export const RECEIPT_MAX_AGE_SECONDS = 366 * 24 * 3600;

export interface ReceiptClaims {
  /** The dossier code, as printed on the receipt. */
  readonly dossierCode: string;
  /** The service point's unit code. */
  readonly unit: string;
  /** When the dossier was received (default: now). */
  readonly issuedAt?: Date;
}

/**
 * Mints a receipt with an agency key (the admin CLI; later the agency console).
 * @example await mintReceipt(key, { dossierCode: '000.00.15.H26-240512-0001', unit: '00301' })
 */
export async function mintReceipt(key: SigningKey, claims: ReceiptClaims): Promise<string> {
  const iat = Math.floor((claims.issuedAt ?? new Date()).getTime() / 1000);
  return new SignJWT({ unit: claims.unit })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, typ: RECEIPT_TYPE, ...(key.kid ? { kid: key.kid } : {}) })
    .setIssuer(key.agencyId)
    .setSubject(normalizeDossierCode(claims.dossierCode))
    .setIssuedAt(iat)
    .sign(key.privateKey);
}

export interface VerifyReceiptInput {
  readonly receipt: string;
  /** The response's own dossier code (normalized) and service point (resolved on the day of the response). */
  readonly dossierCode: string;
  readonly unit: Pick<ResolvedUnit, 'code' | 'coverage'>;
  readonly now: Date;
}

/** Why a receipt was refused, in the words of the one field issue (422 naming `receipt`). */
function refused(message: string): ValidationError {
  return new InvalidReceiptError(
    [{ path: 'receipt', message }],
    'The receipt does not verify: it was not issued for this dossier at this service point by its agency.',
  );
}

/**
 * Verifies a receipt for a response; returns the issuing agency's id, or throws ValidationError on `receipt`.
 * Checked: the form (EdDSA, typ), an active key of an active agency, the signature, the dossier code and unit
 * it names against the response's, the agency's jurisdiction over the unit, and the date.
 */
export async function verifyReceipt(
  input: VerifyReceiptInput,
  deps: { readonly agencies: AgencyDirectory },
): Promise<{ readonly agencyId: string }> {
  const { receipt } = input;
  if (receipt.length > RECEIPT_MAX_LENGTH || !RECEIPT_PATTERN.test(receipt)) throw refused('not a receipt');
  let issuer: unknown;
  let kid: unknown;
  try {
    const header = decodeProtectedHeader(receipt);
    if (header.alg !== SIGNING_ALGORITHM || header.typ !== RECEIPT_TYPE || header.crit !== undefined) {
      throw refused('not a receipt');
    }
    kid = header.kid;
    issuer = decodeJwt(receipt).iss;
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw refused('not a receipt');
  }
  if (typeof issuer !== 'string') throw refused('no issuing agency');
  const found = await deps.agencies.find(issuer);
  if (found?.agency.status !== 'active') throw refused('not issued by an active agency');
  const keys = found.keys.filter((key) => key.status === 'active' && (kid === undefined || key.thumbprint === kid));
  const payload = await verifyWithAny(receipt, keys, issuer, input.now);
  if (payload === undefined) throw refused('the signature does not verify with a key of the agency');
  if (payload.sub !== normalizeDossierCode(input.dossierCode)) throw refused('issued for another dossier');
  if (payload.unit !== input.unit.code) throw refused('issued for another service point');
  const jurisdiction = new Set(found.agency.jurisdictionUnitIds);
  if (!input.unit.coverage.some((id) => jurisdiction.has(id))) {
    throw refused('the agency has no jurisdiction over this service point');
  }
  return { agencyId: issuer };
}

async function verifyWithAny(
  receipt: string,
  keys: readonly AgencyKey[],
  issuer: string,
  now: Date,
): Promise<{ sub?: unknown; unit?: unknown } | undefined> {
  for (const key of keys) {
    try {
      const { payload } = await jwtVerify(receipt, await importJWK({ ...key.jwk }, SIGNING_ALGORITHM), {
        algorithms: [SIGNING_ALGORITHM],
        typ: RECEIPT_TYPE,
        issuer,
        requiredClaims: ['iss', 'sub', 'iat', 'unit'],
        maxTokenAge: RECEIPT_MAX_AGE_SECONDS,
        clockTolerance: CLOCK_SKEW_SECONDS,
        currentDate: now,
      });
      return payload;
    } catch {
      // Another key of the agency may have signed it; an expired or future receipt fails on every key alike.
    }
  }
  return undefined;
}
