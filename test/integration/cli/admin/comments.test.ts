import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type CommentsCliContext,
  CommentsUsageError,
  runComments,
  terminalSafe,
} from '../../../../cli/admin/comments.js';
import { ConflictError, NotFoundError } from '../../../../shared/errors.js';
import { DynamoCommentStore } from '../../../../shared/storage/comments-repository.js';
import { DynamoSurveyStore } from '../../../../shared/storage/surveys-repository.js';
import type { SurveyRecord } from '../../../../shared/surveys/ports.js';
import { createTestTables, type TestTables } from '../../../support/dynamodb.js';

describe('npm run admin -- comments', () => {
  let tables: TestTables;
  let lines: string[];
  let context: CommentsCliContext;
  beforeAll(async () => {
    tables = await createTestTables('cli-comments');
    const surveys = new DynamoSurveyStore(tables.doc, tables.names.records);
    const base: Omit<SurveyRecord, 'id' | 'dossierHash'> = {
      unitId: '00301',
      date: '2025-08-12',
      ratings: { access: 5, procedures: 4, staff: 5, results: 4, feedback: null },
      overall: 5,
      channel: 'web',
      hasComment: true,
      verified: false,
    };
    const texts = ['Cán bộ tận tình', 'Chờ lâu\n\u001b[2Jquá', 'Phòng chật', 'Tốt'];
    for (const [i, text] of texts.entries()) {
      await surveys.create(
        { ...base, id: `s${i}`, dossierHash: `h${i}` },
        { id: `c${i}`, unitId: '00301', text, status: 'pending', submittedAt: `2025-08-1${i}` },
      );
    }
  });
  beforeEach(() => {
    lines = [];
    context = {
      doc: tables.doc,
      recordsTable: tables.names.records,
      out: (line) => lines.push(line),
      now: () => new Date('2025-08-20T01:02:03Z'),
      actor: () => 'os-user',
    };
  });
  afterAll(async () => {
    await tables.drop();
  });

  it('lists the pending comments, oldest first, one safe line each', async () => {
    await runComments(['list'], context);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('c0  2025-08-10  00301  Cán bộ tận tình');
    expect(lines[1]).toBe('c1  2025-08-11  00301  Chờ lâu ⏎ \uFFFD[2Jquá');
  });

  it('approves and rejects, moving comments between queues', async () => {
    // Act
    await runComments(['comments', 'approve', 'c0'], context);
    await runComments(['reject', 'c2', '--by', 'Nguyễn Thị Lan'], context);
    // Assess
    expect(lines).toEqual([
      'approved c0 by os-user (unit 00301, submitted 2025-08-10)',
      'rejected c2 by Nguyễn Thị Lan (unit 00301, submitted 2025-08-12)',
    ]);
    const store = new DynamoCommentStore(tables.doc, tables.names.records);
    expect(await store.get('c0')).toMatchObject({ moderatedAt: '2025-08-20T01:02:03.000Z', moderatedBy: 'os-user' });
    expect((await store.get('c2'))?.moderatedBy).toBe('Nguyễn Thị Lan');
    lines.length = 0;
    await runComments(['list', '--status', 'approved', '--json'], context);
    expect(JSON.parse(lines.join('\n')).items.map((c: { id: string }) => c.id)).toEqual(['c0']);
  });

  it('refuses to decide a comment twice or an unknown one', async () => {
    await runComments(['approve', 'c3'], context);
    await expect(runComments(['reject', 'c3'], context)).rejects.toThrow(ConflictError);
    await expect(runComments(['approve', 'missing'], context)).rejects.toThrow(NotFoundError);
  });

  it('pages with --limit and --cursor', async () => {
    await runComments(['list', '--status', 'approved', '--limit', '1'], context);
    expect(lines).toHaveLength(2);
    const cursor = lines[1]?.split('--cursor ')[1] ?? '';
    lines.length = 0;
    await runComments(['list', '--status', 'approved', '--limit', '1', '--cursor', cursor], context);
    expect(lines[0]).toMatch(/^c3 /);
  });

  it.each([
    [['frobnicate']],
    [['list', '--status', 'published']],
    [['list', '--limit', '0']],
    [['approve']],
    [['approve', 'a', 'b']],
    [['reject', 'a', '--json']],
  ])('refuses the arguments %j with a usage error', async (args) => {
    await expect(runComments(args, context)).rejects.toThrow(CommentsUsageError);
  });

  it('prints the usage for help', async () => {
    await runComments(['--help'], context);
    expect(lines[0]).toMatch(/^usage: npm run admin -- comments list/);
  });
});

describe('terminalSafe', () => {
  it('neutralizes escapes and bidirectional overrides', () => {
    expect(terminalSafe('a\u001b[31mb\u202Ec')).toBe('a\uFFFD[31mb\uFFFDc');
  });
});
