import type { Topic } from '../../shared/vocabulary.js';

/**
 * The demo dataset: facts from the seed documents (../shared/seeds), as the agencies named there would publish
 * them. What the documents do not give is said so in each record: per-ward violation counts and exact dates of
 * Hanoi's 2024 inspections are illustrative; document numbers are demo numbers (`DEMO-…`), not real ones.
 * Sources: kinhtedothi.vn (Hanoi's 2024 public-service inspections; Đống Đa district, H1 2024) and
 * vietnam.vn (Quảng Ninh, 17/02/2025).
 */

export interface DemoAgency {
  readonly id: string;
  readonly name: string;
  readonly jurisdiction: readonly string[];
}

export const DEMO_AGENCIES: readonly DemoAgency[] = [
  { id: 'hanoi-dktcv', name: 'Đoàn Kiểm tra công vụ TP Hà Nội', jurisdiction: ['01'] },
  { id: 'dongda-ubkt', name: 'Ủy ban Kiểm tra Quận ủy Đống Đa', jurisdiction: ['006'] },
  { id: 'dongda-ubnd', name: 'UBND quận Đống Đa', jurisdiction: ['006'] },
  { id: 'quangninh-snv', name: 'Sở Nội vụ tỉnh Quảng Ninh', jurisdiction: ['22'] },
];

const HANOI_BASIS = ['24-CT/TU', '26/CT-TTg'];
const ILLUSTRATIVE_VI =
  'Số liệu vi phạm và ngày ban hành trong bản ghi này là minh họa: tài liệu nguồn chỉ nêu tổng số cuộc kiểm tra năm 2024.';
const ILLUSTRATIVE_EN =
  'The violation counts and the date of this record are illustrative: the source gives only the total of 2024 inspections.';

/** Topics by date, following the team's guidance dispatches (385/ĐKTCV 5/2, 1575/ĐKTCV 9/5, 1860/ĐKTCV 28/5/2024). */
function hanoiTopics(issuedOn: string): Topic[] {
  const topics: Topic[] = ['administrative_discipline', 'procedure_handling', 'public_ethics'];
  if (issuedOn >= '2024-05-09') topics.push('project_06');
  if (issuedOn >= '2024-05-28') topics.push('fire_prevention');
  return topics;
}

interface Inspected {
  readonly code: string;
  readonly vi: string;
  readonly en: string;
  readonly issuedOn: string;
  /** Illustrative: violating individuals and those asked to review their responsibility. */
  readonly individuals: number;
}

/** The 19 ward/commune People's Committees inspected by surprise in 2024 (codes in force then). */
const HANOI_WARDS: readonly Inspected[] = [
  {
    code: '00304',
    vi: 'UBND phường Vĩnh Hưng (quận Hoàng Mai)',
    en: 'Vĩnh Hưng ward People’s Committee (Hoàng Mai)',
    issuedOn: '2024-03-12',
    individuals: 2,
  },
  {
    code: '00331',
    vi: 'UBND phường Thịnh Liệt (quận Hoàng Mai)',
    en: 'Thịnh Liệt ward People’s Committee (Hoàng Mai)',
    issuedOn: '2024-03-26',
    individuals: 0,
  },
  {
    code: '00238',
    vi: 'UBND phường Khương Thượng (quận Đống Đa)',
    en: 'Khương Thượng ward People’s Committee (Đống Đa)',
    issuedOn: '2024-04-09',
    individuals: 1,
  },
  {
    code: '00247',
    vi: 'UBND phường Phạm Đình Hổ (quận Hai Bà Trưng)',
    en: 'Phạm Đình Hổ ward People’s Committee (Hai Bà Trưng)',
    issuedOn: '2024-04-23',
    individuals: 0,
  },
  {
    code: '00268',
    vi: 'UBND phường Thanh Lương (quận Hai Bà Trưng)',
    en: 'Thanh Lương ward People’s Committee (Hai Bà Trưng)',
    issuedOn: '2024-05-14',
    individuals: 1,
  },
  {
    code: '00091',
    vi: 'UBND phường Phú Thượng (quận Tây Hồ)',
    en: 'Phú Thượng ward People’s Committee (Tây Hồ)',
    issuedOn: '2024-05-30',
    individuals: 0,
  },
  {
    code: '00100',
    vi: 'UBND phường Quảng An (quận Tây Hồ)',
    en: 'Quảng An ward People’s Committee (Tây Hồ)',
    issuedOn: '2024-06-11',
    individuals: 0,
  },
  {
    code: '00094',
    vi: 'UBND phường Nhật Tân (quận Tây Hồ)',
    en: 'Nhật Tân ward People’s Committee (Tây Hồ)',
    issuedOn: '2024-06-25',
    individuals: 1,
  },
  {
    code: '00097',
    vi: 'UBND phường Tứ Liên (quận Tây Hồ)',
    en: 'Tứ Liên ward People’s Committee (Tây Hồ)',
    issuedOn: '2024-07-09',
    individuals: 0,
  },
  {
    code: '00139',
    vi: 'UBND phường Bồ Đề (quận Long Biên)',
    en: 'Bồ Đề ward People’s Committee (Long Biên)',
    issuedOn: '2024-07-23',
    individuals: 2,
  },
  {
    code: '00136',
    vi: 'UBND phường Phúc Lợi (quận Long Biên)',
    en: 'Phúc Lợi ward People’s Committee (Long Biên)',
    issuedOn: '2024-08-06',
    individuals: 0,
  },
  {
    code: '09796',
    vi: 'UBND xã Hồng Hà (huyện Đan Phượng)',
    en: 'Hồng Hà commune People’s Committee (Đan Phượng)',
    issuedOn: '2024-08-20',
    individuals: 1,
  },
  {
    code: '09820',
    vi: 'UBND xã Tân Lập (huyện Đan Phượng)',
    en: 'Tân Lập commune People’s Committee (Đan Phượng)',
    issuedOn: '2024-09-10',
    individuals: 0,
  },
  {
    code: '09784',
    vi: 'UBND thị trấn Phùng (huyện Đan Phượng)',
    en: 'Phùng town People’s Committee (Đan Phượng)',
    issuedOn: '2024-09-24',
    individuals: 1,
  },
  {
    code: '09757',
    vi: 'UBND xã Thanh Đa (huyện Phúc Thọ)',
    en: 'Thanh Đa commune People’s Committee (Phúc Thọ)',
    issuedOn: '2024-10-08',
    individuals: 0,
  },
  {
    code: '09775',
    vi: 'UBND xã Tam Hiệp (huyện Phúc Thọ)',
    en: 'Tam Hiệp commune People’s Committee (Phúc Thọ)',
    issuedOn: '2024-10-22',
    individuals: 1,
  },
  {
    code: '10330',
    vi: 'UBND xã Vân Từ (huyện Phú Xuyên)',
    en: 'Vân Từ commune People’s Committee (Phú Xuyên)',
    issuedOn: '2024-11-05',
    individuals: 0,
  },
  {
    code: '10270',
    vi: 'UBND thị trấn Phú Minh (huyện Phú Xuyên)',
    en: 'Phú Minh town People’s Committee (Phú Xuyên)',
    issuedOn: '2024-11-19',
    individuals: 1,
  },
  {
    code: '10273',
    vi: 'UBND thị trấn Phú Xuyên (huyện Phú Xuyên)',
    en: 'Phú Xuyên town People’s Committee (Phú Xuyên)',
    issuedOn: '2024-12-03',
    individuals: 0,
  },
];

/** The 3 district offices and the 3 branches of the Land Registration Office, attached to their district. */
const HANOI_OFFICES: readonly Inspected[] = [
  {
    code: '008',
    vi: 'Phòng Tài nguyên và Môi trường quận Hoàng Mai',
    en: 'Natural Resources and Environment Office of Hoàng Mai district',
    issuedOn: '2024-06-18',
    individuals: 1,
  },
  {
    code: '272',
    vi: 'Phòng Tài nguyên và Môi trường huyện Phúc Thọ',
    en: 'Natural Resources and Environment Office of Phúc Thọ district',
    issuedOn: '2024-09-17',
    individuals: 0,
  },
  {
    code: '003',
    vi: 'Đội Quản lý trật tự xây dựng quận Tây Hồ',
    en: 'Construction Order Management Team of Tây Hồ district',
    issuedOn: '2024-10-15',
    individuals: 1,
  },
  {
    code: '008',
    vi: 'Văn phòng Đăng ký đất đai Hà Nội – Chi nhánh Hoàng Mai',
    en: 'Hanoi Land Registration Office, Hoàng Mai branch',
    issuedOn: '2024-07-16',
    individuals: 1,
  },
  {
    code: '276',
    vi: 'Văn phòng Đăng ký đất đai Hà Nội – Chi nhánh Thạch Thất',
    en: 'Hanoi Land Registration Office, Thạch Thất branch',
    issuedOn: '2024-08-27',
    individuals: 0,
  },
  {
    code: '272',
    vi: 'Văn phòng Đăng ký đất đai Hà Nội – Chi nhánh Phúc Thọ',
    en: 'Hanoi Land Registration Office, Phúc Thọ branch',
    issuedOn: '2024-11-26',
    individuals: 1,
  },
];

export interface DemoConclusion {
  readonly agencyId: string;
  readonly body: Record<string, unknown>;
}

function hanoiSurprise(target: Inspected, index: number): DemoConclusion {
  return {
    agencyId: 'hanoi-dktcv',
    body: {
      documentNumber: `DEMO-${String(index + 1).padStart(2, '0')}/KL-ĐKTCV`,
      issuedOn: target.issuedOn,
      kind: 'surprise',
      inspectedUnits: [target.code],
      topics: hanoiTopics(target.issuedOn),
      legalBasis: HANOI_BASIS,
      title: {
        vi: `Kiểm tra công vụ đột xuất tại ${target.vi}`,
        en: `Surprise public-service inspection of ${target.en}`,
      },
      summary: {
        vi: `Đoàn Kiểm tra công vụ TP kiểm tra đột xuất việc chấp hành kỷ luật, kỷ cương hành chính, đạo đức công vụ và giải quyết thủ tục hành chính tại ${target.vi}, theo Chỉ thị 24-CT/TU và Chỉ thị 26/CT-TTg. Đây là một trong 25 cuộc kiểm tra đột xuất năm 2024. ${ILLUSTRATIVE_VI}`,
        en: `The City Public Service Inspection Team inspected, without notice, administrative discipline, public ethics and the handling of administrative procedures at ${target.en}, under Directives 24-CT/TU and 26/CT-TTg: one of its 25 surprise inspections of 2024. ${ILLUSTRATIVE_EN}`,
      },
      violations: { organizations: 0, individuals: target.individuals },
      discipline: [],
      otherMeasures: { transfers: 0, responsibilityReviews: target.individuals },
      recommendations:
        target.individuals > 0
          ? [
              {
                text: {
                  vi: 'Tổ chức kiểm điểm trách nhiệm cá nhân vi phạm; báo cáo kết quả khắc phục.',
                  en: 'Hold a responsibility review of the individuals concerned and report on remediation.',
                },
                status: 'done',
              },
            ]
          : [],
    },
  };
}

/** Every demo conclusion, in the order they are published. */
export const DEMO_CONCLUSIONS: readonly DemoConclusion[] = [
  ...[...HANOI_WARDS, ...HANOI_OFFICES].map(hanoiSurprise),
  {
    agencyId: 'dongda-ubkt',
    body: {
      documentNumber: 'DEMO-01/BC-UBKTQU',
      issuedOn: '2024-07-15',
      kind: 'thematic',
      inspectedUnits: ['006'],
      topics: ['administrative_discipline', 'public_ethics'],
      legalBasis: ['24-CT/TU', '19-NQ/QU'],
      title: {
        vi: 'Kết quả thi hành kỷ luật đảng viên 6 tháng đầu năm 2024, quận Đống Đa',
        en: 'Party discipline in Đống Đa district, first half of 2024',
      },
      summary: {
        vi: 'Trong 6 tháng đầu năm 2024, cấp ủy và Ủy ban Kiểm tra các cấp trong Đảng bộ quận Đống Đa đã thi hành kỷ luật 15 đảng viên: cảnh cáo 2, khiển trách 12, khai trừ 1. Bản ghi gộp các quyết định trong kỳ thành một kết luận của quận; ngày ban hành là minh họa.',
        en: 'In the first half of 2024, Party committees and Inspection Commissions at all levels of Đống Đa district disciplined 15 Party members: 2 warnings, 12 reprimands and 1 expulsion. This record gathers the period’s decisions into one conclusion for the district; its date is illustrative.',
      },
      violations: { organizations: 0, individuals: 15 },
      discipline: [
        { form: 'warning', organizations: 0, individuals: 2 },
        { form: 'reprimand', organizations: 0, individuals: 12 },
        { form: 'expulsion', organizations: 0, individuals: 1 },
      ],
      otherMeasures: { transfers: 0, responsibilityReviews: 0 },
      recommendations: [],
    },
  },
  ...(
    [
      ['06685', 'UBND phường Trần Hưng Đạo (TP Hạ Long)', 'Trần Hưng Đạo ward People’s Committee (Hạ Long city)'],
      ['07150', 'UBND phường Cộng Hòa (thị xã Quảng Yên)', 'Cộng Hòa ward People’s Committee (Quảng Yên town)'],
      [
        '193',
        'Chi nhánh Trung tâm Phục vụ hành chính công TP Hạ Long',
        'Hạ Long City Public Administration Service Center branch',
      ],
      [
        '206',
        'Chi nhánh Trung tâm Phục vụ hành chính công thị xã Quảng Yên',
        'Quảng Yên Town Public Administration Service Center branch',
      ],
    ] as const
  ).map(([code, vi, en], index) => ({
    agencyId: 'quangninh-snv',
    body: {
      documentNumber: `DEMO-${String(index + 1).padStart(2, '0')}/KL-SNV`,
      issuedOn: '2025-02-03',
      kind: 'surprise',
      inspectedUnits: [code],
      topics: ['administrative_discipline', 'procedure_handling', 'public_ethics'],
      legalBasis: ['144-QĐ/TW'],
      title: {
        vi: `Kiểm tra đột xuất ngày làm việc đầu tiên sau Tết tại ${vi}`,
        en: `Surprise inspection on the first working day after Tết: ${en}`,
      },
      summary: {
        vi: `Đoàn kiểm tra của Sở Nội vụ kiểm tra đột xuất việc chấp hành kỷ luật, kỷ cương hành chính tại ${vi}. 100% cán bộ, công chức có mặt tại vị trí làm việc, thực hiện tốt việc đón tiếp, hướng dẫn, tiếp nhận và giải quyết thủ tục hành chính; không phát hiện vi phạm.`,
        en: `The Department of Home Affairs inspected, without notice, administrative discipline at ${en}. All staff were at their posts, welcoming, guiding, receiving and handling procedures well; no violation was found.`,
      },
      violations: { organizations: 0, individuals: 0 },
      discipline: [],
      otherMeasures: { transfers: 0, responsibilityReviews: 0 },
      recommendations: [],
    },
  })),
];

export interface DemoReport {
  readonly agencyId: string;
  readonly body: Record<string, unknown>;
}

/**
 * Reports: figures of a longer period are filed as ONE month (the last of the period) rather than spread over
 * months, which would invent a monthly breakdown the documents do not give.
 */
export const DEMO_REPORTS: readonly DemoReport[] = [
  {
    // Đống Đa, first half of 2024: 517/517 citizens received; 487/485 petitions resolved (filed as 2024-06).
    agencyId: 'dongda-ubnd',
    body: {
      unit: '006',
      month: '2024-06',
      reception: { citizensReceived: 517, complaintsReceived: 485, complaintsResolved: 487 },
    },
  },
  {
    // Quảng Ninh, the whole of 2024: 6,647 citizens; 392/459 complaints and 11/13 denunciations resolved (filed
    // as 2024-12). Its procedure figures are rates by level, without counts of early/on-time/late: not filed.
    agencyId: 'quangninh-snv',
    body: {
      unit: '22',
      month: '2024-12',
      reception: {
        citizensReceived: 6647,
        complaintsReceived: 459,
        complaintsResolved: 392,
        denunciationsReceived: 13,
        denunciationsResolved: 11,
      },
    },
  },
];
