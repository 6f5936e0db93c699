import * as z from '../zod.js';

/**
 * The two reference files committed under `data/sources/` (see its README), as the importer reads them. Only the fields
 * the registry uses are kept; a file that does not have this shape is refused with the path of the first problem.
 */

const OldCommuneSchema = z.object({
  level3_id: z.string().check(z.regex(/^\d{5}$/)),
  name: z.string().check(z.minLength(1)),
  type: z.enum(['Phường', 'Xã', 'Thị trấn']),
});

const OldDistrictSchema = z.object({
  level2_id: z.string().check(z.regex(/^\d{3}$/)),
  name: z.string().check(z.minLength(1)),
  type: z.enum(['Quận', 'Huyện', 'Thị xã', 'Thành phố']),
  level3s: z.array(OldCommuneSchema),
});

const OldProvinceSchema = z.object({
  level1_id: z.string().check(z.regex(/^\d{2}$/)),
  name: z.string().check(z.minLength(1)),
  type: z.enum(['Thành phố Trung ương', 'Tỉnh']),
  level2s: z.array(OldDistrictSchema),
});

/** `units-2025-03-01.json`: provinces → districts → communes in force on 2025-03-01. */
export const OldUnitsFileSchema = z.object({ data: z.array(OldProvinceSchema).check(z.minLength(1)) });

const MergeSchema = z.object({
  /** Code of the old unit (a commune, or for a few island special zones a district without communes). */
  old_id: z.string().check(z.regex(/^\d{2}$|^\d{3}$|^\d{5}$/)),
  name: z.string(),
  /** `full`: the whole old unit went into this one; `partial`: only part of it did. */
  type: z.enum(['full', 'partial']),
});

const NewCommuneSchema = z.object({
  // The new list has no district level: its second level holds the communes, with 5-digit codes.
  level2_id: z.string().check(z.regex(/^\d{5}$/)),
  name: z.string().check(z.minLength(1)),
  merges: z.array(MergeSchema).check(z.minLength(1)),
});

const NewProvinceSchema = z.object({
  level1_id: z.string().check(z.regex(/^\d{2}$/)),
  name: z.string().check(z.minLength(1)),
  merges: z.array(MergeSchema).check(z.minLength(1)),
  level2s: z.array(NewCommuneSchema),
});

/** `units-2025-07-01-merges.json`: provinces → communes in force from 2025-07-01, each with what merged into it. */
export const NewUnitsFileSchema = z.object({ data: z.array(NewProvinceSchema).check(z.minLength(1)) });

export type OldUnitsFile = z.infer<typeof OldUnitsFileSchema>;
export type NewUnitsFile = z.infer<typeof NewUnitsFileSchema>;
export type Merge = z.infer<typeof MergeSchema>;

/** The file names of the reference data, relative to its folder. */
export const SOURCE_FILES = {
  old: 'units-2025-03-01.json',
  next: 'units-2025-07-01-merges.json',
} as const;
