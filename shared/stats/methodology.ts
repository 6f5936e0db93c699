/**
 * The methodology of every published figure, in one pure module: thresholds, the interval method, the
 * disclosure control of survey figures, and the texts of the methodology page (vi/en). The export applies these
 * functions and the site's methodology page prints these texts, so the page cannot describe other rules than the
 * ones the figures were made with.
 */

/**
 * Fewer survey responses than this and a count is withheld. Ten is the usual floor of official statistics for
 * counts about people: below it a count, combined with what a neighbour or an official knows, points at people.
 */
export const MIN_RESPONSES_FOR_COUNT = 10;

/**
 * Fewer responses than this and no percentage is shown: with under 30 answers a 95% interval is wider than
 * ±15 points around a share near one half, too wide to say anything a reader could act on.
 */
export const MIN_RESPONSES_FOR_PERCENT = 30;

/**
 * Verified responses a unit needs before its satisfaction ranking rests on them instead of all responses: as many
 * as a published share needs, so a verified basis is never a share the unit's own page withholds. A unit with
 * fewer is ranked on all its responses, and the ranking says which basis each row uses.
 */
export const MIN_VERIFIED_FOR_RANKING = MIN_RESPONSES_FOR_PERCENT;

/**
 * Spikes (integrity): a unit's responses in one hour (Vietnam time) are a spike when they reach both
 * SPIKE_MIN_RESPONSES (the floor: a small ward going from 1 to 6 in an hour is a busy morning, not stuffing, and
 * must not flap) and SPIKE_FACTOR times its usual level, the mean of its responses per active hour (an hour with
 * any response) over the SPIKE_BASELINE_DAYS days before. A unit without history has a usual level of 0: the floor
 * alone decides. Five times, not two: a counter's busiest hour is often twice its mean hour.
 */
export const SPIKE_FACTOR = 5;
export const SPIKE_MIN_RESPONSES = 20;
export const SPIKE_BASELINE_DAYS = 7;

/** The responses an hour needs to be a spike, given the unit's responses in each active hour of its baseline. */
export function spikeThreshold(baselineHours: readonly number[]): { usual: number; threshold: number } {
  const active = baselineHours.filter((n) => n > 0);
  const usual = active.length === 0 ? 0 : active.reduce((sum, n) => sum + n, 0) / active.length;
  return {
    usual: Math.round(usual * 100) / 100,
    threshold: Math.max(SPIKE_MIN_RESPONSES, Math.ceil(SPIKE_FACTOR * usual)),
  };
}

/** The normal quantile of a two-sided 95% interval. */
export const Z_95 = 1.959963984540054;

/** Ratings counted as satisfied (on the 1–5 scale of the questionnaire). */
export const SATISFIED_MIN_RATING = 4;

/** Decimal places of published shares and bounds. */
export const SHARE_DECIMALS = 4;

/** A share with its 95% interval, as published. */
export interface IntervalShare {
  readonly share: number;
  readonly low: number;
  readonly high: number;
}

/**
 * The Wilson score interval of `successes` out of `trials`, or null without trials. Wilson, not the textbook
 * p ± z·√(p(1−p)/n): that one collapses to a zero-width interval at 0% and 100% and leaves [0, 1] for small n.
 * Rounded outwards (low down, high up) so that rounding never narrows the interval.
 * Example: `wilsonInterval(45, 50)` is `{ share: 0.9, low: 0.7863, high: 0.9566 }` (bounds 0.78639… and 0.95652…).
 */
export function wilsonInterval(successes: number, trials: number, z: number = Z_95): IntervalShare | null {
  if (!Number.isInteger(successes) || !Number.isInteger(trials) || successes < 0 || trials < 0) {
    throw new RangeError(`wilsonInterval needs non-negative integers, not ${successes}/${trials}`);
  }
  if (successes > trials) throw new RangeError(`wilsonInterval: ${successes} successes out of ${trials} trials`);
  if (trials === 0) return null;
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  const scale = 10 ** SHARE_DECIMALS;
  return {
    share: Math.round(p * scale) / scale,
    low: Math.max(0, Math.floor((centre - half) * scale) / scale),
    high: Math.min(1, Math.ceil((centre + half) * scale) / scale),
  };
}

/** True when a rating counts as satisfied. */
export function isSatisfied(rating: number): boolean {
  return rating >= SATISFIED_MIN_RATING;
}

/** The share of satisfied responses with its interval, or null below MIN_RESPONSES_FOR_PERCENT or when withheld. */
export function satisfactionShare(satisfied: number, responses: number, withheld = false): IntervalShare | null {
  if (withheld || responses < MIN_RESPONSES_FOR_PERCENT) return null;
  return wilsonInterval(satisfied, responses);
}

/** Which responses a satisfaction ranking row rests on: the verified ones where there are enough, else all. */
export type RankingBasis = 'verified' | 'all';

/**
 * The basis of a unit's satisfaction ranking: `verified` when its verified responses are published, at least
 * MIN_VERIFIED_FOR_RANKING, with a published share; else `all`.
 * Example: `rankingBasis({ responses: 42, overall: { share: 0.9, low: 0.78, high: 0.96 } })` is `'verified'`.
 */
export function rankingBasis(
  verified: { readonly responses: number | null; readonly overall: IntervalShare | null } | undefined,
): RankingBasis {
  return verified?.overall && verified.responses !== null && verified.responses >= MIN_VERIFIED_FOR_RANKING
    ? 'verified'
    : 'all';
}

/** The published response count: null when withheld (below MIN_RESPONSES_FOR_COUNT, or to protect another). */
export function publishedCount(responses: number, withheld: boolean): number | null {
  return withheld ? null : responses;
}

/**
 * Share of inspected units found with violations. Inspections concern public bodies, not people, so nothing is
 * withheld; the interval tells how little a handful of inspections says. Null when nothing was inspected.
 */
export function violatingShare(unitsWithViolations: number, unitsInspected: number): IntervalShare | null {
  return wilsonInterval(Math.min(unitsWithViolations, unitsInspected), unitsInspected);
}

/**
 * Share of dossiers resolved early or on time, of those resolved and those still pending past their deadline: a
 * dossier left pending after its deadline is late as surely as one resolved late, so a unit cannot raise its rate by
 * not closing late dossiers. Null when there is no such dossier.
 */
export function onTimeRate(early: number, onTime: number, late: number, pendingOverdue = 0): IntervalShare | null {
  return wilsonInterval(early + onTime, early + onTime + late + pendingOverdue);
}

/** A value of a cell (a unit's count in one period) and the cells it is made of, for disclosure control. */
export interface SuppressionGroup {
  /** The unit whose figure contains the members' figures (a parent, or the successor of a full merge). */
  readonly container: string;
  /** Units whose figures count in the container directly. */
  readonly members: readonly string[];
}

/**
 * Which cells to withhold so that no withheld cell can be derived from published ones (complementary
 * suppression). `values` holds each cell's count; `isSensitive` marks the cells withheld for their own sake
 * (primary suppression). Then, until nothing changes:
 * - a published container with exactly one withheld member would give that member away (container minus the
 *   published members), so the smallest other member with a figure is withheld too; with no such member the
 *   container itself is withheld;
 * - a withheld container whose members are all published would be their sum, so its smallest member is withheld.
 * A zero is not sensitive (it tells that nobody answered) and is never chosen to protect another cell.
 * Ties go to the code-point smaller id, so the result is the same on every run.
 * Example: container 001 = 42 with members 00001 = 4, 00002 = 20, 00003 = 18 withholds 00001 (primary) and 00003.
 */
export function planSuppression(
  values: ReadonlyMap<string, number>,
  groups: readonly SuppressionGroup[],
  isSensitive: (value: number, id: string) => boolean,
): Set<string> {
  const withheld = new Set<string>();
  for (const [id, value] of values) if (value > 0 && isSensitive(value, id)) withheld.add(id);
  const valueAt = (id: string) => values.get(id) ?? 0;
  const smallest = (ids: readonly string[]) =>
    [...ids].sort((a, b) => valueAt(a) - valueAt(b) || (a < b ? -1 : a > b ? 1 : 0))[0];

  let changed = true;
  while (changed) {
    changed = false;
    for (const group of groups) {
      const present = group.members.filter((id) => valueAt(id) > 0);
      const hidden = present.filter((id) => withheld.has(id));
      const shown = present.filter((id) => !withheld.has(id));
      if (!withheld.has(group.container) && valueAt(group.container) > 0 && hidden.length === 1) {
        const pick = smallest(shown) ?? group.container;
        withheld.add(pick);
        changed = true;
      } else if (withheld.has(group.container) && present.length > 0 && hidden.length === 0) {
        const pick = smallest(shown);
        if (pick !== undefined) {
          withheld.add(pick);
          changed = true;
        }
      }
    }
  }
  return withheld;
}

/** One section of the methodology page. */
export interface MethodologySection {
  readonly id: string;
  readonly title: string;
  readonly body: readonly string[];
}

export type MethodologyLocale = 'vi' | 'en';

/**
 * The methodology page, written from the constants above (so changing a threshold changes the page).
 * Sections in the order the page shows them; each body is a list of paragraphs.
 */
export function methodologyText(locale: MethodologyLocale): readonly MethodologySection[] {
  // Built here, not at import: an `Intl` object made at module level cost every Lambda bundling this module ICU's
  // locale data at init (issue #15), and only the site's pages call this.
  const numbers = new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB');
  const n = (value: number) => numbers.format(value);
  const count = n(MIN_RESPONSES_FOR_COUNT);
  const percent = n(MIN_RESPONSES_FOR_PERCENT);
  const z = locale === 'vi' ? Z_95.toFixed(2).replace('.', ',') : Z_95.toFixed(2);
  if (locale === 'vi') {
    return [
      {
        id: 'periods',
        title: 'Kỳ số liệu',
        body: [
          'Số liệu được tổng hợp theo tháng, quý và năm, tính theo ngày giờ Việt Nam (UTC+7): kết luận theo ngày ban hành, phiếu khảo sát theo ngày gửi, báo cáo theo tháng báo cáo.',
        ],
      },
      {
        id: 'units',
        title: 'Đơn vị hành chính và sắp xếp năm 2025',
        body: [
          'Số liệu của một đơn vị gồm số liệu của chính đơn vị đó và của mọi đơn vị trực thuộc (phường, xã → quận, huyện → thành phố, tỉnh).',
          'Từ ngày 01/7/2025, nhiều đơn vị được sáp nhập. Số liệu ghi cho đơn vị cũ vẫn được tìm thấy dưới mã cũ; đơn vị cũ sáp nhập toàn bộ vào một đơn vị mới thì số liệu được cộng vào đơn vị mới. Đơn vị cũ bị chia cho nhiều đơn vị mới (sáp nhập một phần) thì không phân bổ: số liệu ở lại với đơn vị cũ, quận, huyện cũ và tỉnh, thành phố của nó.',
          'Cơ quan ban hành kết luận có trang số liệu riêng, tính trên các kết luận của cơ quan đó.',
        ],
      },
      {
        id: 'inspections',
        title: 'Kiểm tra, vi phạm và kỷ luật',
        body: [
          'Số cuộc kiểm tra là số kết luận đang có hiệu lực; một kết luận được tính một lần cho mỗi đơn vị tổng hợp, kể cả khi kiểm tra nhiều đơn vị trong cùng địa bàn.',
          'Số đơn vị được kiểm tra là số cặp (kết luận, đơn vị được kiểm tra) thuộc địa bàn; đơn vị có vi phạm là những đơn vị được kiểm tra trong kết luận có tổ chức hoặc cá nhân vi phạm.',
          `Tỷ lệ đơn vị có vi phạm là số đơn vị có vi phạm chia cho số đơn vị được kiểm tra, kèm khoảng tin cậy 95% (phương pháp Wilson, z = ${z}). Số liệu kiểm tra nói về cơ quan nhà nước, không về cá nhân, nên được công bố đầy đủ.`,
          'Khi một kết luận được đính chính, số liệu của phiên bản cũ được trừ ra và phiên bản mới được cộng vào; kết luận bị thu hồi không còn được tính.',
        ],
      },
      {
        id: 'satisfaction',
        title: 'Mức độ hài lòng',
        body: [
          'Tỷ lệ hài lòng là tỷ lệ phiếu chấm 4 hoặc 5 điểm (trên thang 1–5), cho từng khía cạnh và cho đánh giá chung; câu trả lời “không áp dụng” không được tính vào khía cạnh đó.',
          `Mỗi tỷ lệ kèm khoảng tin cậy 95% (phương pháp Wilson, z = ${z}) và số phiếu. Hai đơn vị có khoảng tin cậy chồng lên nhau không được xếp hạng như thể khác nhau.`,
          `Số phiếu chỉ được công bố khi có từ ${count} phiếu trở lên; tỷ lệ phần trăm chỉ được công bố khi có từ ${percent} phiếu trở lên.`,
        ],
      },
      {
        id: 'verified',
        title: 'Phiếu đã xác thực',
        body: [
          'Phiếu đã xác thực là phiếu gửi kèm mã xác thực in (dưới dạng mã QR) trên giấy tiếp nhận hồ sơ, do cơ quan có thẩm quyền tại điểm tiếp nhận ký cho đúng hồ sơ và đúng đơn vị. Phiếu gửi kèm mã không hợp lệ bị từ chối, không được tính là phiếu chưa xác thực.',
          `Số phiếu và tỷ lệ hài lòng của phiếu đã xác thực được công bố riêng, bên cạnh số liệu của tất cả các phiếu (phiếu đã xác thực là một phần của tất cả các phiếu, không cộng thêm), theo cùng ngưỡng ${count} và ${percent} phiếu và cùng quy tắc bảo vệ người trả lời.`,
          `Xếp hạng theo mức độ hài lòng dựa trên phiếu đã xác thực khi đơn vị có từ ${n(MIN_VERIFIED_FOR_RANKING)} phiếu đã xác thực trở lên và tỷ lệ của các phiếu này được công bố; nếu không, dựa trên tất cả các phiếu. Mỗi dòng của bảng xếp hạng ghi rõ căn cứ của dòng đó.`,
          'Kênh gửi phiếu (biểu mẫu trên trang, mã QR, ứng dụng khác) được công bố dưới dạng số phiếu theo từng kênh, chỉ ở nơi số phiếu của đơn vị được công bố.',
        ],
      },
      {
        id: 'suppression',
        title: 'Bảo vệ người trả lời',
        body: [
          `Một số liệu bị ẩn cũng không được để suy ra từ các số liệu đã công bố: nếu trong một đơn vị chỉ có một đơn vị trực thuộc bị ẩn, thì tổng của đơn vị cha trừ đi các đơn vị còn lại sẽ cho ra con số bị ẩn. Vì vậy, đơn vị trực thuộc nhỏ nhất tiếp theo cũng bị ẩn (ẩn bổ sung), hoặc nếu không còn đơn vị nào khác thì ẩn số liệu của đơn vị cha.`,
          'Quy tắc này áp dụng cho số phiếu và tỷ lệ của đánh giá chung và của từng khía cạnh, ở mọi cấp và cho cả quan hệ sáp nhập toàn bộ; số 0 không bị ẩn.',
        ],
      },
      {
        id: 'integrity',
        title: 'Tính toàn vẹn của phiếu khảo sát',
        body: [
          'Mọi phiếu bị từ chối đều được đếm theo lý do và theo ngày (giờ Việt Nam), rồi công bố theo tháng, quý và năm trong tệp /data/integrity.json: gửi từ trang web khác, nội dung không hợp lệ, gửi tự động (ô ẩn bị điền), gửi quá nhiều trong một phút từ cùng một nơi, mã đơn vị không có hiệu lực, mã xác thực không hợp lệ, hồ sơ đã được đánh giá.',
          'Chỉ số đếm được lưu: không lưu địa chỉ, nội dung phiếu, mã hồ sơ hay thời điểm chi tiết hơn ngày.',
          `Tăng đột biến: số phiếu của một đơn vị trong một giờ (giờ Việt Nam) được coi là tăng đột biến khi đạt từ ${n(SPIKE_MIN_RESPONSES)} phiếu trở lên và gấp ${n(SPIKE_FACTOR)} lần trở lên mức thông thường của đơn vị (số phiếu trung bình mỗi giờ có phiếu trong ${n(SPIKE_BASELINE_DAYS)} ngày trước đó). Đơn vị bị đánh dấu “đang được xem xét” trên trang của mình và trong /data/integrity.json cho đến khi được xem xét xong; số phiếu vẫn được tính trong lúc xem xét.`,
        ],
      },
      {
        id: 'procedures',
        title: 'Giải quyết thủ tục hành chính',
        body: [
          'Tỷ lệ đúng hạn là số hồ sơ giải quyết trước hạn và đúng hạn chia cho tổng số hồ sơ đã giải quyết, kèm khoảng tin cậy 95%. Hồ sơ quá hạn chưa giải quyết được công bố riêng.',
          'Số liệu tiếp công dân, khiếu nại và tố cáo lấy từ báo cáo hằng tháng của cơ quan; báo cáo được sửa thì số liệu cũ được thay bằng số liệu mới.',
        ],
      },
    ];
  }
  return [
    {
      id: 'periods',
      title: 'Periods',
      body: [
        "Figures are aggregated by month, quarter and year in Vietnam's time (UTC+7): conclusions by their date of issue, survey responses by the date they were sent, reports by the month they cover.",
      ],
    },
    {
      id: 'units',
      title: 'Administrative units and the 2025 reorganisation',
      body: [
        "A unit's figures include its own and those of every unit under it (ward or commune → district → city or province).",
        'Many units merged on 1 July 2025. Figures recorded against an old unit are still found under its old code; an old unit merged in full into a new one also counts in the new one. An old unit split among several new units (a partial merge) is not apportioned: its figures stay with it, its old district and its province.',
        'Each agency that publishes conclusions has its own page, counting its conclusions.',
      ],
    },
    {
      id: 'inspections',
      title: 'Inspections, violations and discipline',
      body: [
        'Inspections are the conclusions in force; a conclusion counts once in each unit that aggregates it, even when it inspected several units there.',
        'Units inspected counts (conclusion, inspected unit) pairs under the unit; units with violations are those inspected by a conclusion that found violating organisations or individuals.',
        `The share of inspected units with violations comes with a 95% interval (Wilson score, z = ${z}). Inspection figures concern public bodies, not people, and are published in full.`,
        "When a conclusion is corrected, the old version's figures are removed and the new version's added; a retracted conclusion no longer counts.",
      ],
    },
    {
      id: 'satisfaction',
      title: 'Satisfaction',
      body: [
        'The satisfaction share is the share of ratings of 4 or 5 (on a 1–5 scale), for each aspect and overall; "not applicable" answers do not count in their aspect.',
        `Every share comes with its 95% interval (Wilson score, z = ${z}) and its number of responses. Units whose intervals overlap are not ranked as if they differed.`,
        `A number of responses is published from ${count} responses; a percentage from ${percent} responses.`,
      ],
    },
    {
      id: 'verified',
      title: 'Verified responses',
      body: [
        'A verified response came with the receipt printed (as a QR code) on the dossier receipt, signed by an agency competent for the service point, for that very dossier and unit. A response with a receipt that does not verify is refused, not counted as unverified.',
        `The number of verified responses and their satisfaction share are published apart, beside the figures of all responses (verified responses are part of all responses, never added to them), with the same thresholds of ${count} and ${percent} responses and the same protection of respondents.`,
        `Satisfaction rankings rest on verified responses where a unit has at least ${n(MIN_VERIFIED_FOR_RANKING)} of them with a published share; otherwise on all its responses. Each row of a ranking says which basis it uses.`,
        "The channel a response came through (the site form, a QR code, another client) is published as the number of responses per channel, only where the unit's number of responses is published.",
      ],
    },
    {
      id: 'suppression',
      title: 'Protecting respondents',
      body: [
        'A withheld figure must not be derivable from published ones: if only one unit under a parent were withheld, the parent minus the others would give it away. So the next smallest unit is withheld too (complementary suppression), or the parent when there is no other.',
        'This applies to the numbers of responses and to the shares, overall and per aspect, at every level and across full merges; zeros are never withheld.',
      ],
    },
    {
      id: 'integrity',
      title: 'Integrity of the survey',
      body: [
        'Every refused submission is counted by reason and by day (Vietnam time), and published by month, quarter and year in /data/integrity.json: sent from another website, invalid content, automated (hidden field filled), too many in one minute from one place, no such service point, receipt does not verify, dossier already rated.',
        'Only the counts are kept: no address, no content, no dossier code, no time finer than the day.',
        `Spikes: a unit's responses in one hour (Vietnam time) are a spike when they reach ${n(SPIKE_MIN_RESPONSES)} and at least ${n(SPIKE_FACTOR)} times its usual level (its mean responses per hour with any response over the ${n(SPIKE_BASELINE_DAYS)} days before). The unit is marked "under review" on its page and in /data/integrity.json until the review is done; its responses still count meanwhile.`,
      ],
    },
    {
      id: 'procedures',
      title: 'Administrative procedures',
      body: [
        'The on-time rate is the number of dossiers resolved early or on time divided by all dossiers resolved, with a 95% interval. Dossiers pending past their deadline are published separately.',
        "Citizen reception, complaints and denunciations come from the agencies' monthly reports; a corrected report replaces the old figures.",
      ],
    },
  ];
}
