import { SATISFIED_MIN_RATING } from '../stats/methodology.js';
import type { SurveyAspect } from './aspects.js';

/**
 * The questionnaire, in one place: the form on the site, the API's schemas and messages, the aggregation (which
 * answers count in which published share) and the methodology page all read these definitions.
 *
 * The five rated aspects are the five elements of the Ministry of Home Affairs' satisfaction measurement (Chỉ số
 * hài lòng về sự phục vụ hành chính, SIPAS; Đề án đo lường sự hài lòng của người dân, tổ chức đối với sự phục vụ
 * của cơ quan hành chính nhà nước, approved by Quyết định 2640/QĐ-BNV of 10 October 2017), under their official
 * names. The questions on how the citizen was treated (documents asked for more than once, money beyond the
 * fee, harassment, trips, an apology when late) follow the duties of the one-stop mechanism (Nghị định
 * 61/2018/NĐ-CP, replaced by Nghị định 118/2025/NĐ-CP): each is published as a share with its interval. The share
 * published here is neither SIPAS nor the index of Quyết định 766/QĐ-TTg: the site says so (methodology).
 */

export interface Localized {
  readonly vi: string;
  readonly en: string;
}

/** The index the aspects come from, as officially named. */
export const SIPAS_INDEX: Localized = {
  vi: 'Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)',
  en: 'Satisfaction Index of Public Administrative Services (SIPAS)',
};

/** What the published share is not (shown on the methodology page). */
export const NOT_SIPAS_NOTE: Localized = {
  vi: 'Tỷ lệ hài lòng công bố ở đây được tính từ phiếu đánh giá tự nguyện trên trang này; đây không phải Chỉ số SIPAS do Bộ Nội vụ đo lường theo phương pháp chọn mẫu, cũng không phải chỉ số đánh giá chất lượng phục vụ người dân, doanh nghiệp theo Quyết định 766/QĐ-TTg.',
  en: 'The satisfaction share published here is counted from the voluntary responses given on this site; it is not the SIPAS index, which the Ministry of Home Affairs measures on a sample, nor the index of service to citizens and businesses of Decision 766/QĐ-TTg.',
};

export interface AspectQuestion {
  readonly id: SurveyAspect;
  /** The SIPAS element's official name (vi) and its translation (en). */
  readonly title: Localized;
  /** One question about one thing. */
  readonly question: Localized;
  /** Whether "not applicable" is an allowed answer (only feedback handling: many people never complain). */
  readonly optional: boolean;
}

export const RATING_MIN = 1;
export const RATING_MAX = 5;
/** Ratings counted as satisfied in published shares (the rule itself: shared/stats/methodology.ts). */
export const SATISFIED_RATINGS: readonly number[] = Array.from(
  { length: RATING_MAX - SATISFIED_MIN_RATING + 1 },
  (_, i) => SATISFIED_MIN_RATING + i,
);

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
      // Not only a counter: the dossier may have been filed online or by post.
      vi: 'Ông/Bà hài lòng thế nào với việc tiếp cận dịch vụ (tìm thông tin, đến nơi tiếp nhận hoặc nộp hồ sơ trực tuyến)?',
      en: 'How satisfied are you with reaching the service (finding information, getting to the service point or filing online)?',
    },
    optional: false,
  },
  {
    id: 'procedures',
    title: { vi: 'Thủ tục hành chính', en: 'Administrative procedures' },
    question: {
      vi: 'Ông/Bà hài lòng thế nào với sự công khai, rõ ràng của thủ tục hành chính (hồ sơ, phí, lệ phí, thời hạn)?',
      en: 'How satisfied are you with how public and clear the procedure was (documents, fees, deadline)?',
    },
    optional: false,
  },
  {
    id: 'staff',
    title: { vi: 'Công chức trực tiếp giải quyết công việc', en: 'The civil servants who handled the matter' },
    question: {
      vi: 'Ông/Bà hài lòng thế nào với sự phục vụ của công chức trực tiếp giải quyết công việc?',
      en: 'How satisfied are you with the service of the civil servants who handled your matter?',
    },
    optional: false,
  },
  {
    id: 'results',
    title: { vi: 'Kết quả giải quyết công việc', en: 'The result of the handling' },
    question: {
      vi: 'Ông/Bà hài lòng thế nào với kết quả giải quyết công việc?',
      en: 'How satisfied are you with the result you received?',
    },
    optional: false,
  },
  {
    id: 'feedback',
    title: {
      vi: 'Tiếp nhận, giải quyết góp ý, phản ánh, kiến nghị',
      en: 'Receiving and handling suggestions, feedback and petitions',
    },
    question: {
      vi: 'Nếu Ông/Bà đã góp ý, phản ánh, kiến nghị: Ông/Bà hài lòng thế nào với việc tiếp nhận và giải quyết?',
      en: 'If you made a suggestion, complaint or petition: how satisfied are you with how it was received and handled?',
    },
    optional: true,
  },
];

export const OVERALL_TITLE: Localized = { vi: 'Mức độ hài lòng chung', en: 'Overall satisfaction' };
export const OVERALL_QUESTION: Localized = {
  vi: 'Nhìn chung, Ông/Bà hài lòng thế nào với dịch vụ đã nhận?',
  en: 'Overall, how satisfied are you with the service you received?',
};

export const COMMENT_PROMPT: Localized = {
  vi: 'Ý kiến khác (không bắt buộc; chỉ được công bố sau khi kiểm duyệt; xin đừng ghi họ tên, số điện thoại).',
  en: 'Other comments (optional; published only after moderation; please do not write names or phone numbers).',
};

export const DOSSIER_CODE_PROMPT: Localized = {
  vi: 'Mã hồ sơ (trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả)',
  en: 'Dossier code (on the receipt and appointment slip for your dossier)',
};

/** Longest comment accepted, in characters after NFC normalization. */
export const COMMENT_MAX_LENGTH = 1000;

// ---------------------------------------------------------------------------------------------------------------
// How the dossier was submitted (the three ways of the one-stop mechanism).

export const SUBMISSION_METHODS = ['in_person', 'online', 'postal'] as const;
export type SubmissionMethod = (typeof SUBMISSION_METHODS)[number];

export const SUBMISSION_QUESTION: Localized = {
  vi: 'Ông/Bà đã nộp hồ sơ bằng cách nào?',
  en: 'How did you submit your dossier?',
};

export const SUBMISSION_LABELS: Readonly<Record<SubmissionMethod, Localized>> = {
  in_person: { vi: 'Trực tiếp tại nơi tiếp nhận', en: 'In person, at the service point' },
  online: { vi: 'Trực tuyến (Cổng Dịch vụ công)', en: 'Online (public service portal)' },
  postal: { vi: 'Qua dịch vụ bưu chính công ích', en: 'By public postal service' },
};

// ---------------------------------------------------------------------------------------------------------------
// The procedure (optional, free text: the name on the receipt; masked like a comment, never published one by one).

export const PROCEDURE_PROMPT: Localized = {
  vi: 'Tên thủ tục hành chính (không bắt buộc; ví dụ: Đăng ký khai sinh)',
  en: 'Name of the administrative procedure (optional; for example: birth registration)',
};
/** Longest procedure name accepted: the longest names of the national procedure database are about 250. */
export const PROCEDURE_MAX_LENGTH = 300;

// ---------------------------------------------------------------------------------------------------------------
// How the citizen was treated: facts, not ratings. Every question may be left unanswered.

export type YesNo = 'yes' | 'no';
export const YES_NO: readonly YesNo[] = ['yes', 'no'];
export const YES_NO_LABELS: Readonly<Record<YesNo, Localized>> = {
  yes: { vi: 'Có', en: 'Yes' },
  no: { vi: 'Không', en: 'No' },
};

/** The yes/no questions on conduct (stored as booleans). */
export const CONDUCT_YES_NO = ['extraDocuments', 'extraPayment', 'harassment'] as const;
export type ConductYesNo = (typeof CONDUCT_YES_NO)[number];

export const CONDUCT_QUESTIONS: Readonly<Record<ConductYesNo | 'trips' | 'lateness', Localized>> = {
  extraDocuments: {
    vi: 'Ông/Bà có bị yêu cầu bổ sung, hoàn thiện hồ sơ quá một lần không?',
    en: 'Were you asked to add to or complete your dossier more than once?',
  },
  extraPayment: {
    vi: 'Ngoài phí, lệ phí theo quy định, Ông/Bà có bị yêu cầu nộp thêm khoản tiền nào không?',
    en: 'Apart from the official fees and charges, were you asked to pay any other money?',
  },
  harassment: {
    vi: 'Ông/Bà có bị công chức gây phiền hà, sách nhiễu không?',
    en: 'Did any civil servant cause you trouble or harass you?',
  },
  trips: {
    vi: 'Ông/Bà đã phải đi lại bao nhiêu lần đến nơi tiếp nhận để giải quyết hồ sơ này?',
    en: 'How many times did you have to go to the service point for this dossier?',
  },
  lateness: {
    vi: 'Hồ sơ có được trả kết quả đúng hẹn không?',
    en: 'Was the result delivered by the date on your receipt?',
  },
};

/** Answers 0…TRIPS_MAX; TRIPS_MAX means "that many or more". */
export const TRIPS_MAX = 5;
/** A dossier needs at most two trips (to file it and to collect the result): more is counted in the share. */
export const TRIPS_EXPECTED_MAX = 2;
export const TRIPS_LABELS: Readonly<Record<number, Localized>> = {
  0: {
    vi: 'Không lần nào (nộp và nhận kết quả trực tuyến hoặc qua bưu chính)',
    en: 'None (filed and received online or by post)',
  },
  1: { vi: '1 lần', en: 'Once' },
  2: { vi: '2 lần', en: 'Twice' },
  3: { vi: '3 lần', en: '3 times' },
  4: { vi: '4 lần', en: '4 times' },
  5: { vi: '5 lần trở lên', en: '5 times or more' },
};

/** Whether the result was late and, if so, whether the written apology the rules require was received. */
export const LATENESS = ['on_time', 'late_apology', 'late_no_apology'] as const;
export type Lateness = (typeof LATENESS)[number];
export const LATENESS_LABELS: Readonly<Record<Lateness, Localized>> = {
  on_time: { vi: 'Đúng hẹn hoặc sớm hơn', en: 'On time or early' },
  late_apology: { vi: 'Trễ hẹn, có văn bản xin lỗi', en: 'Late, with a written apology' },
  late_no_apology: { vi: 'Trễ hẹn, không có văn bản xin lỗi', en: 'Late, without an apology' },
};

/** The answers on conduct as stored: an unanswered question is absent. */
export interface ConductAnswers {
  readonly extraDocuments?: boolean;
  readonly extraPayment?: boolean;
  readonly harassment?: boolean;
  readonly trips?: number;
  readonly lateness?: Lateness;
}

/** What a response contributes to one published share: not counted, counted, or counted as a "yes". */
export type ShareCount = 'no' | 'yes' | undefined;

/** A published share about conduct or submission: which responses it is counted over, and which say yes. */
export interface ConductShare {
  readonly id: ConductShareId;
  readonly title: Localized;
  /** `undefined`: the response is outside the share's base (unanswered, or not late for the apology share). */
  readonly count: (response: {
    readonly conduct?: ConductAnswers;
    readonly submission?: SubmissionMethod;
  }) => ShareCount;
}

/** The shares published on conduct (keys of `satisfaction.conduct` in the open data). */
export const CONDUCT_SHARE_KEYS = [
  'extraDocuments',
  'extraPayment',
  'harassment',
  'tripsOverTwo',
  'late',
  'apologyWhenLate',
] as const;
export type ConductShareId = (typeof CONDUCT_SHARE_KEYS)[number];

const yesNo = (value: boolean | undefined): ShareCount => (value === undefined ? undefined : value ? 'yes' : 'no');

/**
 * The shares published from the conduct answers, each over the responses that answered its question. Apology is
 * over the late dossiers only: an apology is owed only when the result is late.
 */
export const CONDUCT_SHARES: readonly ConductShare[] = [
  {
    id: 'extraDocuments',
    title: { vi: 'Bị yêu cầu bổ sung hồ sơ quá một lần', en: 'Asked for more documents more than once' },
    count: ({ conduct }) => yesNo(conduct?.extraDocuments),
  },
  {
    id: 'extraPayment',
    title: { vi: 'Bị yêu cầu nộp tiền ngoài phí, lệ phí', en: 'Asked to pay money beyond the fees' },
    count: ({ conduct }) => yesNo(conduct?.extraPayment),
  },
  {
    id: 'harassment',
    title: { vi: 'Bị gây phiền hà, sách nhiễu', en: 'Caused trouble or harassed' },
    count: ({ conduct }) => yesNo(conduct?.harassment),
  },
  {
    id: 'tripsOverTwo',
    title: { vi: 'Phải đi lại quá 2 lần', en: 'Had to come more than twice' },
    count: ({ conduct }) =>
      conduct?.trips === undefined ? undefined : conduct.trips > TRIPS_EXPECTED_MAX ? 'yes' : 'no',
  },
  {
    id: 'late',
    title: { vi: 'Trả kết quả trễ hẹn', en: 'Result delivered late' },
    count: ({ conduct }) =>
      conduct?.lateness === undefined ? undefined : conduct.lateness === 'on_time' ? 'no' : 'yes',
  },
  {
    id: 'apologyWhenLate',
    title: { vi: 'Nhận được văn bản xin lỗi khi trễ hẹn', en: 'Received a written apology when late' },
    count: ({ conduct }) =>
      conduct?.lateness === 'late_apology' ? 'yes' : conduct?.lateness === 'late_no_apology' ? 'no' : undefined,
  },
];

/** The shares of each way of submitting, over the responses that said how they submitted. */
export function submissionShare(method: SubmissionMethod): ConductShare['count'] {
  return ({ submission }) => (submission === undefined ? undefined : submission === method ? 'yes' : 'no');
}
