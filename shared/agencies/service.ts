import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { todayInVietnam } from '../time/periods.js';
import type { UnitLookup } from '../units/ports.js';
import { REORGANISATION_DATE } from '../units/types.js';
import { jwkThumbprint, publicJwkFromPem } from './keys.js';
import type { AgencyRegistry } from './ports.js';
import { type Agency, AgencyIdSchema, type AgencyKey, UnitCodeSchema } from './schemas.js';

/**
 * Agency administration (the admin CLI and the demo seed): register an agency with its jurisdiction and first
 * key, add and revoke keys, list. Jurisdiction codes are resolved through the unit registry once, here, so
 * request checks compare ids (`coverage`) and never re-interpret a reused code.
 */

export interface AgencyServiceDependencies {
  readonly agencies: AgencyRegistry;
  readonly units: UnitLookup;
  readonly now?: () => Date;
}

export interface RegisterAgencyInput {
  readonly id: string;
  readonly name: string;
  readonly jurisdiction: readonly string[];
  readonly publicKeyPem: string;
}

/** Registers an agency with its first key; re-running with the same id, name and jurisdiction only adds the key. */
export async function registerAgency(
  input: RegisterAgencyInput,
  deps: AgencyServiceDependencies,
): Promise<{ agency: Agency; key: AgencyKey; created: boolean }> {
  const now = (deps.now?.() ?? new Date()).toISOString();
  const id = parseOrThrow(AgencyIdSchema, input.id, 'id');
  const name = input.name.normalize('NFC').trim();
  if (name.length === 0 || name.length > 300)
    throw new ValidationError([{ path: 'name', message: 'give a name of 1-300 characters' }]);
  const jurisdiction = [...new Set(input.jurisdiction.map((code) => code.trim()))];
  if (jurisdiction.length === 0)
    throw new ValidationError([{ path: 'jurisdiction', message: 'give at least one unit code' }]);
  const jurisdictionUnitIds = await resolveJurisdiction(jurisdiction, deps.units, deps.now?.() ?? new Date());
  const jwk = publicJwkFromPem(input.publicKeyPem);
  const key: AgencyKey = { agencyId: id, thumbprint: await jwkThumbprint(jwk), jwk, status: 'active', createdAt: now };

  const existing = await deps.agencies.find(id);
  if (existing) {
    const same = existing.agency.name === name && existing.agency.jurisdiction.join(',') === jurisdiction.join(',');
    if (!same) {
      throw new ConflictError(`Agency "${id}" exists with another name or jurisdiction; it was not changed.`, { id });
    }
    const known = existing.keys.find((k) => k.thumbprint === key.thumbprint);
    if (known?.status === 'revoked')
      throw new ConflictError(`Key ${key.thumbprint} was revoked and cannot be added again.`, { id });
    if (!known) await deps.agencies.addKey(key);
    return { agency: existing.agency, key: known ?? key, created: false };
  }
  const agency: Agency = { id, name, jurisdiction, jurisdictionUnitIds, status: 'active', createdAt: now };
  await deps.agencies.create(agency, key);
  return { agency, key, created: true };
}

/** Adds a public key to an agency (key rotation: add the new key, switch, then revoke the old one). */
export async function addAgencyKey(
  agencyId: string,
  publicKeyPem: string,
  deps: Pick<AgencyServiceDependencies, 'agencies' | 'now'>,
): Promise<AgencyKey> {
  const existing = await deps.agencies.find(agencyId);
  if (!existing) throw new NotFoundError(`No agency "${agencyId}".`);
  const jwk = publicJwkFromPem(publicKeyPem);
  const thumbprint = await jwkThumbprint(jwk);
  const known = existing.keys.find((k) => k.thumbprint === thumbprint);
  if (known?.status === 'revoked')
    throw new ConflictError(`Key ${thumbprint} was revoked and cannot be added again.`, { id: agencyId });
  if (known) return known;
  const key: AgencyKey = {
    agencyId,
    thumbprint,
    jwk,
    status: 'active',
    createdAt: (deps.now?.() ?? new Date()).toISOString(),
  };
  await deps.agencies.addKey(key);
  return key;
}

/** Revokes a key: tokens signed with it are refused from now on. */
export function revokeAgencyKey(
  agencyId: string,
  thumbprint: string,
  deps: Pick<AgencyServiceDependencies, 'agencies' | 'now'>,
): Promise<AgencyKey> {
  return deps.agencies.revokeKey(agencyId, thumbprint, (deps.now?.() ?? new Date()).toISOString());
}

/** Suspends (`suspended`) or reinstates (`active`) an agency: a suspended agency's requests get 401 from now on. */
export function setAgencyStatus(
  agencyId: string,
  status: Agency['status'],
  deps: Pick<AgencyServiceDependencies, 'agencies' | 'now'>,
): Promise<Agency> {
  return deps.agencies.setStatus(agencyId, status, (deps.now?.() ?? new Date()).toISOString());
}

/**
 * Resolves jurisdiction codes to unit ids: the unit with the code in force today, or, for a unit abolished by
 * the 2025 reorganisation (a district such as Đống Đa `006`), the one in force on its last day.
 */
export async function resolveJurisdiction(codes: readonly string[], units: UnitLookup, now: Date): Promise<string[]> {
  const ids: string[] = [];
  const issues: { path: string; message: string }[] = [];
  const today = todayInVietnam(now);
  const lastDayBefore = new Date(Date.parse(`${REORGANISATION_DATE}T00:00:00Z`) - 86_400_000)
    .toISOString()
    .slice(0, 10);
  for (const [index, code] of codes.entries()) {
    if (!UnitCodeSchema.safeParse(code).success) {
      issues.push({ path: `jurisdiction.${index}`, message: `"${code}" is not a GSO unit code` });
      continue;
    }
    const unit = (await units.resolve(code, today)) ?? (await units.resolve(code, lastDayBefore));
    if (!unit) issues.push({ path: `jurisdiction.${index}`, message: `no unit has the code ${code}` });
    else ids.push(unit.id);
  }
  if (issues.length > 0) throw new ValidationError(issues, 'Some jurisdiction codes are not units of the registry.');
  return ids;
}

function parseOrThrow<T>(
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
  value: unknown,
  path: string,
): T {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new ValidationError([{ path, message: 'a lower-case slug of 1-64 letters, digits and hyphens' }]);
  return result.data;
}
