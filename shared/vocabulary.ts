/**
 * The closed vocabularies of the domain (CONTRACT.md), with their Vietnamese and English labels.
 * Schemas, statistics, the open-data files and the site all take them from here.
 */

export const INSPECTION_KINDS = ['surprise', 'planned', 'specialized', 'thematic', 'directed'] as const;
export const DISCIPLINE_FORMS = [
  'reprimand',
  'warning',
  'salary_demotion',
  'demotion',
  'dismissal',
  'forced_resignation',
  'expulsion',
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
export type Topic = (typeof TOPICS)[number];

export interface Label {
  readonly vi: string;
  readonly en: string;
}

export const INSPECTION_KIND_LABELS: Record<InspectionKind, Label> = {
  surprise: { vi: 'Đột xuất', en: 'Surprise' },
  planned: { vi: 'Theo kế hoạch', en: 'Planned' },
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
  forced_resignation: { vi: 'Buộc thôi việc', en: 'Forced resignation' },
  expulsion: { vi: 'Khai trừ', en: 'Party expulsion' },
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
