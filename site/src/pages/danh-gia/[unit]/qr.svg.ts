import type { APIRoute, GetStaticPaths } from 'astro';
import { qrSvg } from '../../../lib/qr.js';
import { surveyPaths } from '../../../lib/static-paths.js';

/** The printable QR code of a service point's survey form (SVG, drawn at build time). */
export const getStaticPaths = ((options) => surveyPaths(options)) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ params }) =>
  new Response(await qrSvg(params.unit ?? ''), { headers: { 'content-type': 'image/svg+xml' } });
