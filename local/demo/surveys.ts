import { createHash } from 'node:crypto';
import { ConflictError, ValidationError } from '../../shared/errors.js';
import type { SecretSource, SurveyStore } from '../../shared/surveys/ports.js';
import type { SurveySubmission } from '../../shared/surveys/schemas.js';
import { submitSurvey } from '../../shared/surveys/service.js';
import type { UnitLookup } from '../../shared/units/ports.js';

/**
 * Demo survey responses for `npm start` on an empty store: SYNTHETIC data, made up for the demo, not real
 * citizens' answers, each stored with `illustrative: true` (carried into every figure, the open data and the
 * CSV). Deterministic (a seeded generator, fixed dates, fixed dossier codes and ids), so every new store shows the
 * same figures, and idempotent (a second run finds every dossier already rated and skips it).
 * The responses go through the domain service, so they are stored exactly as real ones: hashed dossier codes,
 * units resolved on each response's date, comments masked and left pending for moderation.
 *
 * The wards are the Hanoi wards the seed documents name (Directive 24-CT/TU inspections, 2023-2024): before
 * 2025-07-01 under their old codes (e.g. Vĩnh Hưng `00304`, Hoàng Mai district), from then on the new wards that
 * took them over (Vĩnh Hưng `00301`, Hồng Hà `00097`, …).
 */

/** Old wards (in force until 2025-06-30): Vĩnh Hưng, Thịnh Liệt, Khương Thượng, Phạm Đình Hổ, Thanh Lương,
 * Phú Thượng, Nhật Tân, Tứ Liên, Quảng An, Phúc Lợi, Bồ Đề. */
export const DEMO_WARDS_BEFORE_2025 = [
  '00304',
  '00331',
  '00238',
  '00247',
  '00268',
  '00091',
  '00094',
  '00097',
  '00100',
  '00136',
  '00139',
] as const;
/** New wards (from 2025-07-01): Vĩnh Hưng, Hoàng Mai, Hồng Hà, Phú Thượng, Tây Hồ, Bồ Đề, Phúc Lợi, Việt Hưng. */
export const DEMO_WARDS_FROM_2025 = ['00301', '00331', '00097', '00091', '00103', '00118', '00136', '00127'] as const;

const REORGANISATION = '2025-07-01';
const FIRST_DAY = Date.UTC(2024, 0, 1);
const LAST_DAY = Date.UTC(2025, 11, 31);
const DAY_MS = 86_400_000;

const DEMO_COMMENTS = [
  'Cán bộ hướng dẫn tận tình, thủ tục nhanh gọn.',
  'Phải chờ khá lâu vì chỉ có một quầy tiếp nhận.',
  'Nên bố trí thêm chỗ ngồi và nước uống cho người dân.',
  'Kết quả trả đúng hẹn, rất hài lòng.',
  'Cần niêm yết rõ hơn mức phí, lệ phí.',
  'Hẹn trả kết quả bị lùi hai lần, không được báo trước. Liên hệ tôi: 0912 345 678.',
  'Máy lấy số thứ tự hay bị lỗi.',
];

export interface DemoSurveyDeps {
  readonly units: UnitLookup;
  readonly store: SurveyStore;
  readonly dossierSecret: SecretSource;
  /** Number of responses to generate (default 360). */
  readonly count?: number;
}

export interface DemoSurveyResult {
  readonly written: number;
  /** Already stored by an earlier run. */
  readonly alreadyThere: number;
  /** Ward codes that did not resolve on the response's date (units not loaded yet). */
  readonly unresolved: number;
}

/** Writes the synthetic demo responses through the domain service; safe to run again. */
export async function seedDemoSurveys(deps: DemoSurveyDeps): Promise<DemoSurveyResult> {
  const random = mulberry32(20240424);
  const count = deps.count ?? 360;
  let written = 0;
  let alreadyThere = 0;
  let unresolved = 0;
  for (let i = 0; i < count; i++) {
    const day = new Date(FIRST_DAY + Math.floor(random() * ((LAST_DAY - FIRST_DAY) / DAY_MS + 1)) * DAY_MS);
    const date = day.toISOString().slice(0, 10);
    const wards = date < REORGANISATION ? DEMO_WARDS_BEFORE_2025 : DEMO_WARDS_FROM_2025;
    const wardIndex = Math.floor(random() * wards.length);
    const unit = wards[wardIndex] ?? wards[0];
    // Each ward has its own level of service, so the demo figures differ from ward to ward.
    const quality = 0.55 + ((wardIndex * 37) % 10) / 25;
    const rate = () => rating(random, quality);
    const input: SurveySubmission = {
      unit,
      dossierCode: `000.00.15.H26-${date.slice(2).replaceAll('-', '')}-DEMO${String(i).padStart(4, '0')}`,
      ratings: {
        access: rate(),
        procedures: rate(),
        staff: rate(),
        results: rate(),
        feedback: random() < 0.7 ? null : rate(),
      },
      overall: rate(),
      channel: random() < 0.6 ? 'qr' : random() < 0.9 ? 'web' : 'api',
      lang: 'vi',
      ...(random() < 0.12 ? { comment: DEMO_COMMENTS[Math.floor(random() * DEMO_COMMENTS.length)] } : {}),
    };
    let idCounter = 0;
    try {
      await submitSurvey(
        input,
        {
          units: deps.units,
          store: deps.store,
          dossierSecret: deps.dossierSecret,
          // Midday in Vietnam (05:00 UTC) on the response's date.
          clock: { now: () => new Date(`${date}T05:00:00Z`) },
          newId: () => demoId(i, idCounter++),
        },
        // Invented responses on real units: flagged, so every figure they touch says "Dữ liệu minh họa".
        { illustrative: true },
      );
      written += 1;
    } catch (error) {
      if (error instanceof ConflictError) alreadyThere += 1;
      else if (error instanceof ValidationError) unresolved += 1;
      else throw error;
    }
  }
  return { written, alreadyThere, unresolved };
}

/** A rating 1-5 that leans high when the ward's quality is high. */
function rating(random: () => number, quality: number): number {
  const score = quality + (random() - 0.5) * 0.7;
  return Math.min(5, Math.max(1, Math.round(1 + score * 4)));
}

/** A fixed UUID-shaped id per (response, item), so a rerun writes the same ids. */
function demoId(index: number, item: number): string {
  const hex = createHash('sha256').update(`demo-survey/${index}/${item}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A small seeded generator (mulberry32): the same sequence on every machine. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
