import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SigningKey, signAgencyRequest } from '../../../shared/auth/sign-agency-request.js';
import { saveUnits } from '../../../shared/storage/units-repository.js';
import { committedRegistry, exampleConclusion } from '../../support/agency-fixtures.js';
import { type ApiHandler, apiEvent, lambdaContext } from '../../support/api-event.js';
import { createTestTables, type TestTables } from '../../support/dynamodb.js';
import { snapshotDiff, snapshotTables } from '../../support/table-snapshot.js';
import { registerLoadAgency } from '../../support/workload.js';
import { expectProblem } from './problem-assertions.js';

/**
 * Bad uploads to `PUT /api/v1/attachments/{name}` (PDF bytes, not JSON): wrong media type, too large, bytes that
 * are not the announced ones, names that are not attachment keys or try to leave the directory. Each is a 4xx
 * problem; no file appears and no record changes.
 */

const PDF = Buffer.from('%PDF-1.7\n% attachment bad-input test\n%%EOF\n');
const SHA256 = createHash('sha256').update(PDF).digest('hex');

describe('bad uploads of attachments', () => {
  let tables: TestTables;
  let signing: SigningKey;
  let attachmentsDir: string;
  let upload: ApiHandler;
  let key: string;

  const call = async (
    handler: ApiHandler,
    method: string,
    path: string,
    routePath: string,
    params: Record<string, string>,
    body: Buffer,
    headers: Record<string, string>,
  ) => {
    const authorization = await signAgencyRequest(signing, { method, pathWithQuery: path, body });
    const result = await handler(
      apiEvent({ method, path, routePath, params, headers: { authorization, ...headers }, body }),
      lambdaContext(),
    );
    const responseHeaders = Object.fromEntries(
      Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
    );
    return { status: result.statusCode ?? 0, headers: responseHeaders, body: result.body ?? '' };
  };
  const put = (name: string, body: Buffer, contentType = 'application/pdf') =>
    call(
      upload,
      'PUT',
      `/api/v1/attachments/${encodeURIComponent(name)}`,
      '/api/v1/attachments/{name}',
      { name },
      body,
      {
        'content-type': contentType,
      },
    );

  beforeAll(async () => {
    tables = await createTestTables('badattach');
    const registry = committedRegistry();
    const units = ['01', '22', '008', '00304'].map((id) => registry.get(id)).filter((unit) => unit !== undefined);
    await saveUnits(tables.doc, tables.names.records, units, registry);
    signing = await registerLoadAgency(tables.doc, tables.names.records, 'bad-attach', ['01', '22']);
    attachmentsDir = mkdtempSync(join(tmpdir(), 'bad-attachments-'));
    Object.assign(process.env, tables.env, { ATTACHMENTS_DIR: attachmentsDir, POWERTOOLS_LOG_LEVEL: 'ERROR' });
    const create = ((await import('../../../functions/conclusions/create.js')) as { handler: ApiHandler }).handler;
    const attach = ((await import('../../../functions/conclusions/attach.js')) as { handler: ApiHandler }).handler;
    upload = ((await import('../../../functions/conclusions/upload.js')) as { handler: ApiHandler }).handler;
    const json = { 'content-type': 'application/json' };
    const created = await call(
      create,
      'POST',
      '/api/v1/conclusions',
      '/api/v1/conclusions',
      {},
      Buffer.from(JSON.stringify(exampleConclusion())),
      json,
    );
    const { id } = JSON.parse(created.body) as { id: string };
    const announced = await call(
      attach,
      'POST',
      `/api/v1/conclusions/${id}/attachment`,
      '/api/v1/conclusions/{id}/attachment',
      { id },
      Buffer.from(JSON.stringify({ sha256: SHA256, bytes: PDF.length, mediaType: 'application/pdf' })),
      json,
    );
    key = (JSON.parse(announced.body) as { upload: { url: string } }).upload.url.split('/').at(-1) ?? '';
  });

  afterAll(async () => {
    await tables?.drop();
    if (attachmentsDir) rmSync(attachmentsDir, { recursive: true, force: true });
  });

  const cases: [string, () => { name: string; body: Buffer; type?: string }, readonly number[]][] = [
    ['JSON instead of a PDF', () => ({ name: key, body: Buffer.from('{}'), type: 'application/json' }), [415]],
    ['no media type', () => ({ name: key, body: PDF, type: '' }), [415]],
    ['more than 10 MiB', () => ({ name: key, body: Buffer.alloc(10 * 1024 * 1024 + 1, 0x25) }), [413]],
    [
      'bytes of another size than announced',
      () => ({ name: key, body: Buffer.concat([PDF, Buffer.from(' ')]) }),
      [422],
    ],
    [
      'other bytes of the announced size',
      () => ({ name: key, body: Buffer.from(PDF.toString().replace('test', 'TEST')) }),
      [422],
    ],
    ['a name no attachment was announced under', () => ({ name: key.replace(/-v1-/, '-v2-'), body: PDF }), [404]],
    ['a name that leaves the directory', () => ({ name: `../../${key}`, body: PDF }), [404]],
    ['a name that is not an attachment key', () => ({ name: 'passwd', body: PDF }), [404]],
    ['an empty body', () => ({ name: key, body: Buffer.alloc(0) }), [422]],
    [
      'HTML of the announced size (not "%PDF-")',
      () => ({ name: key, body: Buffer.from('<html><script>alert(1)</script>'.padEnd(PDF.length, ' ')) }),
      [422],
    ],
  ];

  for (const [name, build, expected] of cases) {
    it(`refuses ${name} with ${expected.join(' or ')}, stores no file and changes no record`, async () => {
      const before = await snapshotTables(tables.doc, tables.names);
      const { name: target, body, type } = build();
      const response = await put(target, body, type);
      expectProblem(response, expected, name);
      expect(readdirSync(attachmentsDir)).toEqual([]);
      expect(snapshotDiff(before, await snapshotTables(tables.doc, tables.names))).toEqual([]);
    });
  }

  it('accepts the announced bytes (the cases above are refused for what they are)', async () => {
    const response = await put(key, PDF);
    expect(response.status, response.body).toBe(200);
    expect(readdirSync(attachmentsDir)).toEqual([key]);
  });

  it('serves the stored file as a download, never rendered on the site’s origin', async () => {
    const download = ((await import('../../../functions/conclusions/download.js')) as { handler: ApiHandler }).handler;
    const event = apiEvent({
      method: 'GET',
      path: `/api/v1/attachments/${key}`,
      routePath: '/api/v1/attachments/{name}',
      params: { name: key },
    });
    const result = await download(event, lambdaContext());
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-disposition']).toBe(`attachment; filename="${key}"`);
    expect(result.headers?.['content-type']).toBe('application/pdf');
    expect(Buffer.from(result.body ?? '', 'base64').equals(PDF)).toBe(true);
  });
});
