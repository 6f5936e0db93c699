import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencyContextFromEnv, runAgency } from '../../../cli/admin/agency.js';
import { readResults } from '../../../cli/lib/bulk.js';
import { PublishUsageError, runPublish } from '../../../cli/lib/publish.js';
import { startGateway } from '../../../local/gateway.js';
import { REPO_ROOT } from '../../../local/stack.js';
import { exampleConclusion, generateKeyPair, loadCommittedRegistry } from '../../support/agency-fixtures.js';
import { createTestTables, type TestTables } from '../../support/dynamodb.js';
import { exampleSummary } from '../../support/summary-fixtures.js';

/**
 * The newcomer's path of docs/publishing.md, end to end: register an agency with the admin CLI, publish with the
 * publish CLI through the local gateway (real HTTP, real handlers, the unit registry read from the table), read it
 * back; then correct, retract, attach, report, and a resumable bulk back-fill.
 */

let tables: TestTables;
let server: Server;
let origin: string;
let dir: string;
let keyFile: string;
const lines: string[] = [];
const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line), progress: false };

function publish(...args: string[]) {
  return runPublish(['--agency', 'hoangmai-ubnd', '--key', keyFile, '--api', origin, ...args], io);
}

function lastJson(): Record<string, unknown> {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] ?? '';
    if (line.startsWith('{')) return JSON.parse(lines.slice(i).join('\n')) as Record<string, unknown>;
  }
  throw new Error('no JSON printed');
}

beforeAll(async () => {
  tables = await createTestTables('cli');
  dir = mkdtempSync(join(tmpdir(), 'cong-vu-cli-'));
  Object.assign(process.env, tables.env, { ATTACHMENTS_DIR: join(dir, 'attachments'), DATA_DIR: dir });
  await loadCommittedRegistry(tables);
  server = await startGateway({ port: 0, repoRoot: REPO_ROOT, siteDir: () => undefined });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const keys = generateKeyPair();
  keyFile = join(dir, 'agency.pem');
  writeFileSync(keyFile, keys.privatePem);
  writeFileSync(join(dir, 'agency.pub.pem'), keys.publicPem);
});

afterAll(async () => {
  await new Promise<void>((done) => {
    server.close(() => done());
    server.closeAllConnections();
  });
  await tables.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('admin agency and publish', () => {
  it('registers an agency, then publishes the example conclusion and reads it at its address', async () => {
    // Prepare
    const context = { ...(await agencyContextFromEnv()), out: (line: string) => lines.push(line) };
    const file = join(dir, 'conclusion.json');
    writeFileSync(file, JSON.stringify(exampleConclusion()));

    // Act
    await runAgency(
      [
        'add',
        '--id',
        'hoangmai-ubnd',
        '--name',
        'UBND quận Hoàng Mai',
        '--jurisdiction',
        '008',
        '--public-key',
        join(dir, 'agency.pub.pem'),
      ],
      context,
    );
    const registered = lines.at(-1);
    const code = await publish(file);
    const created = lastJson();
    const read = await fetch(`${origin}/api/v1/conclusions/${created.id}`);

    // Assess
    expect(registered).toMatch(/^registered agency hoangmai-ubnd .*jurisdiction 008; key \S+ active$/);
    expect(code).toBe(0);
    expect(created).toMatchObject({ version: 1, status: 'published', unitIds: ['00304'] });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({
      id: created.id,
      agency: { id: 'hoangmai-ubnd', name: 'UBND quận Hoàng Mai' },
    });
  });

  it('corrects with --if-match and retracts, each a new version', async () => {
    // Prepare
    const file = join(dir, 'c2.json');
    writeFileSync(file, JSON.stringify(exampleConclusion({ documentNumber: '2/KL' })));
    await publish(file);
    const id = String(lastJson().id);
    writeFileSync(file, JSON.stringify(exampleConclusion({ documentNumber: '2/KL', kind: 'planned' })));

    // Act
    const corrected = await publish('--correct', id, '--if-match', '1', '--reason', 'Sửa loại kiểm tra', file);
    const correctedBody = lastJson();
    const stale = await publish('--correct', id, '--if-match', '1', file.replace('c2', 'c2'));
    // The ETag as the API printed it is accepted too.
    const retracted = await publish('--retract', id, '--reason', 'Ban hành nhầm', '--if-match', '"2"');

    // Assess
    expect(corrected).toBe(0);
    expect(correctedBody).toMatchObject({ version: 2, kind: 'planned', reason: 'Sửa loại kiểm tra' });
    expect(stale).toBe(0); // the same correction again: the version it made
    expect(retracted).toBe(0);
    expect(lastJson()).toMatchObject({ version: 3, status: 'retracted' });
  });

  it('refuses an --if-match that names no version, before sending anything', async () => {
    // Prepare
    const file = join(dir, 'c2b.json');
    writeFileSync(file, JSON.stringify(exampleConclusion({ documentNumber: '2b/KL' })));

    // Act / Assess: a usage error (exit 2), where the request would only have met a 412.
    await expect(publish('--correct', 'k-any', '--if-match', 'latest', file)).rejects.toThrow(PublishUsageError);
    await expect(publish('--retract', 'k-any', '--if-match', '0')).rejects.toThrow(/--if-match takes a version/);
  });

  it('exits 1 with the problem in one line when the API refuses', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(exampleConclusion({ documentNumber: '3/KL', inspectedUnits: ['00238'] })));
    const code = await publish(file);
    expect(code).toBe(1);
    expect(lines.at(-1)).toMatch(/^refused: 403 Outside the jurisdiction/);
  });

  it('attaches a PDF: its SHA-256 and size are published and the file is served back', async () => {
    // Prepare
    const file = join(dir, 'c4.json');
    writeFileSync(file, JSON.stringify(exampleConclusion({ documentNumber: '4/KL' })));
    await publish(file);
    const id = String(lastJson().id);
    const pdf = Buffer.from('%PDF-1.4\n% demo\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    writeFileSync(join(dir, 'signed.pdf'), pdf);

    // Act
    const code = await publish('--attach', join(dir, 'signed.pdf'), '--conclusion', id);
    const read = (await (await fetch(`${origin}/api/v1/conclusions/${id}`)).json()) as {
      attachment: { sha256: string; bytes: number; url: string };
    };
    const download = await fetch(`${origin}${read.attachment.url}`);

    // Assess
    expect(code).toBe(0);
    expect(read.attachment).toMatchObject({
      sha256: createHash('sha256').update(pdf).digest('hex'),
      bytes: pdf.length,
    });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).toBe(true);
  });

  it('files a report', async () => {
    const file = join(dir, 'report.json');
    writeFileSync(
      file,
      JSON.stringify({
        unit: '008',
        month: '2024-06',
        procedures: { received: 1200, resolvedEarly: 300, resolvedOnTime: 880, resolvedLate: 5, pendingOverdue: 2 },
      }),
    );
    expect(await publish('--report', file)).toBe(0);
    expect(lastJson()).toMatchObject({ id: 'hoangmai-ubnd.008.2024-06', version: 1 });
  });

  it('publishes a summary report with unsplit totals, corrects and retracts it by its id', async () => {
    // Prepare
    const hoangMai = (overrides: Record<string, unknown>) =>
      JSON.stringify(exampleSummary({ documentNumber: 'BC-1/2024', jurisdiction: '008', ...overrides }));
    const file = join(dir, 'summary.json');
    writeFileSync(file, hoangMai({}));

    // Act
    const created = await publish('--summary', file);
    const createdBody = lastJson();
    const id = String(createdBody.id);
    writeFileSync(file, hoangMai({ disciplined: { total: 369 } }));
    const corrected = await publish('--correct', id, '--if-match', '1', '--reason', 'Rà soát lại', file);
    const correctedBody = lastJson();
    const retracted = await publish('--retract', id);
    const read = (await (await fetch(`${origin}/api/v1/summaries/${id}`)).json()) as Record<string, unknown>;

    // Assess
    expect(created).toBe(0);
    expect(id).toMatch(/^s/);
    expect(createdBody).toMatchObject({ version: 1, unitId: '008', violations: { total: 873 } });
    expect(corrected).toBe(0);
    expect(correctedBody).toMatchObject({ version: 2, disciplined: { total: 369 }, reason: 'Rà soát lại' });
    expect(retracted).toBe(0);
    expect(read).toMatchObject({ version: 3, status: 'retracted' });
    expect(read.versions).toHaveLength(3);
  });

  it('back-fills summary reports with --bulk --summaries', async () => {
    // Prepare
    const file = join(dir, 'summaries.ndjson');
    const line = (n: number) => JSON.stringify(exampleSummary({ documentNumber: `BS-${n}/2024`, jurisdiction: '008' }));
    writeFileSync(file, [line(1), line(2), ''].join('\n'));

    // Act
    const code = await publish('--bulk', file, '--summaries');

    // Assess
    expect(code).toBe(0);
    expect(lines.at(-1)).toMatch(/2 lines: 2 created/);
    expect([...readResults(`${file}.results.ndjson`).values()].every((r) => String(r.id).startsWith('s'))).toBe(true);
  });

  it('back-fills an NDJSON file with a result per line, and a second run skips what is done', async () => {
    // Prepare
    const file = join(dir, 'bulk.ndjson');
    const good = (n: number) => JSON.stringify(exampleConclusion({ documentNumber: `B-${n}/KL` }));
    writeFileSync(
      file,
      [
        good(1),
        good(2),
        'not json',
        JSON.stringify(exampleConclusion({ documentNumber: 'B-4/KL', issuedOn: '2999-01-01' })),
        good(5),
        '',
      ].join('\n'),
    );

    // Act
    const first = await publish('--bulk', file);
    const firstSummary = lines.at(-1);
    const second = await publish('--bulk', file);
    const secondSummary = lines.at(-1);
    const results = readResults(`${file}.results.ndjson`);

    // Assess
    expect(first).toBe(1);
    expect(firstSummary).toMatch(/5 lines: 3 created, 0 already there, 0 skipped \(done before\), 2 refused, 0 failed/);
    expect(second).toBe(0);
    expect(secondSummary).toMatch(/5 lines: 0 created, 0 already there, 5 skipped/);
    expect([...results.values()].map((r) => [r.line, r.status]).sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0))).toEqual([
      [1, 201],
      [2, 201],
      [3, 400],
      [4, 422],
      [5, 201],
    ]);
    expect(readFileSync(`${file}.results.ndjson`, 'utf8').trim().split('\n')).toHaveLength(5);
  });
});
