/**
 * Where the demo dataset comes from: the seed articles (../shared/seeds), each with the address it gives. Every
 * demo record names its source, so anyone can check a figure against what was published. Titles are the
 * articles' own (Vietnamese, from their addresses); a date the article does not carry is left out.
 */

export interface DemoSource {
  readonly title: string;
  readonly publisher: string;
  readonly publishedOn?: string;
  readonly url: string;
}

/** Hanoi's 2024 public-service inspections: the 25 surprise inspections, the directed one, the Department of
 * Home Affairs' specialized inspections (seeds 000 and 002, the same article in English and Vietnamese). */
export const SOURCE_HANOI_INSPECTIONS_2024: DemoSource = {
  title: 'Hà Nội siết chặt kỷ luật, kỷ cương thông qua tăng cường kiểm tra công vụ',
  publisher: 'Kinh tế & Đô thị',
  url: 'https://kinhtedothi.vn/ha-noi-siet-chat-ky-luat-ky-cuong-thong-qua-tang-cuong-kiem-tra-cong-vu.html',
};

/** One year of Directive 24-CT/TU in Hanoi, 7/8/2023–30/8/2024: the city's totals (seed 001). */
export const SOURCE_HANOI_DIRECTIVE_24_YEAR_ONE: DemoSource = {
  title: 'Hà Nội: kỷ cương, kỷ luật, chất lượng phục vụ Nhân dân được nâng cao',
  publisher: 'Kinh tế & Đô thị',
  publishedOn: '2024-10-11',
  url: 'https://kinhtedothi.vn/ha-noi-ky-cuong-ky-luat-chat-luong-phuc-vu-nhan-dan-duoc-nang-cao.html',
};

/** Đống Đa district, first half of 2024: Party discipline, citizen reception (seed 003). */
export const SOURCE_DONG_DA_2024: DemoSource = {
  title: 'Quận Đống Đa siết chặt kỷ cương, kỷ luật trong thực hiện các nhiệm vụ',
  publisher: 'Kinh tế & Đô thị',
  url: 'https://kinhtedothi.vn/quan-dong-da-siet-chat-ky-cuong-ky-luat-trong-thuc-hien-cac-nhiem-vu.html',
};

/**
 * Quảng Ninh, 2024 and the first working day of 2025 (seed 004, Vietnam.vn, 17/02/2025). The seed ends with
 * "Source" and no address; this is the article's address on Vietnam.vn (its English edition).
 */
export const SOURCE_QUANG_NINH_2024: DemoSource = {
  title: 'Thực thi đạo đức công vụ trong đội ngũ công chức, viên chức',
  publisher: 'Vietnam.vn',
  publishedOn: '2025-02-17',
  url: 'https://www.vietnam.vn/en/thuc-thi-dao-duc-cong-vu-trong-doi-ngu-cong-chuc-vien-chuc',
};
