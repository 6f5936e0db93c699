import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, sep } from 'node:path';
import { localSecurityHeaders } from '../../../shared/http/security-headers.js';
import { contentTypeOf } from '../../../shared/publishing/headers.js';
import { formErrorAnswer } from '../../../shared/surveys/form.js';

/**
 * A tiny static server for the built site, with the security headers the real local server and CloudFront
 * send (so a page that needs inline script or style fails here as it would there), and a strict stand-in
 * for the survey endpoint: it accepts only the form fields of the contract and answers like the API does
 * for an HTML form (303 to the thank-you page of the form's language). A dossier code starting with `DUP-` plays
 * an already rated dossier: it is refused (409) and sent back to its form the way the API sends it (the same function).
 */

export interface StaticSite {
  readonly origin: string;
  /** Survey form posts received, as parsed fields. */
  readonly surveys: Record<string, string>[];
  close(): Promise<void>;
}

const SURVEY_FIELDS = new Set([
  'unit',
  'lang',
  'dossierCode',
  // The receipt of a verified response (empty unless opened from a QR code) and the channel (CONTRACT.md, surveys).
  'receipt',
  'channel',
  'ratings.access',
  'ratings.procedures',
  'ratings.staff',
  'ratings.results',
  'ratings.feedback',
  'overall',
  'comment',
  'website',
  // The questions added later (shared/surveys/questionnaire.ts), all optional.
  'submission',
  'procedure',
  'branch',
  'conduct.extraDocuments',
  'conduct.extraPayment',
  'conduct.harassment',
  'conduct.trips',
  'conduct.lateness',
]);

/** Serves `root` on 127.0.0.1 and a free port. Extra CSP sources can be added for a test's needs. */
export async function serveStatic(root: string, options: { readonly cspExtra?: string } = {}): Promise<StaticSite> {
  const surveys: Record<string, string>[] = [];
  const csp = localSecurityHeaders['content-security-policy'] ?? '';
  const headers: Record<string, string> = {
    ...localSecurityHeaders,
    'content-security-policy': options.cspExtra
      ? csp.replace("script-src 'self'", `script-src 'self' ${options.cspExtra}`)
      : csp,
  };
  const server: Server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/api/v1/surveys') {
      void acceptSurvey(req, res, surveys, headers);
      return;
    }
    serveFile(root, req, res, headers);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    surveys,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function serveFile(root: string, req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    res.writeHead(400, headers).end();
    return;
  }
  const file = normalize(join(root, path));
  if (!file.startsWith(normalize(root) + sep) && file !== normalize(root)) {
    res.writeHead(403, headers).end();
    return;
  }
  const stat = statSync(file, { throwIfNoEntry: false });
  if (stat?.isDirectory()) {
    if (!path.endsWith('/')) {
      res.writeHead(301, { ...headers, location: `${path}/${url.search}` }).end();
      return;
    }
    sendFile(join(file, 'index.html'), 200, res, headers, root);
  } else if (stat?.isFile()) sendFile(file, 200, res, headers, root);
  else sendFile(join(root, '404.html'), 404, res, headers, root);
}

function sendFile(
  file: string,
  status: number,
  res: ServerResponse,
  headers: Record<string, string>,
  root: string,
): void {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile()) {
    if (status === 404) {
      res.writeHead(404, { ...headers, 'content-type': 'text/plain' }).end('not found');
    } else {
      sendFile(join(root, '404.html'), 404, res, headers, root);
    }
    return;
  }
  res.writeHead(status, {
    ...headers,
    'content-type': contentTypeOf(file),
    'content-length': String(stat.size),
  });
  createReadStream(file).pipe(res);
}

async function acceptSurvey(
  req: IncomingMessage,
  res: ServerResponse,
  surveys: Record<string, string>[],
  headers: Record<string, string>,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const type = req.headers['content-type'] ?? '';
  const body = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  const fields: Record<string, string> = {};
  const unknown: string[] = [];
  for (const [key, value] of body) {
    if (!SURVEY_FIELDS.has(key)) unknown.push(key);
    fields[key] = value;
  }
  const lang = fields.lang === 'en' ? 'en' : 'vi';
  if (!type.startsWith('application/x-www-form-urlencoded') || unknown.length > 0 || !fields.unit) {
    res.writeHead(422, { ...headers, 'content-type': 'text/plain' }).end(`unexpected: ${type} ${unknown.join(',')}`);
    return;
  }
  if (fields.dossierCode?.startsWith('DUP-')) {
    const answer = formErrorAnswer({ status: 409, code: 'conflict' }, fields);
    res.writeHead(answer.status, { ...headers, 'content-type': 'text/html; charset=utf-8' }).end(answer.html);
    return;
  }
  surveys.push(fields);
  res.writeHead(303, { ...headers, location: lang === 'en' ? '/en/survey/thank-you/' : '/danh-gia/cam-on/' }).end();
}
