import type { Localized } from './questionnaire.js';

/**
 * The service points a citizen can rate, and how a response names one.
 *
 * - A ward or commune in force (level 3): its one-stop section (Bộ phận Một cửa; from 2025-07-01 the commune-level
 *   public administration service centre), named by its 5-digit GSO code.
 * - A province in force (level 1): its public administration service centre (Trung tâm Phục vụ hành chính công cấp
 *   tỉnh), named by the province's 2-digit code. Every province has one under the one-stop rules (Nghị định
 *   61/2018/NĐ-CP, and Nghị định 118/2025/NĐ-CP from 2025-07-01), so the centres are derived from the unit
 *   registry by that rule rather than from a list: nothing here is a figure, and no centre is given a proper name
 *   the repository cannot source. It is called by its kind and its province.
 * - A branch of a provincial centre (chi nhánh): the centres publish their branches themselves and no national list
 *   is shipped, so a branch is named by the label its centre prints on its form link or QR code (`branch`, or
 *   `?chi-nhanh=` on the page), kept with the response; the response counts in the province's figures, like the
 *   centre's own. Figures per branch are not published: they would rest on labels nobody has checked.
 *
 * A response counts under the unit it names, so a centre's responses are part of its province's figures, which
 * include everything under the province (CONTRACT.md, "Published statistics").
 */

/** A survey's `unit`: a ward or commune (5 digits) or a province, for its provincial centre (2 digits). */
export const SERVICE_POINT_CODE_PATTERN = /^(?:\d{2}|\d{5})$/;

/** Levels of the registry that are service points: provinces (their centre) and wards and communes. */
export function isServicePointLevel(level: number): boolean {
  return level === 1 || level === 3;
}

/** The kind of a province's service point, as the one-stop rules name it. */
export const PROVINCIAL_CENTRE: Localized = {
  vi: 'Trung tâm Phục vụ hành chính công cấp tỉnh',
  en: 'Provincial public administration service centre',
};

/** A branch label: letters, digits, spaces and . - / _ , (as a centre writes "Chi nhánh số 2"). */
export const BRANCH_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} .,/_-]*$/u;
export const BRANCH_MAX_LENGTH = 80;
