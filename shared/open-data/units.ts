import * as z from '../zod.js';

/**
 * The units of `/data/units.json` (CONTRACT.md, "Published statistics"), apart from the other open-data schemas
 * (`schemas.ts` re-exports them): the registry's own type (shared/units/types.ts) extends them, and every handler
 * that reads the registry would otherwise load the schemas of every published file (issue #15).
 */

export const UnitTypeSchema = z.enum([
  'municipality', // thành phố trực thuộc trung ương
  'province', // tỉnh
  'urban_district', // quận
  'district', // huyện
  'district_town', // thị xã
  'provincial_city', // thành phố thuộc tỉnh
  'ward', // phường
  'commune', // xã
  'township', // thị trấn
  'special_zone', // đặc khu (from 2025-07-01)
]);

export const UnitRefSchema = z.object({ id: z.string(), kind: z.enum(['full', 'partial']) });

/** One entry of `/data/units.json`. */
export const PublishedUnitSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  nameAscii: z.string(),
  slug: z.string(),
  type: UnitTypeSchema,
  level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  parent: z.nullable(z.string()),
  validFrom: z.nullable(z.string()),
  validTo: z.nullable(z.string()),
  successors: z.array(UnitRefSchema),
  predecessors: z.array(UnitRefSchema),
});

export type PublishedUnit = z.infer<typeof PublishedUnitSchema>;
