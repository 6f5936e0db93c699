import { escapeXml } from '../../../shared/text/xml.js';
import { absoluteUrl } from './config.js';
import { allPagePaths } from './site-map.js';

/**
 * The sitemap: `/sitemap.xml` is an index of `/sitemaps/<n>.xml` files, each under the protocol's limit of
 * 50,000 URLs, so the national site (tens of thousands of pages, growing with conclusions) always fits.
 */

export const SITEMAP_CHUNK = 40_000;

/** Every page path, split in chunks. */
export function sitemapChunks(): string[][] {
  const all = allPagePaths();
  const chunks: string[][] = [];
  for (let i = 0; i < all.length; i += SITEMAP_CHUNK) chunks.push(all.slice(i, i + SITEMAP_CHUNK));
  return chunks.length === 0 ? [[]] : chunks;
}

/** The sitemap index. */
export function sitemapIndexXml(generatedAt: string): string {
  const entries = sitemapChunks()
    .map(
      (_, i) =>
        `<sitemap><loc>${escapeXml(absoluteUrl(`/sitemaps/${i + 1}.xml`))}</loc><lastmod>${escapeXml(generatedAt)}</lastmod></sitemap>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries}\n</sitemapindex>\n`;
}

/** One sitemap file (1-based). */
export function sitemapXml(n: number): string {
  const urls = (sitemapChunks()[n - 1] ?? [])
    .map((path) => `<url><loc>${escapeXml(absoluteUrl(path))}</loc></url>`)
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls}\n</urlset>\n`;
}
