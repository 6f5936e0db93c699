import type { BuildProgress } from './site-rebuilder.js';

/**
 * The page `npm start` serves while the first site build runs (503 with Retry-After, refreshing itself every
 * five seconds): says what is happening and how far along, in Vietnamese then English. Plain HTML with no
 * script and no style, so it works under the site's CSP; the API answers meanwhile.
 */
export function buildingPage(progress: BuildProgress | undefined): string {
  const count = (n: number) => new Intl.NumberFormat('vi-VN').format(n);
  const countEn = (n: number) => new Intl.NumberFormat('en-GB').format(n);
  const percent =
    progress && progress.total > 0 ? Math.min(100, Math.floor((progress.done / progress.total) * 100)) : 0;
  const step: Record<BuildProgress['phase'], [vi: string, en: string]> = {
    pages: [
      progress ? `Đang dựng các trang: ${count(progress.done)} / ${count(progress.total)} (${percent}%).` : '',
      progress ? `Rendering pages: ${countEn(progress.done)} of ${countEn(progress.total)} (${percent}%).` : '',
    ],
    search: ['Đang lập chỉ mục tìm kiếm.', 'Indexing for search.'],
    data: ['Đang sao chép dữ liệu mở.', 'Copying the open data.'],
  };
  const [vi, en] = progress ? step[progress.phase] : ['Đang chuẩn bị dữ liệu.', 'Preparing the data.'];
  const bar = progress?.phase === 'pages' ? `\n<progress max="100" value="${percent}">${percent}%</progress>` : '';
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="5">
<title>Đang dựng trang — Công vụ minh bạch</title>
</head>
<body>
<main>
<h1>Trang đang được dựng</h1>
<p>Lần khởi động đầu tiên dựng trang cho mọi đơn vị hành chính trong cả nước. ${vi}</p>${bar}
<p>Trang này tự tải lại sau 5 giây. API đã sẵn sàng: <a href="/api/v1/health">/api/v1/health</a>.</p>
<h2 lang="en">The site is being built</h2>
<p lang="en">The first start renders a page for every administrative unit in the country. ${en} This page reloads itself every 5 seconds; the API is already up.</p>
</main>
</body>
</html>
`;
}
