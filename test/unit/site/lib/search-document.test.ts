import { describe, expect, it } from 'vitest';
import { searchDocument } from '../../../../site/src/lib/search-document.js';

/** A unit page as Astro writes it (compressed HTML), reduced to what matters here. */
const page = (article: string, lang = 'vi') =>
  `<!DOCTYPE html><html lang="${lang}" dir="ltr"><head><title>Phường Hồng Hà</title></head><body>` +
  '<header><nav><a href="/">Trang chủ</a></nav></header><main id="main">' +
  article +
  '</main><footer><p>data-pagefind-ignore is an attribute</p></footer></body></html>';

describe('searchDocument', () => {
  it('keeps the html tag and the element marked for search, without the elements it ignores', () => {
    // Prepare
    const html = page(
      '<nav class="crumbs"><a href="/don-vi/01/">Hà Nội</a></nav>' +
        '<article data-pagefind-body><h1 data-pagefind-meta="title">Phường Hồng Hà</h1>' +
        '<dl class="facts"><div><dt>Mã</dt><dd>00001</dd></div></dl>' +
        '<p class="note" data-pagefind-ignore>Số liệu gộp</p>' +
        '<section aria-labelledby="children" data-pagefind-ignore><h2 id="children">Đơn vị trực thuộc</h2>' +
        '<section aria-labelledby="c-0"><h3 id="c-0">Phường</h3><table><tr><td>91,2</td></tr></table></section>' +
        '<section><p>76</p></section></section>' +
        '<p data-split>Tách ra</p>' +
        '<ul class="downloads" data-pagefind-ignore="all"><li><a href="/data/units/00001.json">JSON</a></li></ul>' +
        '</article><section class="versions"><h2>Phiên bản</h2></section>',
    );

    // Act
    const document = searchDocument(html);

    // Assess
    expect(document).toBe(
      '<html lang="vi" dir="ltr"><body><article data-pagefind-body><h1 data-pagefind-meta="title">Phường Hồng Hà</h1>' +
        '<dl class="facts"><div><dt>Mã</dt><dd>00001</dd></div></dl><p data-split>Tách ra</p></article></body></html>',
    );
  });

  it('finds the end of the body element past elements of the same name inside it', () => {
    // Prepare
    const html = page(
      '<div data-pagefind-body><div><div>Tên</div></div><div>Mã</div></div><div>Chân trang</div>',
      'en',
    );

    // Act
    const document = searchDocument(html);

    // Assess
    expect(document).toBe(
      '<html lang="en" dir="ltr"><body><div data-pagefind-body><div><div>Tên</div></div><div>Mã</div></div></body></html>',
    );
  });

  it('keeps an ignored element that still gives Pagefind a title, filter or sort', () => {
    // Prepare: Pagefind reads meta, filters and sorts even inside an ignored element
    const ignored = '<p data-pagefind-ignore><span data-pagefind-filter="tỉnh">Hà Nội</span></p>';
    const html = page(
      `<article data-pagefind-body><h1>Phường Hồng Hà</h1>${ignored}<p data-pagefind-ignore>Bảng</p></article>`,
    );

    // Act
    const document = searchDocument(html);

    // Assess
    expect(document).toContain(ignored);
    expect(document).not.toContain('Bảng');
  });

  it('does not take the attribute named in text or in a longer attribute name for the attribute', () => {
    // Prepare
    const html = page(
      '<p>Đánh dấu bằng data-pagefind-body</p><div data-pagefind-body-note="x">Không</div>' +
        '<article data-pagefind-body><h1>Phường Hồng Hà</h1></article>',
    );

    // Act
    const document = searchDocument(html);

    // Assess
    expect(document).toBe(
      '<html lang="vi" dir="ltr"><body><article data-pagefind-body><h1>Phường Hồng Hà</h1></article></body></html>',
    );
  });

  it('gives nothing for a page without an element marked for search, and fails on an element never closed', () => {
    expect(searchDocument(page('<article><h1>Trang chủ</h1></article>'))).toBeUndefined();
    expect(() => searchDocument('<html lang="vi"><body><article data-pagefind-body><h1>Tên</h1>')).toThrow(
      /not closed/,
    );
  });
});
