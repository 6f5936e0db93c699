import {
  DISCIPLINE_FORM_LABELS,
  DISCIPLINE_STAGE_LABELS,
  DISCIPLINE_TRACK_LABELS,
  INSPECTION_KIND_LABELS,
  type Label,
  OTHER_MEASURE_LABELS,
  PERSON_CATEGORY_LABELS,
  TOPIC_LABELS,
  VIOLATION_CATEGORY_LABELS,
} from '../../../shared/vocabulary.js';
import type { Lang } from '../lib/lang.js';

/**
 * The agency console's strings (/dang-tai/, /en/upload/). Apart from vi.ts/en.ts because the console is the one
 * page whose script needs its strings in the browser: its bundle carries these, not the whole site's. Both
 * languages side by side, so a string cannot be missing from one of them.
 *
 * Entries of the same shape (`{ vi, en }` under a dotted key) are the dictionary, not repeated logic: one wording
 * per key and language, as vi.ts and en.ts hold the site's.
 */

const STRINGS = {
  title: { vi: 'Đăng tải kết luận, báo cáo', en: 'Publish conclusions and reports' },
  intro: {
    vi: 'Trang dành cho cơ quan có thẩm quyền: công bố, đính chính và thu hồi kết luận kiểm tra công vụ và báo cáo tổng hợp. Mỗi yêu cầu được ký ngay trên trình duyệt bằng khóa bí mật của cơ quan; khóa không bao giờ được gửi đi.',
    en: 'For the competent agencies: publish, correct and retract public-service inspection conclusions and summary reports. Each request is signed in this browser with the agency’s private key; the key is never sent anywhere.',
  },
  noscript: {
    vi: 'Trang này cần JavaScript để ký yêu cầu bằng khóa của cơ quan ngay trên máy. Bạn cũng có thể dùng công cụ dòng lệnh (xem hướng dẫn công bố dữ liệu).',
    en: 'This page needs JavaScript to sign requests with the agency’s key on this computer. The command-line tool does the same (see the publishing guide).',
  },
  unsupported: {
    vi: 'Trình duyệt này không hỗ trợ chữ ký Ed25519 (WebCrypto), nên không thể ký yêu cầu. Hãy dùng phiên bản mới của Chromium, Chrome, Edge hoặc Firefox, hoặc công cụ dòng lệnh.',
    en: 'This browser does not support Ed25519 signatures (WebCrypto), so it cannot sign requests. Use a current Chromium, Chrome, Edge or Firefox, or the command-line tool.',
  },
  'key.heading': { vi: '1. Cơ quan và khóa ký', en: '1. Agency and signing key' },
  'key.agency': { vi: 'Mã cơ quan', en: 'Agency id' },
  'key.agencyHint': {
    vi: 'Mã do quản trị viên cấp khi đăng ký cơ quan, ví dụ hanoi-dktcv.',
    en: 'The id the administrator gave when registering the agency, e.g. hanoi-dktcv.',
  },
  'key.file': { vi: 'Tệp khóa bí mật (PKCS#8 PEM)', en: 'Private key file (PKCS#8 PEM)' },
  'key.fileHint': {
    vi: 'Tệp bắt đầu bằng “-----BEGIN PRIVATE KEY-----”. Tệp chỉ được đọc trên máy này.',
    en: 'The file starts with “-----BEGIN PRIVATE KEY-----”. It is read on this computer only.',
  },
  'key.remember': {
    vi: 'Ghi nhớ khóa trên máy này (lưu trong trình duyệt, không thể đọc lại nội dung khóa)',
    en: 'Remember the key on this computer (kept by the browser; its content cannot be read back)',
  },
  'key.use': { vi: 'Dùng khóa này', en: 'Use this key' },
  'key.forget': { vi: 'Quên khóa này', en: 'Forget this key' },
  'key.none': { vi: 'Chưa chọn khóa.', en: 'No key chosen yet.' },
  'key.ready': {
    vi: 'Khóa sẵn sàng cho cơ quan {agency} (mã khóa {kid}){stored}.',
    en: 'Key ready for agency {agency} (key id {kid}){stored}.',
  },
  'key.stored': { vi: ', đã ghi nhớ trên máy này', en: ', remembered on this computer' },
  'key.forgotten': { vi: 'Đã xóa khóa khỏi trình duyệt này.', en: 'The key was removed from this browser.' },
  'key.bad': {
    vi: 'Không đọc được khóa: cần khóa bí mật Ed25519 dạng PKCS#8 PEM.',
    en: 'The key could not be read: an Ed25519 private key in PKCS#8 PEM is needed.',
  },
  'key.needAgency': { vi: 'Nhập mã cơ quan.', en: 'Enter the agency id.' },
  'key.needFile': { vi: 'Chọn tệp khóa.', en: 'Choose the key file.' },
  'key.missing': {
    vi: 'Chưa có khóa: chọn cơ quan và tệp khóa ở mục 1 trước khi gửi.',
    en: 'No key yet: choose the agency and the key file in step 1 before sending.',
  },
  'open.heading': {
    vi: '2. Mở một văn bản đã công bố (đính chính, thu hồi)',
    en: '2. Open a published record (correct, retract)',
  },
  'open.id': { vi: 'Mã văn bản (loại văn bản chọn ở mục 3)', en: 'Record id (of the kind chosen in step 3)' },
  'open.button': { vi: 'Mở để đính chính', en: 'Open to correct' },
  'open.list': { vi: 'Kết luận của cơ quan đã công bố', en: 'The agency’s published conclusions' },
  'open.listEmpty': {
    vi: 'Chưa có kết luận nào của cơ quan trong dữ liệu mở.',
    en: 'No conclusion of this agency in the open data yet.',
  },
  'open.loaded': {
    vi: 'Đang đính chính {id}, phiên bản {version}. Sửa các trường bên dưới rồi gửi.',
    en: 'Correcting {id}, version {version}. Edit the fields below, then send.',
  },
  'open.notFound': { vi: 'Không tìm thấy {id}.', en: '{id} was not found.' },
  'open.new': { vi: 'Soạn văn bản mới', en: 'Write a new record' },
  'form.heading': { vi: '3. Nội dung', en: '3. The record' },
  'type.legend': { vi: 'Loại văn bản', en: 'Kind of record' },
  'type.conclusions': { vi: 'Kết luận kiểm tra', en: 'Inspection conclusion' },
  'type.summaries': {
    vi: 'Báo cáo tổng hợp (số liệu của một giai đoạn, như nguồn công bố)',
    en: 'Summary report (the figures of a period, as stated)',
  },
  'form.unitLink': { vi: 'Xem trang của địa bàn', en: 'See the page of the jurisdiction' },
  'form.headingCorrect': { vi: '3. Đính chính {id}', en: '3. Correct {id}' },
  'form.required': { vi: '(bắt buộc)', en: '(required)' },
  'form.optional': { vi: '(không bắt buộc)', en: '(optional)' },
  'form.codesHint': {
    vi: 'Mã đơn vị hành chính (mã GSO), cách nhau bằng dấu phẩy, ví dụ 00304, 00307.',
    en: 'Administrative unit codes (GSO), separated by commas, e.g. 00304, 00307.',
  },
  'form.linesHint': { vi: 'Mỗi dòng một mục.', en: 'One item a line.' },
  'form.dateHint': { vi: 'Dạng YYYY-MM-DD, ví dụ 2024-05-20.', en: 'Written YYYY-MM-DD, e.g. 2024-05-20.' },
  'form.choose': { vi: '— chọn —', en: '— choose —' },
  'form.addRow': { vi: 'Thêm dòng: {label}', en: 'Add a row: {label}' },
  'form.removeRow': { vi: 'Xóa dòng {n}: {label}', en: 'Remove row {n}: {label}' },
  'form.row': { vi: '{label} — dòng {n}', en: '{label} — row {n}' },
  'form.unitSearch': { vi: 'Tìm đơn vị theo tên hoặc mã', en: 'Find a unit by name or code' },
  'form.unitSearchHint': {
    vi: 'Gõ có dấu hoặc không dấu, ví dụ “dong da”, rồi chọn “Thêm”.',
    en: 'With or without diacritics, e.g. “dong da”, then choose “Add”.',
  },
  'form.unitSearchButton': { vi: 'Tìm', en: 'Find' },
  'form.unitAdd': { vi: 'Thêm {code} — {name}', en: 'Add {code} — {name}' },
  'form.unitResults': { vi: '{n} đơn vị phù hợp.', en: '{n} matching units.' },
  'form.unitUnknown': { vi: 'không có trong danh mục', en: 'not in the registry' },
  'form.unitsChosen': { vi: 'Đơn vị đã chọn', en: 'Units chosen' },
  'form.attachment': { vi: 'Bản PDF của kết luận đã ký', en: 'The signed PDF of the conclusion' },
  'form.attachmentHint': {
    vi: 'Không bắt buộc. Mã băm SHA-256 được tính trên máy này và công bố cùng kết luận.',
    en: 'Optional. Its SHA-256 is computed on this computer and published with the conclusion.',
  },
  'form.attachmentHash': { vi: 'SHA-256: {hash} ({bytes} byte)', en: 'SHA-256: {hash} ({bytes} bytes)' },
  'form.attachmentNotPdf': { vi: 'tệp không phải PDF', en: 'the file is not a PDF' },
  'form.reason': { vi: 'Lý do đính chính', en: 'Why it is corrected' },
  'form.submit': { vi: 'Ký và công bố', en: 'Sign and publish' },
  'form.submitCorrect': { vi: 'Ký và gửi đính chính', en: 'Sign and send the correction' },
  'form.errors': { vi: 'Có {n} lỗi cần sửa trước khi gửi', en: '{n} problems to fix before sending' },
  'form.sending': { vi: 'Đang ký và gửi…', en: 'Signing and sending…' },
  'form.published': {
    vi: 'Đã công bố: {id}, phiên bản {version}.',
    en: 'Published: {id}, version {version}.',
  },
  'form.unchanged': {
    vi: 'Văn bản này đã được công bố trước đó với đúng nội dung này: {id}, phiên bản {version}.',
    en: 'This record was already published with this content: {id}, version {version}.',
  },
  'form.recordLink': { vi: 'Xem kết luận đã công bố', en: 'See the published conclusion' },
  'form.recordNote': {
    vi: 'Trang kết luận xuất hiện sau khi trang web được dựng lại (khoảng một phút); bản ghi trong API có ngay.',
    en: 'The conclusion’s page appears once the site is rebuilt (about a minute); the API record is there at once.',
  },
  'form.apiLink': { vi: 'Bản ghi trong API (JSON)', en: 'The API record (JSON)' },
  'form.attached': { vi: 'Đã đính kèm bản PDF (SHA-256 {hash}).', en: 'The PDF is attached (SHA-256 {hash}).' },
  'form.attachFailed': { vi: 'Chưa đính kèm được bản PDF: {detail}', en: 'The PDF could not be attached: {detail}' },
  'form.attachElsewhere': {
    vi: 'Mã băm của bản PDF (SHA-256 {hash}) đã được công bố, nhưng tệp phải được tải lên bằng công cụ dòng lệnh: npm run publish -- --attach.',
    en: 'The PDF’s hash (SHA-256 {hash}) is published, but the file must be uploaded with the command-line tool: npm run publish -- --attach.',
  },
  'form.refused': { vi: 'Máy chủ từ chối ({status}): {detail}', en: 'Refused ({status}): {detail}' },
  'form.unreachable': { vi: 'Không kết nối được máy chủ: {detail}', en: 'The server could not be reached: {detail}' },
  'form.conflict': {
    vi: 'Văn bản đã được thay đổi trong lúc bạn sửa (nay là phiên bản {version}). Những gì đã thay đổi:',
    en: 'The record changed while you were editing (it is now version {version}). What changed:',
  },
  'form.conflictField': { vi: 'Trường', en: 'Field' },
  'form.conflictBefore': { vi: 'Khi bạn mở', en: 'When you opened it' },
  'form.conflictAfter': { vi: 'Hiện nay', en: 'Now' },
  'form.conflictReload': {
    vi: 'Nội dung của bạn vẫn giữ nguyên trong biểu mẫu; bấm gửi lại để đính chính trên phiên bản {version}.',
    en: 'Your edits are kept in the form; send again to correct version {version}.',
  },
  'retract.heading': { vi: 'Thu hồi {id}', en: 'Retract {id}' },
  'retract.reason': { vi: 'Lý do thu hồi', en: 'Why it is retracted' },
  'retract.button': { vi: 'Ký và thu hồi', en: 'Sign and retract' },
  'retract.done': { vi: 'Đã thu hồi: {id}, phiên bản {version}.', en: 'Retracted: {id}, version {version}.' },
  'bulk.heading': { vi: '4. Tải lên hàng loạt (CSV)', en: '4. Bulk upload (CSV)' },
  'bulk.intro': {
    vi: 'Mỗi dòng của tệp CSV là một văn bản (theo loại văn bản chọn ở mục 3), mỗi cột là một trường (tên cột là đường dẫn JSON, như trong biểu mẫu). Các dòng được kiểm tra trước, rồi gửi lần lượt; nếu bị gián đoạn, chọn lại đúng tệp đó để gửi tiếp các dòng chưa xong.',
    en: 'Each row of the CSV file is a record (of the kind chosen in step 3), each column a field (columns are named by their JSON paths, as in the form). Rows are checked first, then sent one by one; if interrupted, choose the same file again to send the rows not yet done.',
  },
  'bulk.template': { vi: 'Tải mẫu CSV của loại văn bản này', en: 'Download the CSV template of this kind' },
  'bulk.file': { vi: 'Tệp CSV', en: 'CSV file' },
  'bulk.send': { vi: 'Kiểm tra và gửi', en: 'Check and send' },
  'bulk.progress': { vi: 'Tiến độ', en: 'Progress' },
  'bulk.status': {
    vi: '{done}/{total} dòng: {created} công bố mới, {unchanged} đã có, {skipped} đã xong từ lần trước, {failed} không được nhận.',
    en: '{done}/{total} rows: {created} published, {unchanged} already there, {skipped} done before, {failed} not accepted.',
  },
  'bulk.report': { vi: 'Các dòng không được nhận', en: 'Rows not accepted' },
  'bulk.row': { vi: 'Dòng', en: 'Row' },
  'bulk.field': { vi: 'Trường', en: 'Field' },
  'bulk.reason': { vi: 'Lý do', en: 'Reason' },
  'bulk.empty': { vi: 'Tệp không có dòng dữ liệu nào.', en: 'The file has no data rows.' },
  'bulk.unknownColumn': { vi: 'cột không có trong mẫu', en: 'a column the template does not have' },
  'bulk.forget': { vi: 'Xóa kết quả đã lưu của tệp này', en: 'Clear the saved results of this file' },
  'keygen.heading': { vi: '5. Tạo cặp khóa mới', en: '5. Make a new key pair' },
  'keygen.intro': {
    vi: 'Tạo khóa ngay trên máy này: tải khóa bí mật về và cất giữ cẩn thận, rồi gửi khóa công khai và mã khóa cho quản trị viên để đăng ký.',
    en: 'Make the key on this computer: download the private key and keep it safe, then hand the public key and its id to the administrator to register.',
  },
  'keygen.button': { vi: 'Tạo cặp khóa', en: 'Make a key pair' },
  'keygen.download': { vi: 'Tải khóa bí mật (PKCS#8 PEM)', en: 'Download the private key (PKCS#8 PEM)' },
  'keygen.public': { vi: 'Khóa công khai (SPKI PEM)', en: 'Public key (SPKI PEM)' },
  'keygen.thumbprint': { vi: 'Mã khóa (RFC 7638)', en: 'Key id (RFC 7638 thumbprint)' },
  'keygen.command': { vi: 'Lệnh của quản trị viên', en: 'The administrator’s command' },
  'keygen.warning': {
    vi: 'Khóa bí mật chỉ có trong tệp vừa tải: không ai, kể cả quản trị viên, có thể tạo lại nó.',
    en: 'The private key exists only in the file just downloaded: nobody, not even the administrator, can make it again.',
  },
  'field.vi': { vi: 'tiếng Việt', en: 'in Vietnamese' },
  'field.en': { vi: 'tiếng Anh', en: 'in English' },
} as const satisfies Record<string, Label>;

export type ConsoleKey = keyof typeof STRINGS;

/** The console's translator: `t('form.published', { id, version })`. */
export function consoleText(lang: Lang) {
  return (key: ConsoleKey, params?: Readonly<Record<string, string | number>>): string =>
    STRINGS[key][lang].replace(/\{(\w+)\}/g, (match, name: string) =>
      params?.[name] === undefined ? match : String(params[name]),
    );
}

/**
 * Labels of the fields, keyed by generic path (`discipline.[].form`). A field the schemas gain before it is
 * named here shows its JSON key, so it is never hidden.
 */
const FIELD_LABELS: Readonly<Record<string, Label>> = {
  documentNumber: { vi: 'Số hiệu văn bản', en: 'Document number' },
  issuedOn: { vi: 'Ngày ban hành', en: 'Issued on' },
  kind: { vi: 'Loại kiểm tra', en: 'Kind of inspection' },
  inspectedUnits: { vi: 'Đơn vị được kiểm tra', en: 'Inspected units' },
  topics: { vi: 'Nội dung kiểm tra', en: 'Topics' },
  legalBasis: { vi: 'Căn cứ (chỉ thị, văn bản)', en: 'Legal basis (directives, laws)' },
  title: { vi: 'Tiêu đề', en: 'Title' },
  inspectionDecision: { vi: 'Số quyết định kiểm tra', en: 'Decision that set up the inspection' },
  inspectedFrom: { vi: 'Kiểm tra từ ngày', en: 'Inspected from' },
  inspectedTo: { vi: 'Kiểm tra đến ngày', en: 'Inspected to' },
  summary: { vi: 'Tóm tắt kết quả kiểm tra (không ghi tên cá nhân)', en: 'Summary of findings (no personal names)' },
  violations: { vi: 'Số vi phạm', en: 'Violations' },
  discipline: { vi: 'Xử lý kỷ luật', en: 'Discipline' },
  'discipline.[].form': { vi: 'Hình thức kỷ luật', en: 'Disciplinary form' },
  'discipline.[].track': { vi: 'Loại kỷ luật (chính quyền, Đảng)', en: 'Track (state, Party)' },
  'discipline.[].stage': { vi: 'Giai đoạn (đã quyết định, kiến nghị)', en: 'Stage (decided, recommended)' },
  'discipline.[].decidedOn': { vi: 'Ngày quyết định', en: 'Decided on' },
  'discipline.[].category': { vi: 'Đối tượng (cán bộ, công chức, viên chức…)', en: 'Who (cadres, civil servants…)' },
  'discipline.[].leader': { vi: 'Giữ chức vụ lãnh đạo, quản lý', en: 'Holding a leading or managing post' },
  'violations.byCategory': {
    vi: 'Theo loại vi phạm (không cộng thành tổng)',
    en: 'By kind of violation (not parts of a total)',
  },
  violatingUnits: { vi: 'Đơn vị có vi phạm', en: 'Units found in violation' },
  otherMeasures: { vi: 'Biện pháp khác', en: 'Other measures' },
  'otherMeasures.transfers': { vi: 'Điều chuyển, luân chuyển', en: 'Transfers' },
  'otherMeasures.responsibilityReviews': { vi: 'Kiểm điểm trách nhiệm', en: 'Responsibility reviews' },
  recommendations: { vi: 'Kiến nghị', en: 'Recommendations' },
  'recommendations.[].text': { vi: 'Nội dung kiến nghị', en: 'Recommendation' },
  'recommendations.[].status': { vi: 'Tình hình thực hiện', en: 'Status' },
  'recommendations.[].dueOn': { vi: 'Hạn thực hiện', en: 'Due on' },
  sources: { vi: 'Nguồn công khai', en: 'Public sources' },
  'sources.[].title': { vi: 'Tên bài, văn bản', en: 'Title' },
  'sources.[].publisher': { vi: 'Nơi đăng', en: 'Publisher' },
  'sources.[].publishedOn': { vi: 'Ngày đăng', en: 'Published on' },
  'sources.[].url': { vi: 'Địa chỉ (URL)', en: 'Address (URL)' },
  reason: { vi: 'Lý do', en: 'Reason' },
  jurisdiction: { vi: 'Địa bàn (mã đơn vị hành chính)', en: 'Jurisdiction (unit code)' },
  from: { vi: 'Từ ngày', en: 'From' },
  to: { vi: 'Đến ngày', en: 'To' },
  scope: { vi: 'Phạm vi (như nguồn ghi)', en: 'Scope (as the source states it)' },
  description: { vi: 'Mô tả', en: 'Description' },
  inspections: { vi: 'Kiểm tra', en: 'Inspections' },
  'inspections.units': { vi: 'Số đơn vị được kiểm tra', en: 'Units inspected' },
  'inspections.conclusions': { vi: 'Số kết luận đã ban hành', en: 'Conclusions issued' },
  disciplined: { vi: 'Bị xử lý kỷ luật', en: 'Disciplined' },
  track: { vi: 'Loại kỷ luật (chính quyền, Đảng)', en: 'Track (state, Party)' },
  stage: { vi: 'Giai đoạn (đã quyết định, kiến nghị)', en: 'Stage (decided, recommended)' },
  byForm: { vi: 'Theo hình thức kỷ luật', en: 'By disciplinary form' },
  measures: { vi: 'Biện pháp khác', en: 'Other measures' },
  transfersOrDiscipline: {
    vi: 'Điều chuyển hoặc kỷ luật (nguồn gộp chung)',
    en: 'Transfers or discipline (stated together)',
  },
  procedures: { vi: 'Giải quyết thủ tục hành chính', en: 'Administrative procedures' },
  received: { vi: 'Số hồ sơ tiếp nhận', en: 'Received' },
  resolved: { vi: 'Số hồ sơ đã giải quyết', en: 'Resolved' },
  handled: { vi: 'Số hồ sơ đã xử lý', en: 'Handled' },
  resolvedLate: { vi: 'Giải quyết quá hạn', en: 'Resolved late' },
  onTimePercent: { vi: 'Tỷ lệ đúng hạn (%)', en: 'On time (%)' },
  latePercent: { vi: 'Tỷ lệ quá hạn (%)', en: 'Late (%)' },
  byLevel: { vi: 'Theo cấp', en: 'By level' },
  province: { vi: 'Cấp tỉnh', en: 'Province level' },
  district: { vi: 'Cấp huyện', en: 'District level' },
  commune: { vi: 'Cấp xã', en: 'Commune level' },
  reception: { vi: 'Tiếp công dân, khiếu nại, tố cáo', en: 'Citizen reception, complaints, denunciations' },
  citizensReceived: { vi: 'Lượt công dân được tiếp', en: 'Citizens received' },
  cases: { vi: 'Số vụ việc', en: 'Cases' },
  petitionsReceived: { vi: 'Đơn thư tiếp nhận', en: 'Petitions received' },
  petitionsResolved: { vi: 'Đơn thư đã giải quyết', en: 'Petitions resolved' },
  complaintsUnderJurisdiction: { vi: 'Khiếu nại thuộc thẩm quyền', en: 'Complaints within jurisdiction' },
  complaintsResolved: { vi: 'Khiếu nại đã giải quyết', en: 'Complaints resolved' },
  denunciationsUnderJurisdiction: { vi: 'Tố cáo thuộc thẩm quyền', en: 'Denunciations within jurisdiction' },
  denunciationsResolved: { vi: 'Tố cáo đã giải quyết', en: 'Denunciations resolved' },
  organizations: { vi: 'Tổ chức', en: 'Organizations' },
  individuals: { vi: 'Cá nhân', en: 'Individuals' },
  total: { vi: 'Tổng số', en: 'Total' },
};

const STATUS_LABELS: Readonly<Record<string, Label>> = {
  open: { vi: 'Chưa thực hiện', en: 'Open' },
  in_progress: { vi: 'Đang thực hiện', en: 'In progress' },
  done: { vi: 'Đã thực hiện', en: 'Done' },
  overdue: { vi: 'Quá hạn', en: 'Overdue' },
};

/** Labels of the closed vocabularies, by value (the same value means the same thing wherever it appears). */
const OPTION_LABELS: Readonly<Record<string, Label>> = {
  ...TOPIC_LABELS,
  ...VIOLATION_CATEGORY_LABELS,
  ...OTHER_MEASURE_LABELS,
  ...PERSON_CATEGORY_LABELS,
  ...DISCIPLINE_STAGE_LABELS,
  ...DISCIPLINE_TRACK_LABELS,
  ...DISCIPLINE_FORM_LABELS,
  ...INSPECTION_KIND_LABELS,
  ...STATUS_LABELS,
};

/** The label of a field: by its generic path, else by its key (or the vocabulary's label of it), else the key. */
export function fieldLabel(generic: string, key: string, lang: Lang): string {
  if (key === 'vi' || key === 'en') return consoleText(lang)(key === 'vi' ? 'field.vi' : 'field.en');
  return (FIELD_LABELS[generic] ?? FIELD_LABELS[key] ?? OPTION_LABELS[key])?.[lang] ?? key;
}

/** The label of a choice (`reprimand` → `Khiển trách`), else the value itself. */
export function optionLabel(value: string, lang: Lang): string {
  return OPTION_LABELS[value]?.[lang] ?? value;
}
