import type { APIRoute, GetStaticPaths } from 'astro';
import { withCacheKeys } from '../../lib/dependencies.js';
import { sitemapChunks, sitemapXml } from '../../lib/sitemap.js';

/** One file of the sitemap. */
export const getStaticPaths = (({ routePattern }) =>
  withCacheKeys(
    routePattern,
    sitemapChunks().map((_, i) => ({ params: { n: String(i + 1) } })),
  )) satisfies GetStaticPaths;

export const GET: APIRoute = ({ params }) =>
  new Response(sitemapXml(Number(params.n)), { headers: { 'content-type': 'application/xml; charset=utf-8' } });
