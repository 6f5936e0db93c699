/** The example summary of CONTRACT.md ("A summary report"): Hanoi's totals of the year to 30 August 2024. */
export function exampleSummary(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    documentNumber: 'BC-24CT/2024',
    issuedOn: '2024-10-11',
    jurisdiction: '01',
    from: '2023-08-07',
    to: '2024-08-30',
    scope: { vi: 'UBND thành phố, các sở, ngành', en: "City People's Committee, departments and agencies" },
    inspections: { total: 911 },
    violations: { total: 873 },
    disciplined: { total: 368 },
    sources: [
      {
        title: 'Hà Nội: kỷ cương, kỷ luật, chất lượng phục vụ Nhân dân được nâng cao',
        publisher: 'Kinh tế & Đô thị',
        publishedOn: '2024-10-11',
        url: 'https://kinhtedothi.vn/ha-noi-ky-cuong-ky-luat-chat-luong-phuc-vu-nhan-dan-duoc-nang-cao.html',
      },
    ],
    ...overrides,
  };
}
