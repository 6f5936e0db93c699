import { SOURCE_HANOI_INSPECTIONS_2024, SOURCE_QUANG_NINH_2024 } from './sources.js';

/**
 * The demo dataset: the record of the seed documents (../shared/seeds) and nothing else, as the agencies named
 * there would publish it. Every record names its source. What a document does not give is absent (no violation
 * count, no topic guessed); the totals of a period are summary reports (summaries.ts), not conclusions. The one
 * thing a record must have that the documents do not give is the date of each of Hanoi's 2024 inspections (the
 * article gives the year): those dates are illustrative, and each record says so. Document numbers are demo
 * numbers (`DEMO-…`), not real ones.
 */

export interface DemoAgency {
  readonly id: string;
  readonly name: string;
  readonly jurisdiction: readonly string[];
}

export const DEMO_AGENCIES: readonly DemoAgency[] = [
  { id: 'hanoi-dktcv', name: 'Đoàn Kiểm tra công vụ TP Hà Nội', jurisdiction: ['01'] },
  { id: 'hanoi-snv', name: 'Sở Nội vụ TP Hà Nội', jurisdiction: ['01'] },
  { id: 'hanoi-btctu', name: 'Ban Tổ chức Thành ủy Hà Nội', jurisdiction: ['01'] },
  { id: 'dongda-ubkt', name: 'Ủy ban Kiểm tra Quận ủy Đống Đa', jurisdiction: ['006'] },
  { id: 'dongda-ubnd', name: 'UBND quận Đống Đa', jurisdiction: ['006'] },
  { id: 'quangninh-snv', name: 'Sở Nội vụ tỉnh Quảng Ninh', jurisdiction: ['22'] },
];

/** Directive 24-CT/TU of the Hanoi Party Committee's Standing Committee and Directive 26/CT-TTg, as the article cites them. */
const HANOI_BASIS = [
  { number: '24-CT/TU', issuer: 'Ban Thường vụ Thành ủy Hà Nội', issuedOn: '2023-08-07' },
  { number: '26/CT-TTg', issuer: 'Thủ tướng Chính phủ', issuedOn: '2023-10-20' },
];
const DATE_NOTE_VI =
  'Nguồn chỉ nêu các cuộc kiểm tra diễn ra trong năm 2024, không nêu ngày ban hành kết luận: ngày của bản ghi này là minh họa. Nguồn không nêu số liệu vi phạm của từng cuộc.';
const DATE_NOTE_EN =
  'The source gives the year of the inspections (2024), not the dates of their conclusions: this record’s date is illustrative. The source gives no violation figures per inspection.';

interface Inspected {
  readonly code: string;
  readonly vi: string;
  readonly en: string;
  /** Illustrative: the source gives the year only. */
  readonly issuedOn: string;
}

/** The 19 ward/commune People's Committees inspected by surprise in 2024 (codes in force then). */
const HANOI_WARDS: readonly Inspected[] = [
  {
    code: '00304',
    vi: 'UBND phường Vĩnh Hưng (quận Hoàng Mai)',
    en: 'Vĩnh Hưng ward People’s Committee (Hoàng Mai)',
    issuedOn: '2024-03-12',
  },
  {
    code: '00331',
    vi: 'UBND phường Thịnh Liệt (quận Hoàng Mai)',
    en: 'Thịnh Liệt ward People’s Committee (Hoàng Mai)',
    issuedOn: '2024-03-26',
  },
  {
    code: '00238',
    vi: 'UBND phường Khương Thượng (quận Đống Đa)',
    en: 'Khương Thượng ward People’s Committee (Đống Đa)',
    issuedOn: '2024-04-09',
  },
  {
    code: '00247',
    vi: 'UBND phường Phạm Đình Hổ (quận Hai Bà Trưng)',
    en: 'Phạm Đình Hổ ward People’s Committee (Hai Bà Trưng)',
    issuedOn: '2024-04-23',
  },
  {
    code: '00268',
    vi: 'UBND phường Thanh Lương (quận Hai Bà Trưng)',
    en: 'Thanh Lương ward People’s Committee (Hai Bà Trưng)',
    issuedOn: '2024-05-14',
  },
  {
    code: '00091',
    vi: 'UBND phường Phú Thượng (quận Tây Hồ)',
    en: 'Phú Thượng ward People’s Committee (Tây Hồ)',
    issuedOn: '2024-05-30',
  },
  {
    code: '00100',
    vi: 'UBND phường Quảng An (quận Tây Hồ)',
    en: 'Quảng An ward People’s Committee (Tây Hồ)',
    issuedOn: '2024-06-11',
  },
  {
    code: '00094',
    vi: 'UBND phường Nhật Tân (quận Tây Hồ)',
    en: 'Nhật Tân ward People’s Committee (Tây Hồ)',
    issuedOn: '2024-06-25',
  },
  {
    code: '00097',
    vi: 'UBND phường Tứ Liên (quận Tây Hồ)',
    en: 'Tứ Liên ward People’s Committee (Tây Hồ)',
    issuedOn: '2024-07-09',
  },
  {
    code: '00139',
    vi: 'UBND phường Bồ Đề (quận Long Biên)',
    en: 'Bồ Đề ward People’s Committee (Long Biên)',
    issuedOn: '2024-07-23',
  },
  {
    code: '00136',
    vi: 'UBND phường Phúc Lợi (quận Long Biên)',
    en: 'Phúc Lợi ward People’s Committee (Long Biên)',
    issuedOn: '2024-08-06',
  },
  {
    code: '09796',
    vi: 'UBND xã Hồng Hà (huyện Đan Phượng)',
    en: 'Hồng Hà commune People’s Committee (Đan Phượng)',
    issuedOn: '2024-08-20',
  },
  {
    code: '09820',
    vi: 'UBND xã Tân Lập (huyện Đan Phượng)',
    en: 'Tân Lập commune People’s Committee (Đan Phượng)',
    issuedOn: '2024-09-10',
  },
  {
    code: '09784',
    vi: 'UBND thị trấn Phùng (huyện Đan Phượng)',
    en: 'Phùng town People’s Committee (Đan Phượng)',
    issuedOn: '2024-09-24',
  },
  {
    code: '09757',
    vi: 'UBND xã Thanh Đa (huyện Phúc Thọ)',
    en: 'Thanh Đa commune People’s Committee (Phúc Thọ)',
    issuedOn: '2024-10-08',
  },
  {
    code: '09775',
    vi: 'UBND xã Tam Hiệp (huyện Phúc Thọ)',
    en: 'Tam Hiệp commune People’s Committee (Phúc Thọ)',
    issuedOn: '2024-10-22',
  },
  {
    code: '10330',
    vi: 'UBND xã Vân Từ (huyện Phú Xuyên)',
    en: 'Vân Từ commune People’s Committee (Phú Xuyên)',
    issuedOn: '2024-11-05',
  },
  {
    code: '10270',
    vi: 'UBND thị trấn Phú Minh (huyện Phú Xuyên)',
    en: 'Phú Minh town People’s Committee (Phú Xuyên)',
    issuedOn: '2024-11-19',
  },
  {
    code: '10273',
    vi: 'UBND thị trấn Phú Xuyên (huyện Phú Xuyên)',
    en: 'Phú Xuyên town People’s Committee (Phú Xuyên)',
    issuedOn: '2024-12-03',
  },
];

/** The 3 district offices and the 3 branches of the Land Registration Office, attached to their district. */
const HANOI_OFFICES: readonly Inspected[] = [
  {
    code: '008',
    vi: 'Phòng Tài nguyên và Môi trường quận Hoàng Mai',
    en: 'Natural Resources and Environment Office of Hoàng Mai district',
    issuedOn: '2024-06-18',
  },
  {
    code: '272',
    vi: 'Phòng Tài nguyên và Môi trường huyện Phúc Thọ',
    en: 'Natural Resources and Environment Office of Phúc Thọ district',
    issuedOn: '2024-09-17',
  },
  {
    code: '003',
    vi: 'Đội Quản lý trật tự xây dựng quận Tây Hồ',
    en: 'Construction Order Management Team of Tây Hồ district',
    issuedOn: '2024-10-15',
  },
  {
    code: '008',
    vi: 'Văn phòng Đăng ký đất đai Hà Nội – Chi nhánh Hoàng Mai',
    en: 'Hanoi Land Registration Office, Hoàng Mai branch',
    issuedOn: '2024-07-16',
  },
  {
    code: '276',
    vi: 'Văn phòng Đăng ký đất đai Hà Nội – Chi nhánh Thạch Thất',
    en: 'Hanoi Land Registration Office, Thạch Thất branch',
    issuedOn: '2024-08-27',
  },
  {
    code: '272',
    vi: 'Văn phòng Đăng ký đất đai Hà Nội – Chi nhánh Phúc Thọ',
    en: 'Hanoi Land Registration Office, Phúc Thọ branch',
    issuedOn: '2024-11-26',
  },
];

export interface DemoConclusion {
  readonly agencyId: string;
  readonly body: Record<string, unknown>;
  /**
   * Its date is not the source's (the source gives the year): published `illustrative`, so the month and quarter
   * figures it moves say so, as its page does.
   */
  readonly illustrative?: true;
}

function hanoiSurprise(target: Inspected, index: number): DemoConclusion {
  return {
    agencyId: 'hanoi-dktcv',
    illustrative: true,
    body: {
      documentNumber: `DEMO-${String(index + 1).padStart(2, '0')}/KL-ĐKTCV`,
      issuedOn: target.issuedOn,
      kind: 'surprise',
      inspectedUnits: [target.code],
      // "Kiểm tra công vụ" of administrative discipline: what the article says of all 25; no topic is guessed.
      topics: ['administrative_discipline'],
      legalBasis: HANOI_BASIS,
      title: {
        vi: `Kiểm tra công vụ đột xuất tại ${target.vi}`,
        en: `Surprise public-service inspection of ${target.en}`,
      },
      summary: {
        vi: `Đoàn Kiểm tra công vụ TP kiểm tra đột xuất tại ${target.vi}: một trong 25 cuộc kiểm tra đột xuất năm 2024 theo Chỉ thị 24-CT/TU. ${DATE_NOTE_VI}`,
        en: `The City Public Service Inspection Team inspected ${target.en} without notice: one of its 25 surprise inspections of 2024 under Directive 24-CT/TU. ${DATE_NOTE_EN}`,
      },
      sources: [SOURCE_HANOI_INSPECTIONS_2024],
    },
  };
}

/** The three districts of the Department of Home Affairs' completed specialized inspections (illustrative dates). */
const HANOI_SPECIALIZED: readonly Inspected[] = [
  { code: '250', vi: 'huyện Mê Linh', en: 'Mê Linh district', issuedOn: '2024-09-30' },
  { code: '277', vi: 'huyện Chương Mỹ', en: 'Chương Mỹ district', issuedOn: '2024-10-31' },
  { code: '017', vi: 'huyện Đông Anh', en: 'Đông Anh district', issuedOn: '2024-11-29' },
];

function hanoiSpecialized(target: Inspected, index: number): DemoConclusion {
  return {
    agencyId: 'hanoi-snv',
    illustrative: true,
    body: {
      documentNumber: `DEMO-${String(index + 1).padStart(2, '0')}/KL-SNV`,
      issuedOn: target.issuedOn,
      kind: 'specialized',
      inspectedUnits: [target.code],
      topics: ['personnel_management'],
      title: {
        vi: `Thanh tra chuyên ngành toàn diện về quản lý, sử dụng công chức, viên chức tại ${target.vi}`,
        en: `Comprehensive specialized inspection of the management of civil servants in ${target.en}`,
      },
      summary: {
        vi: `Sở Nội vụ thanh tra chuyên ngành toàn diện việc tổ chức thực hiện các quy định pháp luật về quản lý, sử dụng công chức, viên chức, công chức cấp xã, lao động hợp đồng tại ${target.vi}, theo Kế hoạch thanh tra năm 2024 của UBND thành phố; cuộc thanh tra trực tiếp đã kết thúc. ${DATE_NOTE_VI}`,
        en: `The Department of Home Affairs held a comprehensive specialized inspection of how ${target.en} applies the law on managing and employing civil servants, public employees, commune civil servants and contract staff, under the city's 2024 inspection plan; the on-site inspection has ended. ${DATE_NOTE_EN}`,
      },
      sources: [SOURCE_HANOI_INSPECTIONS_2024],
    },
  };
}

/** The one inspection on the direction of the Party Committee of the City People's Committee (illustrative date). */
const HANOI_DIRECTED: DemoConclusion = {
  agencyId: 'hanoi-dktcv',
  illustrative: true,
  body: {
    documentNumber: 'DEMO-26/KL-ĐKTCV',
    issuedOn: '2024-12-17',
    kind: 'directed',
    // The Department of Planning and Investment, Natural Resources and Environment, Finance (city level), and the
    // People's Committees of Tây Hồ and Bắc Từ Liêm.
    inspectedUnits: ['01', '003', '021'],
    topics: ['personnel_management', 'other'],
    legalBasis: HANOI_BASIS,
    title: {
      vi: 'Kiểm tra công vụ đối với Sở Kế hoạch và Đầu tư và các đơn vị liên quan (Khu đô thị Nam Thăng Long)',
      en: 'Public-service inspection of the Department of Planning and Investment and related units (Nam Thăng Long urban area)',
    },
    summary: {
      vi: `Kiểm tra theo chỉ đạo của Ban Cán sự đảng UBND thành phố đối với Sở Kế hoạch và Đầu tư và các đơn vị liên quan (Sở Tài nguyên và Môi trường, Sở Tài chính, UBND quận Tây Hồ, UBND quận Bắc Từ Liêm) về việc tham mưu, tham gia ý kiến thẩm định hồ sơ đề nghị điều chỉnh dự án đầu tư Khu đô thị Nam Thăng Long và một số nội dung về chức năng, nhiệm vụ, tổ chức bộ máy, bố trí cán bộ, lãnh đạo, chỉ đạo, quản lý, điều hành của Sở. ${DATE_NOTE_VI}`,
      en: `Inspection on the direction of the Party Committee of the City People's Committee of the Department of Planning and Investment and related units (Natural Resources and Environment, Finance, the People's Committees of Tây Hồ and Bắc Từ Liêm): advice and opinions on the appraisal of the request to adjust the Nam Thăng Long urban-area investment project, and the department's functions, organization, staffing and management. ${DATE_NOTE_EN}`,
    },
    sources: [SOURCE_HANOI_INSPECTIONS_2024],
  },
};

/** Every demo conclusion, in the order they are published. */
export const DEMO_CONCLUSIONS: readonly DemoConclusion[] = [
  ...[...HANOI_WARDS, ...HANOI_OFFICES].map(hanoiSurprise),
  HANOI_DIRECTED,
  ...HANOI_SPECIALIZED.map(hanoiSpecialized),
  // Quảng Ninh, 2025-02-03 (the first working day after Tết): the two wards were inspected; the source reports
  // its finding (all staff present, working well) of the two service-centre branches only.
  ...(
    [
      [
        '06685',
        'UBND phường Trần Hưng Đạo (TP Hạ Long)',
        'Trần Hưng Đạo ward People’s Committee (Hạ Long city)',
        false,
      ],
      ['07150', 'UBND phường Cộng Hòa (thị xã Quảng Yên)', 'Cộng Hòa ward People’s Committee (Quảng Yên town)', false],
      [
        '193',
        'Chi nhánh Trung tâm Phục vụ hành chính công TP Hạ Long',
        'Hạ Long City Public Administration Service Center branch',
        true,
      ],
      [
        '206',
        'Chi nhánh Trung tâm Phục vụ hành chính công thị xã Quảng Yên',
        'Quảng Yên Town Public Administration Service Center branch',
        true,
      ],
    ] as const
  ).map(([code, vi, en, branch], index) => ({
    agencyId: 'quangninh-snv',
    body: {
      documentNumber: `DEMO-${String(index + 1).padStart(2, '0')}/KL-SNV`,
      issuedOn: '2025-02-03',
      kind: 'surprise',
      inspectedUnits: [code],
      topics: branch ? ['administrative_discipline', 'procedure_handling'] : ['administrative_discipline'],
      title: {
        vi: `Kiểm tra đột xuất ngày làm việc đầu tiên sau Tết tại ${vi}`,
        en: `Surprise inspection on the first working day after Tết: ${en}`,
      },
      summary: branch
        ? {
            vi: `Đoàn kiểm tra của Sở Nội vụ kiểm tra đột xuất ${vi}. 100% công chức làm việc tại chi nhánh có mặt tại vị trí làm việc, thực hiện tốt việc đón tiếp, hướng dẫn, tiếp nhận, thẩm định hồ sơ và giải quyết thủ tục hành chính; tinh thần làm việc nghiêm túc.`,
            en: `The Department of Home Affairs inspected ${en} without notice. All staff of the branch were at their posts, welcoming, guiding, receiving and appraising dossiers and resolving procedures well; the work was serious.`,
          }
        : {
            vi: `Đoàn kiểm tra của Sở Nội vụ kiểm tra đột xuất việc chấp hành kỷ luật, kỷ cương trong thực thi công vụ tại ${vi}. Nguồn không nêu kết quả kiểm tra tại phường.`,
            en: `The Department of Home Affairs inspected discipline in the performance of public duties at ${en} without notice. The source does not give the result at the ward.`,
          },
      sources: [SOURCE_QUANG_NINH_2024],
    },
  })),
];

export interface DemoReport {
  readonly agencyId: string;
  readonly body: Record<string, unknown>;
}

/**
 * Monthly procedure-handling reports: none. The seed documents give totals of a half-year or a year, not of a
 * month; they are summary reports (summaries.ts), as stated, never spread over months or filed as one.
 */
export const DEMO_REPORTS: readonly DemoReport[] = [];
