import type { Lang } from '../lang.js';

/**
 * Validation messages of the console in the page's language. The schemas speak English (the API's 422 answers
 * do too); in Vietnamese, a message the schemas are known to give is translated, any other is described from
 * its zod issue code, and a rule this table does not know yet is shown in English after a Vietnamese lead-in,
 * so nothing is hidden.
 */

/** The part of a zod issue (or an API 422 error) that the message is made from. */
export interface IssueLike {
  readonly code?: string;
  readonly message: string;
  readonly minimum?: number | bigint;
  readonly maximum?: number | bigint;
  readonly origin?: string;
  readonly expected?: string;
}

/** English messages of the shared schemas and their Vietnamese, with `(…)` groups carried over as $1, $2. */
const VIETNAMESE: readonly [RegExp, string][] = [
  [/^must not be empty$/, 'không được để trống'],
  [/^at most (\d+) characters$/, 'tối đa $1 ký tự'],
  [/^at most (\d+)$/, 'tối đa $1'],
  [/^at most (\d+) bytes$/, 'tối đa $1 byte'],
  [/^must not contain control characters.*$/, 'không được chứa ký tự điều khiển'],
  [/^a date written YYYY-MM-DD$/, 'ngày viết theo dạng YYYY-MM-DD (ví dụ 2024-05-20)'],
  [/^not a calendar date$/, 'không phải một ngày có thật'],
  [/^not before (\S+)$/, 'không được trước ngày $1'],
  [/^a GSO unit code of 2, 3 or 5 digits$/, 'mã đơn vị hành chính (mã GSO) gồm 2, 3 hoặc 5 chữ số'],
  [/^a whole number$/, 'phải là số nguyên'],
  [/^not negative$/, 'không được là số âm'],
  [/^name at least one unit$/, 'cần ít nhất một đơn vị được kiểm tra'],
  [/^name at least one topic$/, 'cần ít nhất một nội dung kiểm tra'],
  [/^must not be after today \((\S+)\)$/, 'không được sau ngày hôm nay ($1)'],
  [/^must not be after issuedOn$/, 'không được sau ngày ban hành'],
  [/^must not be before inspectedFrom$/, 'không được trước ngày bắt đầu kiểm tra'],
  [/^the unit is listed twice$/, 'đơn vị bị ghi hai lần'],
  [/^the topic is listed twice$/, 'nội dung bị ghi hai lần'],
  [/^each form is given once, with its counts$/, 'mỗi hình thức kỷ luật chỉ ghi một lần, kèm số lượng'],
  [
    /^each form is given once per track, stage, decision date and category, with its counts$/,
    'mỗi hình thức kỷ luật chỉ ghi một lần cho mỗi loại kỷ luật, giai đoạn, ngày quyết định và đối tượng, kèm số lượng',
  ],
  [
    /^(\d+) organizations disciplined \(([^)]*)\) exceed the (\d+) violating .*$/,
    '$1 tổ chức bị kỷ luật ($2), nhiều hơn $3 tổ chức vi phạm',
  ],
  [
    /^(\d+) individuals disciplined \(([^)]*)\) exceed the (\d+) violating .*$/,
    '$1 cá nhân bị kỷ luật ($2), nhiều hơn $3 cá nhân vi phạm',
  ],
  [/^an http or https address$/, 'địa chỉ bắt đầu bằng http hoặc https'],
  [/^not one of inspectedUnits$/, 'không nằm trong các đơn vị được kiểm tra'],
  [/^a recommended discipline has no decision date yet .*$/, 'kỷ luật mới ở mức kiến nghị thì chưa có ngày quyết định'],
  [
    /^(\d+) disciplined organizations exceed the (\d+) violating .*$/,
    '$1 tổ chức bị kỷ luật, nhiều hơn $2 tổ chức vi phạm',
  ],
  [
    /^(\d+) disciplined individuals exceed the (\d+) violating .*$/,
    '$1 cá nhân bị kỷ luật, nhiều hơn $2 cá nhân vi phạm',
  ],
  [/^no unit with code (\S+) was in force on (\S+)$/, 'không có đơn vị hành chính mã $1 vào ngày $2'],
  [/^name where the figures were published$/, 'cần ít nhất một nguồn đã công bố số liệu'],
  [/^must not be before from$/, 'không được trước ngày bắt đầu'],
  [
    /^give at least one of .*$/,
    'cần ít nhất một nhóm số liệu (kiểm tra, vi phạm, kỷ luật, biện pháp, thủ tục, tiếp dân)',
  ],
  [/^give total, organizations or individuals$/, 'cần tổng số, số tổ chức hoặc số cá nhân'],
  [/^organizations and individuals add up to total$/, 'số tổ chức và số cá nhân phải cộng lại bằng tổng số'],
  [/^at most two decimals, as stated$/, 'tối đa hai chữ số thập phân, như nguồn ghi'],
  [/^(\d+) disciplined exceed the (\d+) violating .*$/, '$1 bị kỷ luật, nhiều hơn $2 vi phạm'],
  [
    /^the forms add up to (\d+), more than the (\d+) disciplined .*$/,
    'các hình thức cộng lại là $1, nhiều hơn $2 bị kỷ luật',
  ],
  [/^required$/, 'bắt buộc'],
];

/** The message of one issue in a language. */
export function issueMessage(issue: IssueLike, lang: Lang): string {
  // zod leaves the input out of its issues; its own message says when nothing was given.
  const missing = issue.code === 'invalid_type' && /received undefined$|^required$/.test(issue.message);
  if (lang === 'en') {
    if (missing) return 'required';
    if (issue.code === 'invalid_type' && issue.expected === 'number') return 'a number';
    if (issue.code === 'invalid_value') return 'choose one of the listed values';
    return issue.message;
  }
  if (missing) return 'bắt buộc';
  for (const [pattern, vietnamese] of VIETNAMESE) {
    if (pattern.test(issue.message)) return issue.message.replace(pattern, vietnamese);
  }
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'number' ? 'phải là một số' : 'sai kiểu dữ liệu';
    case 'invalid_value':
      return 'chọn một giá trị trong danh sách';
    case 'invalid_format':
      return 'sai định dạng';
    case 'too_small':
      return issue.origin === 'array'
        ? `cần ít nhất ${String(issue.minimum)} mục`
        : issue.origin === 'string'
          ? 'không được để trống'
          : `không được nhỏ hơn ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'array'
        ? `tối đa ${String(issue.maximum)} mục`
        : issue.origin === 'string'
          ? `tối đa ${String(issue.maximum)} ký tự`
          : `không được lớn hơn ${String(issue.maximum)}`;
    case 'unrecognized_keys':
      return 'có trường không được phép';
    default:
      return `không hợp lệ: ${issue.message}`;
  }
}
