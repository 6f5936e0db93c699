import { gunzipSync } from 'node:zlib';
import * as pagefind from 'pagefind';
import { afterAll, describe, expect, it } from 'vitest';
import { searchDocument } from '../../../../site/src/lib/search-document.js';

/**
 * The search index is built from each page's search document (site/scripts/build.ts); this proves with Pagefind
 * itself that it indexes the same words, title and excerpt from it as from the whole page.
 */

/** A unit page shaped as UnitView.astro renders it (compressed HTML): body, ignored figures, ids, a QR image. */
const unitPage =
  '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Phường Hồng Hà · Công vụ minh bạch</title></head>' +
  '<body><a class="skip" href="#main">Bỏ qua</a><header id="top"><nav><a href="/">Trang chủ</a><a href="/xep-hang/">Xếp hạng</a></nav></header>' +
  '<main id="main"><nav class="crumbs"><ol><li><a href="/don-vi/22/">Tỉnh Quảng Ninh</a></li></ol></nav>' +
  '<article data-pagefind-body><h1 data-pagefind-meta="title" data-pagefind-index-attrs="data-search" ' +
  'data-search="Phuong Hong Ha 06652 Tinh Quang Ninh">Phường Hồng Hà</h1>' +
  '<dl class="facts"><div><dt>Loại</dt><dd>Phường</dd></div><div><dt>Mã</dt><dd>06652</dd></div>' +
  '<div><dt>Trực thuộc</dt><dd><a href="/don-vi/22/">Tỉnh Quảng Ninh</a></dd></div></dl>' +
  '<p class="notice" data-split>Một phần đã sáp nhập.</p><p class="note" data-pagefind-ignore>Số liệu gộp cả đơn vị cũ.</p>' +
  '<section aria-labelledby="headline" data-pagefind-ignore><h2 id="headline">Số liệu chính</h2>' +
  '<table><thead><tr><th>Năm</th><th>Hài lòng</th></tr></thead><tbody><tr><td>2026</td><td>91,2 %</td></tr></tbody></table>' +
  '<svg viewBox="0 0 10 10"><text>Biểu đồ</text></svg></section>' +
  '<section aria-labelledby="children" data-pagefind-ignore><h2 id="children">Đơn vị trực thuộc</h2>' +
  '<section aria-labelledby="children-0"><h3 id="children-0">Khu phố</h3><p>Xếp hạng</p></section></section>' +
  '<section aria-labelledby="survey" class="survey-box" data-pagefind-ignore><h2 id="survey">Đánh giá</h2>' +
  '<img src="/danh-gia/06652/qr.svg" alt="Mã QR"></section>' +
  '<ul class="downloads" data-pagefind-ignore><li><a href="/data/units/06652.json">JSON</a></li></ul></article>' +
  '</main><footer><p>Giấy phép CC BY 4.0</p></footer></body></html>';

/** The fragments (what a result shows: URL, excerpt text, title, word count) of an index of one page. */
async function fragments(content: string): Promise<unknown[]> {
  const { index, errors } = await pagefind.createIndex({});
  if (!index) throw new Error(errors.join('; '));
  const added = await index.addHTMLFile({ url: '/don-vi/06652/', content });
  expect(added.errors).toEqual([]);
  const { files } = await index.getFiles();
  await index.deleteIndex();
  return files
    .filter((file) => file.path.endsWith('.pf_fragment'))
    .map(
      (file) =>
        JSON.parse(
          gunzipSync(file.content)
            .toString('utf8')
            .replace(/^pagefind_dcd/, ''),
        ) as unknown,
    );
}

afterAll(async () => {
  await pagefind.close();
});

describe('search document', () => {
  it('gives Pagefind the words, title and excerpt of the whole page, and nothing of the parts it ignores', async () => {
    // Act
    const whole = await fragments(unitPage);
    const document = searchDocument(unitPage);
    const reduced = await fragments(document ?? '');

    // Assess: the same record, but for the image of the first <img> after the title (the survey's QR code, in an
    // ignored section), which Pagefind records on its own and the site's search never shows
    const [page] = whole as [{ meta: Record<string, string>; content: string }];
    expect(page.content).toContain('06652');
    expect(page.content).not.toContain('91,2');
    const { image, image_alt: imageAlt, ...meta } = page.meta;
    expect(image).toBe('/danh-gia/06652/qr.svg');
    expect(imageAlt).toBe('Mã QR');
    expect(reduced).toEqual([{ ...page, meta }]);
    expect(document?.length).toBeLessThan(unitPage.length / 2);
  });
});
