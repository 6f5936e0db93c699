import type { SurveyAspect } from '../open-data/schemas.js';

/**
 * The questionnaire, in one place: the form on the site, the API's validation messages and the methodology
 * page all read these texts. The aspects follow the Ministry of Home Affairs' SIPAS index (satisfaction of
 * people and organisations with the service of state administrative agencies).
 */

export interface Localized {
  readonly vi: string;
  readonly en: string;
}

export interface AspectQuestion {
  readonly id: SurveyAspect;
  readonly title: Localized;
  readonly question: Localized;
  /** Whether "not applicable" is an allowed answer (only feedback handling: many people never complain). */
  readonly optional: boolean;
}

export const RATING_MIN = 1;
export const RATING_MAX = 5;
/** Ratings counted as satisfied in published shares. */
export const SATISFIED_RATINGS: readonly number[] = [4, 5];

export const RATING_LABELS: Readonly<Record<1 | 2 | 3 | 4 | 5, Localized>> = {
  1: { vi: 'Rất không hài lòng', en: 'Very dissatisfied' },
  2: { vi: 'Không hài lòng', en: 'Dissatisfied' },
  3: { vi: 'Bình thường', en: 'Neither' },
  4: { vi: 'Hài lòng', en: 'Satisfied' },
  5: { vi: 'Rất hài lòng', en: 'Very satisfied' },
};

export const NOT_APPLICABLE_LABEL: Localized = { vi: 'Không áp dụng', en: 'Not applicable' };

export const ASPECTS: readonly AspectQuestion[] = [
  {
    id: 'access',
    title: { vi: 'Tiếp cận dịch vụ', en: 'Access to the service' },
    question: {
      vi: 'Nơi tiếp nhận hồ sơ dễ tìm, thuận tiện; có đủ chỗ ngồi, trang thiết bị; thông tin được niêm yết đầy đủ.',
      en: 'The service point was easy to find and reach, with seating, equipment and posted information.',
    },
    optional: false,
  },
  {
    id: 'procedures',
    title: { vi: 'Thủ tục hành chính', en: 'Administrative procedures' },
    question: {
      vi: 'Thủ tục được công khai, đúng quy định; thành phần hồ sơ, phí, lệ phí và thời hạn giải quyết rõ ràng.',
      en: 'The procedure was public and lawful; the documents, fees and deadline required were clear.',
    },
    optional: false,
  },
  {
    id: 'staff',
    title: { vi: 'Công chức trực tiếp giải quyết công việc', en: "Civil servants' conduct and competence" },
    question: {
      vi: 'Công chức có thái độ lịch sự, hướng dẫn tận tình, dễ hiểu và thành thạo chuyên môn.',
      en: 'The civil servants were courteous, explained things clearly and knew their work.',
    },
    optional: false,
  },
  {
    id: 'results',
    title: { vi: 'Kết quả giải quyết công việc', en: 'Results and timeliness' },
    question: {
      vi: 'Kết quả đúng quy định, thông tin chính xác và được trả đúng hẹn hoặc sớm hơn.',
      en: 'The result was correct and lawful, and was delivered on time or early.',
    },
    optional: false,
  },
  {
    id: 'feedback',
    title: { vi: 'Tiếp nhận, giải quyết góp ý, phản ánh, kiến nghị', en: 'Handling of feedback' },
    question: {
      vi: 'Góp ý, phản ánh, kiến nghị của Ông/Bà (nếu có) được tiếp nhận và xử lý kịp thời, thỏa đáng.',
      en: 'Your feedback or complaints, if any, were received and handled promptly and properly.',
    },
    optional: true,
  },
];

export const OVERALL_QUESTION: Localized = {
  vi: 'Nhìn chung, Ông/Bà hài lòng thế nào với dịch vụ đã nhận?',
  en: 'Overall, how satisfied are you with the service you received?',
};

export const COMMENT_PROMPT: Localized = {
  vi: 'Ý kiến khác (không bắt buộc; chỉ được công bố sau khi kiểm duyệt; xin đừng ghi họ tên, số điện thoại).',
  en: 'Other comments (optional; published only after moderation; please do not write names or phone numbers).',
};

export const DOSSIER_CODE_PROMPT: Localized = {
  vi: 'Mã hồ sơ (trên phiếu hẹn trả kết quả)',
  en: 'Dossier code (on your receipt)',
};

/** Longest comment accepted, in characters after NFC normalization. */
export const COMMENT_MAX_LENGTH = 1000;
