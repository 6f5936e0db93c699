import type { APIRoute } from 'astro';
import { siteData } from '../lib/data.js';
import { sitemapIndexXml } from '../lib/sitemap.js';

/** The sitemap index (see lib/sitemap.ts). */
export const GET: APIRoute = () =>
  new Response(sitemapIndexXml(siteData().summary.generatedAt), {
    headers: { 'content-type': 'application/xml; charset=utf-8' },
  });
