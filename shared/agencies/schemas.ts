import * as z from '../zod.js';

/**
 * Agencies: who may publish, for which units, with which keys (PRODUCT.md, "Agency"). The id is what tokens
 * carry as `iss`; it is also part of keys and URLs, so it is a short lower-case slug.
 */

export const AGENCY_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export const AgencyIdSchema = z
  .string()
  .check(z.regex(AGENCY_ID_PATTERN, 'An agency id is 1-64 lower-case letters, digits and inner hyphens.'));

/** A GSO unit code: 2 digits (province), 3 (district) or 5 (commune). */
export const UnitCodeSchema = z
  .string()
  .check(z.regex(/^(\d{2}|\d{3}|\d{5})$/, 'A unit code is a GSO code of 2, 3 or 5 digits.'));

/** An Ed25519 public key as a JWK (RFC 8037): only the public members are kept. */
export const Ed25519PublicJwkSchema = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/, 'x is the 32-byte public key in base64url')),
});

export const AgencyStatusSchema = z.enum(['active', 'suspended']);
export const AgencyKeyStatusSchema = z.enum(['active', 'revoked']);

/** An agency as stored. `jurisdictionUnitIds` are the registry ids the codes resolved to. */
export const AgencySchema = z.object({
  id: AgencyIdSchema,
  name: z.string().check(z.minLength(1), z.maxLength(300)),
  jurisdiction: z.array(UnitCodeSchema).check(z.minLength(1), z.maxLength(100)),
  jurisdictionUnitIds: z.array(z.string()).check(z.minLength(1), z.maxLength(100)),
  status: AgencyStatusSchema,
  createdAt: z.string(),
  /** When `status` last changed (suspended or reinstated); absent if it never did. */
  statusChangedAt: z.optional(z.string()),
});

/** One of an agency's public keys, named by its RFC 7638 thumbprint (the JWS `kid`). */
export const AgencyKeySchema = z.object({
  agencyId: AgencyIdSchema,
  thumbprint: z.string(),
  jwk: Ed25519PublicJwkSchema,
  status: AgencyKeyStatusSchema,
  createdAt: z.string(),
  revokedAt: z.optional(z.string()),
});

export type Agency = z.infer<typeof AgencySchema>;
export type AgencyKey = z.infer<typeof AgencyKeySchema>;
export type Ed25519PublicJwk = z.infer<typeof Ed25519PublicJwkSchema>;
