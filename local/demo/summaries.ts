import type { DemoSource } from './sources.js';
import { SOURCE_DONG_DA_2024, SOURCE_HANOI_DIRECTIVE_24_YEAR_ONE, SOURCE_QUANG_NINH_2024 } from './sources.js';

/**
 * The demo summary reports: the totals the seed articles state, each exactly as stated, for the span of dates and
 * the scope the article gives, with its source. A total the article does not split stays unsplit; a share it
 * gives only as a percentage stays a percentage; a figure it does not give is absent. Document numbers are demo
 * numbers (`DEMO-…`): the articles do not print the reports' numbers. Published beside the counted figures of
 * their unit, never added into them.
 */

export interface DemoSummary {
  readonly agencyId: string;
  readonly body: Record<string, unknown> & { readonly sources: readonly DemoSource[] };
}

/** Hanoi, one year of Directive 24-CT/TU: 7 August 2023 (the directive) to 30 August 2024 (seed 001). */
const HANOI_YEAR_ONE = {
  issuedOn: '2024-10-11',
  jurisdiction: '01',
  from: '2023-08-07',
  to: '2024-08-30',
  title: {
    vi: 'Kết quả 1 năm thực hiện Chỉ thị số 24-CT/TU ngày 07/8/2023 của Ban Thường vụ Thành ủy Hà Nội',
    en: 'One year of Directive 24-CT/TU of 7 August 2023 of the Standing Committee of the Hanoi Party Committee',
  },
  sources: [SOURCE_HANOI_DIRECTIVE_24_YEAR_ONE],
} as const;

const hanoi = (number: number, body: Record<string, unknown>): DemoSummary => ({
  agencyId: 'hanoi-btctu',
  body: { documentNumber: `DEMO-${String(number).padStart(2, '0')}/BC-BTCTU`, ...HANOI_YEAR_ONE, ...body },
});

const HANOI: readonly DemoSummary[] = [
  hanoi(1, {
    scope: { vi: 'UBND thành phố, các sở, ngành', en: "City People's Committee, departments and agencies" },
    description: {
      vi: 'UBND thành phố, các sở, ngành đã tổ chức 911 cuộc kiểm tra công vụ, tập trung vào việc chấp hành kỷ luật hành chính, tiếp nhận và giải quyết thủ tục hành chính, trách nhiệm giải quyết công việc, văn bản của cán bộ, công chức.',
      en: "The City People's Committee, departments and agencies held 911 public-service inspections, on administrative discipline, the receipt and handling of administrative procedures, and officials' responsibility for handling work and documents.",
    },
    inspections: { total: 911 },
  }),
  hanoi(2, {
    scope: {
      vi: 'UBND cấp huyện, cấp xã, các cơ quan, đơn vị',
      en: "District and commune People's Committees, agencies and units",
    },
    description: {
      vi: 'UBND cấp huyện, cấp xã, các cơ quan, đơn vị đã tổ chức 1.352 cuộc thanh tra, kiểm tra, tự kiểm tra công vụ.',
      en: "District and commune People's Committees, agencies and units held 1,352 public-service inspections, checks and self-inspections.",
    },
    inspections: { total: 1352 },
  }),
  hanoi(3, {
    scope: {
      vi: 'Toàn thành phố, qua thanh tra, kiểm tra, kiểm toán công vụ',
      en: 'The whole city, through public-service inspections, checks and audits',
    },
    description: {
      vi: 'Qua thanh tra, kiểm tra, kiểm toán công vụ đã phát hiện 873 tổ chức, cá nhân vi phạm; xử lý kỷ luật 368 tổ chức, cá nhân. Nguồn không tách tổ chức và cá nhân.',
      en: 'Public-service inspections, checks and audits found 873 organizations and individuals in violation; 368 organizations and individuals were disciplined. The source does not split organizations from individuals.',
    },
    violations: { total: 873 },
    disciplined: { total: 368 },
  }),
  hanoi(4, {
    scope: { vi: 'Cấp huyện', en: 'District level' },
    description: {
      vi: 'Qua 675 cuộc thanh tra, kiểm tra công vụ tại 1.161 đơn vị ở cấp huyện, đã phát hiện 33 tổ chức, 60 cá nhân vi phạm sau thanh tra, giám sát, kiểm toán; xử lý kỷ luật 28 tổ chức, 55 cá nhân.',
      en: 'Through 675 public-service inspections of 1,161 units at district level, 33 organizations and 60 individuals were found in violation after inspection, supervision and audit; 28 organizations and 55 individuals were disciplined.',
    },
    inspections: { total: 675, units: 1161 },
    violations: { organizations: 33, individuals: 60 },
    disciplined: { organizations: 28, individuals: 55 },
  }),
  hanoi(5, {
    scope: {
      vi: 'Cấp ủy, chính quyền, cơ quan, đơn vị từ thành phố đến cơ sở',
      en: 'Party committees, authorities, agencies and units from the city to the grassroots',
    },
    description: {
      vi: 'Các cấp ủy, chính quyền, cơ quan, đơn vị từ thành phố đến cơ sở đã luân chuyển, điều động, chuyển đổi vị trí công tác và xử lý kỷ luật 2.268 cán bộ theo Chỉ thị 24-CT/TU. Nguồn không tách luân chuyển, điều động với kỷ luật.',
      en: 'Party committees, authorities, agencies and units from the city to the grassroots rotated, transferred, moved or disciplined 2,268 cadres under Directive 24-CT/TU. The source does not split rotations and transfers from discipline.',
    },
    measures: { transfersOrDiscipline: { individuals: 2268 } },
  }),
  hanoi(6, {
    scope: {
      vi: 'Toàn thành phố, thủ tục hành chính trên tất cả các lĩnh vực',
      en: 'The whole city, administrative procedures in every field',
    },
    description: {
      vi: 'Từ ngày 07/8/2023 đến ngày 30/8/2024, toàn thành phố tiếp nhận, giải quyết tổng số 3.417.296 hồ sơ thủ tục hành chính; số hồ sơ giải quyết quá hạn là 9.618 (0,28%).',
      en: 'From 7 August 2023 to 30 August 2024 the city received and handled 3,417,296 administrative-procedure dossiers; 9,618 were resolved late (0.28%).',
    },
    procedures: { handled: 3_417_296, resolvedLate: 9618, latePercent: 0.28 },
  }),
];

const DONG_DA: readonly DemoSummary[] = [
  {
    agencyId: 'dongda-ubkt',
    body: {
      documentNumber: 'DEMO-01/BC-UBKTQU',
      // The article gives the half-year, not the date of the report: the issue date is the day after it ended.
      issuedOn: '2024-07-01',
      jurisdiction: '006',
      from: '2024-01-01',
      to: '2024-06-30',
      scope: {
        vi: 'Cấp ủy và Ủy ban Kiểm tra các cấp trong Đảng bộ quận Đống Đa',
        en: 'Party committees and Inspection Commissions at all levels of the Đống Đa district Party organization',
      },
      title: {
        vi: 'Thi hành kỷ luật đảng viên 6 tháng đầu năm 2024, Đảng bộ quận Đống Đa',
        en: 'Party discipline in Đống Đa district, first half of 2024',
      },
      description: {
        vi: '6 tháng đầu năm 2024, cấp ủy và Ủy ban Kiểm tra các cấp đã thi hành kỷ luật 15 đảng viên: cảnh cáo 2, khiển trách 12, khai trừ 1. Đây là kỷ luật Đảng, không phải kỷ luật hành chính, và không phải kết quả của một cuộc kiểm tra công vụ.',
        en: 'In the first half of 2024, Party committees and Inspection Commissions at all levels disciplined 15 Party members: 2 warnings, 12 reprimands and 1 expulsion. This is Party discipline, not state discipline, and not the result of a public-service inspection.',
      },
      disciplined: {
        individuals: 15,
        track: 'party',
        stage: 'decided',
        byForm: { warning: { individuals: 2 }, reprimand: { individuals: 12 }, expulsion: { individuals: 1 } },
      },
      sources: [SOURCE_DONG_DA_2024],
    },
  },
  {
    agencyId: 'dongda-ubnd',
    body: {
      documentNumber: 'DEMO-01/BC-UBND',
      issuedOn: '2024-07-01',
      jurisdiction: '006',
      from: '2024-01-01',
      to: '2024-06-30',
      scope: { vi: 'Cấp quận và cấp phường, quận Đống Đa', en: 'District and ward level, Đống Đa district' },
      description: {
        vi: 'Đã tiếp 517/517 lượt công dân (cấp quận 345/345, cấp phường 172/172); giải quyết 487/485 đơn thư. Nguồn ghi "487/485" (số đã giải quyết lớn hơn số nhận, có thể gồm đơn kỳ trước) và đặt các số liệu này trong phần kết quả 6 tháng đầu năm 2024 mà không nêu rõ kỳ.',
        en: 'Received 517/517 citizens (345/345 at district level, 172/172 at ward level); resolved 487/485 petitions. The source prints "487/485" (more resolved than received, perhaps including earlier letters) and gives these figures among the results of the first half of 2024 without naming their period.',
      },
      reception: { citizensReceived: 517, petitionsReceived: 485, petitionsResolved: 487 },
      sources: [SOURCE_DONG_DA_2024],
    },
  },
];

/** Quảng Ninh, the year 2024, as the province's figures published on 17/02/2025 (seed 004). */
const QUANG_NINH_2024 = {
  issuedOn: '2025-02-17',
  jurisdiction: '22',
  from: '2024-01-01',
  to: '2024-12-31',
  sources: [SOURCE_QUANG_NINH_2024],
} as const;

const QUANG_NINH: readonly DemoSummary[] = [
  {
    agencyId: 'quangninh-snv',
    body: {
      documentNumber: 'DEMO-01/BC-SNV',
      ...QUANG_NINH_2024,
      scope: { vi: 'Các sở, ban, ngành và địa phương', en: 'Departments, agencies and localities' },
      description: {
        vi: 'Năm 2024, các sở, ban, ngành, địa phương đã thực hiện 48 cuộc thanh tra, kiểm tra trách nhiệm, trong đó có thanh tra chuyên ngành việc thực thi công vụ của công chức đối với 8 sở, ngành và 2 địa phương; đến hết năm 2024 đã ban hành kết luận 39 cuộc; qua đó kiến nghị kiểm điểm, rút kinh nghiệm trách nhiệm đối với 11 tập thể.',
        en: 'In 2024 departments, agencies and localities held 48 responsibility inspections and checks, among them specialized inspections of civil servants’ performance of duties in 8 departments and 2 localities; by the end of 2024, conclusions of 39 had been issued; they recommended responsibility reviews of 11 groups.',
      },
      inspections: { total: 48, conclusions: 39 },
      measures: { responsibilityReviews: { organizations: 11 } },
    },
  },
  {
    agencyId: 'quangninh-snv',
    body: {
      documentNumber: 'DEMO-02/BC-SNV',
      ...QUANG_NINH_2024,
      scope: {
        vi: 'Cơ quan hành chính nhà nước các cấp trên địa bàn tỉnh',
        en: 'State administrative agencies at all levels in the province',
      },
      description: {
        vi: 'Năm 2024, cơ quan hành chính nhà nước các cấp đã tiếp 6.647 lượt công dân với 3.923 vụ việc; tổng số đơn khiếu nại, tố cáo, kiến nghị, phản ánh tiếp nhận, xử lý là 9.335; đã giải quyết 392/459 vụ việc khiếu nại, 11/13 vụ việc tố cáo thuộc thẩm quyền (kể cả vụ việc chuyển kỳ).',
        en: 'In 2024 state administrative agencies at all levels received 6,647 citizens with 3,923 cases; 9,335 complaints, denunciations, recommendations and reflections were received and processed; 392 of 459 complaint cases and 11 of 13 denunciation cases under their jurisdiction were resolved (including cases carried over).',
      },
      reception: {
        citizensReceived: 6647,
        cases: 3923,
        petitionsReceived: 9335,
        complaintsUnderJurisdiction: 459,
        complaintsResolved: 392,
        denunciationsUnderJurisdiction: 13,
        denunciationsResolved: 11,
      },
    },
  },
  {
    agencyId: 'quangninh-snv',
    body: {
      documentNumber: 'DEMO-03/BC-SNV',
      ...QUANG_NINH_2024,
      scope: {
        vi: 'Thủ tục hành chính, 3 cấp chính quyền',
        en: 'Administrative procedures, three levels of government',
      },
      description: {
        vi: 'Năm 2024, cấp tỉnh tiếp nhận 149.280 hồ sơ, tỷ lệ giải quyết đúng hạn và trước hạn đạt 99,8%; cấp huyện 600.698 hồ sơ, 99,8%; cấp xã 185.606 hồ sơ, 99,9%.',
        en: 'In 2024 the provincial level received 149,280 dossiers, 99.8% resolved on time or early; the district level 600,698, 99.8%; the commune level 185,606, 99.9%.',
      },
      procedures: {
        byLevel: {
          province: { received: 149_280, onTimePercent: 99.8 },
          district: { received: 600_698, onTimePercent: 99.8 },
          commune: { received: 185_606, onTimePercent: 99.9 },
        },
      },
    },
  },
];

/** Every demo summary, in the order they are published. */
export const DEMO_SUMMARIES: readonly DemoSummary[] = [...HANOI, ...DONG_DA, ...QUANG_NINH];
