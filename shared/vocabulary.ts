/**
 * The closed vocabularies of the domain (CONTRACT.md), with their Vietnamese and English labels.
 * Schemas, statistics, the open-data files and the site all take them from here. What the law allows of them (which
 * form on which track, on which date, for whom) is in shared/discipline/law.ts.
 *
 * The label tables repeat one shape (`{ vi, en }` per code) on purpose: each is the reviewed wording of one closed
 * vocabulary, keyed by its codes so the types refuse a missing or unknown one.
 */

/** Kinds of inspection: đột xuất, theo kế hoạch, thường xuyên, chuyên ngành, chuyên đề, theo chỉ đạo. */
export const INSPECTION_KINDS = ['surprise', 'planned', 'regular', 'specialized', 'thematic', 'directed'] as const;
/**
 * Disciplinary forms of both tracks (CONTRACT.md, "A conclusion"). The same word may name a form on both tracks
 * (khiển trách, cảnh cáo, cách chức): the track of a discipline entry says which; the forms of each track are
 * TRACK_FORMS in shared/discipline/law.ts.
 */
export const DISCIPLINE_FORMS = [
  'reprimand',
  'warning',
  'salary_demotion',
  'demotion',
  'dismissal',
  'removal_from_office',
  'forced_resignation',
  'expulsion',
  'dissolution',
] as const;
/**
 * Disciplinary tracks: `state` (administrative discipline of cadres, civil servants and public employees: Law on
 * Cadres and Civil Servants, Law on Public Employees, Decree 172/2025/NĐ-CP) and `party` (Party discipline: Quy định
 * 69-QĐ/TW). One person may be disciplined on both, so their figures are never added together.
 */
export const DISCIPLINE_TRACKS = ['state', 'party'] as const;
/** `recommended`: the inspection recommends (kiến nghị xử lý); `decided`: the competent authority decided it. */
export const DISCIPLINE_STAGES = ['decided', 'recommended'] as const;
/** Who was disciplined, when the source says: cán bộ, công chức, viên chức, người lao động. */
export const PERSON_CATEGORIES = ['cadre', 'civil_servant', 'public_employee', 'worker'] as const;
/**
 * Lighter measures than discipline (PRODUCT.md, "Records"): counted apart, never as discipline. The two first are
 * the contract's original fields.
 */
export const OTHER_MEASURES = [
  'transfers',
  'responsibilityReviews',
  'reminders',
  'criticisms',
  'replacements',
  'suspensions',
] as const;
/**
 * Categories of violation (closed): drawn from the seed documents (Directive 24-CT/TU and its guidance, the city's
 * surprise inspections, Long Biên's "25 hành vi vi phạm kỷ luật, kỷ cương và trách nhiệm giải quyết công việc") and
 * the domain review. Long Biên's 25 behaviours group into these; what fits none is `other`.
 */
export const VIOLATION_CATEGORIES = [
  'working_hours',
  'card_and_dress',
  'conduct_and_communication',
  'private_matters_at_work',
  'late_without_apology',
  'extra_documents',
  'harassment',
  'procedures_not_posted',
  'evasion_of_responsibility',
  'slow_handling',
  'other',
] as const;
export const TOPICS = [
  'administrative_discipline',
  'procedure_handling',
  'project_06',
  'fire_prevention',
  'public_ethics',
  'corruption_prevention',
  'personnel_management',
  'citizen_reception',
  'other',
] as const;
export const RECOMMENDATION_STATUSES = ['open', 'in_progress', 'done', 'overdue'] as const;

export type InspectionKind = (typeof INSPECTION_KINDS)[number];
export type DisciplineForm = (typeof DISCIPLINE_FORMS)[number];
export type DisciplineTrack = (typeof DISCIPLINE_TRACKS)[number];
export type DisciplineStage = (typeof DISCIPLINE_STAGES)[number];
export type PersonCategory = (typeof PERSON_CATEGORIES)[number];
export type OtherMeasure = (typeof OTHER_MEASURES)[number];
export type ViolationCategory = (typeof VIOLATION_CATEGORIES)[number];
export type Topic = (typeof TOPICS)[number];

export interface Label {
  readonly vi: string;
  readonly en: string;
}

export const INSPECTION_KIND_LABELS: Record<InspectionKind, Label> = {
  surprise: { vi: 'Đột xuất', en: 'Surprise' },
  planned: { vi: 'Theo kế hoạch', en: 'Planned' },
  regular: { vi: 'Thường xuyên', en: 'Regular' },
  specialized: { vi: 'Chuyên ngành', en: 'Specialized' },
  thematic: { vi: 'Chuyên đề', en: 'Thematic' },
  directed: { vi: 'Theo chỉ đạo', en: 'On direction' },
};

export const DISCIPLINE_FORM_LABELS: Record<DisciplineForm, Label> = {
  reprimand: { vi: 'Khiển trách', en: 'Reprimand' },
  warning: { vi: 'Cảnh cáo', en: 'Warning' },
  salary_demotion: { vi: 'Hạ bậc lương', en: 'Salary-grade demotion' },
  demotion: { vi: 'Giáng chức', en: 'Demotion' },
  dismissal: { vi: 'Cách chức', en: 'Dismissal from post' },
  removal_from_office: { vi: 'Bãi nhiệm', en: 'Removal from elected office' },
  forced_resignation: { vi: 'Buộc thôi việc', en: 'Forced resignation' },
  expulsion: { vi: 'Khai trừ', en: 'Party expulsion' },
  dissolution: { vi: 'Giải tán', en: 'Dissolution (Party organization)' },
};

export const DISCIPLINE_TRACK_LABELS: Record<DisciplineTrack, Label> = {
  state: {
    vi: 'Kỷ luật hành chính (cán bộ, công chức, viên chức)',
    en: 'State discipline (cadres, civil servants, public employees)',
  },
  party: { vi: 'Kỷ luật Đảng', en: 'Party discipline' },
};

export const DISCIPLINE_STAGE_LABELS: Record<DisciplineStage, Label> = {
  decided: { vi: 'Đã quyết định kỷ luật', en: 'Decided' },
  recommended: { vi: 'Kiến nghị xử lý kỷ luật', en: 'Recommended' },
};

export const PERSON_CATEGORY_LABELS: Record<PersonCategory, Label> = {
  cadre: { vi: 'Cán bộ', en: 'Cadres' },
  civil_servant: { vi: 'Công chức', en: 'Civil servants' },
  public_employee: { vi: 'Viên chức', en: 'Public employees' },
  worker: { vi: 'Người lao động', en: 'Employees under labour contracts' },
};

export const OTHER_MEASURE_LABELS: Record<OtherMeasure, Label> = {
  transfers: { vi: 'Điều chuyển, luân chuyển, chuyển đổi vị trí', en: 'Transfers and rotations' },
  responsibilityReviews: { vi: 'Kiểm điểm trách nhiệm', en: 'Responsibility reviews' },
  reminders: { vi: 'Nhắc nhở', en: 'Reminders' },
  criticisms: { vi: 'Phê bình', en: 'Criticisms' },
  replacements: { vi: 'Thay thế', en: 'Replacements' },
  suspensions: { vi: 'Tạm đình chỉ công tác', en: 'Suspensions from duty' },
};

export const VIOLATION_CATEGORY_LABELS: Record<ViolationCategory, Label> = {
  working_hours: {
    vi: 'Giờ giấc làm việc (đi muộn, về sớm, vắng mặt)',
    en: 'Working hours (late, leaving early, absent)',
  },
  card_and_dress: { vi: 'Đeo thẻ công chức, trang phục', en: 'Staff card and dress' },
  conduct_and_communication: { vi: 'Thái độ, tác phong, văn hóa giao tiếp', en: 'Attitude, conduct and communication' },
  private_matters_at_work: { vi: 'Làm việc riêng trong giờ làm việc', en: 'Private matters during working hours' },
  late_without_apology: { vi: 'Trễ hẹn không có thư xin lỗi', en: 'Late results without a letter of apology' },
  extra_documents: { vi: 'Yêu cầu thêm giấy tờ ngoài quy định', en: 'Asking for documents beyond those required' },
  harassment: { vi: 'Gây phiền hà, sách nhiễu, nhũng nhiễu', en: 'Harassment and petty extortion' },
  procedures_not_posted: { vi: 'Không niêm yết, công khai thủ tục hành chính', en: 'Procedures not posted publicly' },
  evasion_of_responsibility: { vi: 'Né tránh, đùn đẩy trách nhiệm', en: 'Evading or shifting responsibility' },
  slow_handling: { vi: 'Chậm trễ, kéo dài giải quyết công việc', en: 'Slow or protracted handling of work' },
  other: { vi: 'Vi phạm khác', en: 'Other violations' },
};

export const TOPIC_LABELS: Record<Topic, Label> = {
  administrative_discipline: { vi: 'Kỷ luật, kỷ cương hành chính', en: 'Administrative discipline' },
  procedure_handling: { vi: 'Giải quyết thủ tục hành chính', en: 'Handling of administrative procedures' },
  project_06: { vi: 'Đề án 06', en: 'Project 06' },
  fire_prevention: { vi: 'Phòng cháy, chữa cháy', en: 'Fire prevention' },
  public_ethics: { vi: 'Đạo đức, văn hóa giao tiếp công vụ', en: 'Public ethics and communication culture' },
  corruption_prevention: { vi: 'Phòng, chống tham nhũng', en: 'Corruption prevention' },
  personnel_management: { vi: 'Quản lý, sử dụng công chức, viên chức', en: 'Management of civil servants' },
  citizen_reception: { vi: 'Tiếp công dân, giải quyết khiếu nại, tố cáo', en: 'Citizen reception and complaints' },
  other: { vi: 'Khác', en: 'Other' },
};
