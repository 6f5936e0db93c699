import { describe, expect, it } from 'vitest';
import { atomFeed } from '../../../../site/src/lib/feed.js';

describe('atomFeed', () => {
  it('writes an Atom feed whose entry ids are the permanent addresses, escaped', () => {
    // Act
    const xml = atomFeed({
      self: 'https://example.vn/feed.xml',
      alternate: 'https://example.vn/ket-luan/',
      title: 'Kết luận',
      subtitle: 'A & B',
      lang: 'vi',
      updated: '2026-01-01T00:00:00.000Z',
      entries: [
        {
          url: 'https://example.vn/ket-luan/X1/',
          title: '385/KL-ĐKTCV <Vĩnh Hưng>',
          summary: 'Tóm tắt',
          published: '2026-02-01T00:00:00.000Z',
          updated: '2026-03-01T00:00:00.000Z',
          author: 'Đoàn kiểm tra',
          categories: ['surprise'],
        },
      ],
    });

    // Assess
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom" xml:lang="vi">/,
    );
    expect(xml).toContain('<entry><id>https://example.vn/ket-luan/X1/</id>');
    expect(xml).toContain('<title>385/KL-ĐKTCV &lt;Vĩnh Hưng&gt;</title>');
    expect(xml).toContain('<subtitle>A &amp; B</subtitle>');
    // The feed is as recent as its latest entry.
    expect(xml).toContain('<subtitle>A &amp; B</subtitle><updated>2026-03-01T00:00:00.000Z</updated>');
  });
});
