import type { APIRoute } from 'astro';
import { absoluteUrl } from '../lib/config.js';

/** Everything may be crawled (the thank-you pages say noindex themselves); the sitemap lists the pages. */
export const GET: APIRoute = () =>
  new Response(`User-agent: *\nAllow: /\nSitemap: ${absoluteUrl('/sitemap.xml')}\n`, {
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  });
