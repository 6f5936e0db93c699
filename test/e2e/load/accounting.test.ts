import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../../../local/stack.js';
import { type SigningKey, signAgencyRequest } from '../../../shared/auth/sign-agency-request.js';
import {
  COMMENT_ENTITY,
  CONCLUSION_ENTITY,
  CONCLUSION_VERSION_ENTITY,
  RATE_BUCKET_ENTITY,
  REFUSAL_ENTITY,
  REPLAY_MARKER_ENTITY,
  SIGNED_BODY_ENTITY,
  SURVEY_ENTITY,
} from '../../../shared/storage/keys.js';
import { readRefusals } from '../../../shared/storage/refusals-repository.js';
import {
  countByEntity,
  type Outcome,
  reconcileFigures,
  runConcurrently,
  scanEntity,
  send,
  statusCounts,
  sumOverProvincesToday,
} from '../../support/load.js';
import {
  conclusionBody,
  ensureUnits,
  registerLoadAgency,
  surveyBody,
  type WorkloadRequest,
} from '../../support/workload.js';

/**
 * Load with accounting: LOAD_SURVEYS survey submissions (default 2,000) and LOAD_CONCLUSIONS conclusions (default
 * 200), interleaved, at LOAD_CONCURRENCY (default 32) through the gateway of the stack `npm start` runs (with its
 * stream poller and aggregation; the survey rate limit lifted). A share of them are refused on purpose:
 * duplicates racing their original, schema breaks, malformed JSON, unknown service points, replayed tokens.
 * Afterwards every 201 has exactly one record and is counted exactly once in the statistics, every refusal left
 * nothing behind, and nothing answered 5xx.
 */

const SURVEYS = Number(process.env.LOAD_SURVEYS ?? 2000);
const CONCLUSIONS = Number(process.env.LOAD_CONCLUSIONS ?? 200);
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 32);
const RUN = `l${Date.now().toString(36)}`;

type Kind =
  | 'survey'
  | 'survey-original'
  | 'survey-duplicate'
  | 'survey-invalid'
  | 'survey-malformed'
  | 'survey-unknown-unit'
  | 'conclusion'
  | 'conclusion-original'
  | 'conclusion-replay'
  | 'conclusion-invalid'
  | 'conclusion-other-content';

interface Planned {
  readonly kind: Kind;
  /** The request it pairs with (a duplicate's original), if any. */
  readonly pair?: number;
  readonly request: WorkloadRequest;
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };
const post = (path: string, body: string, headers: Record<string, string> = {}): WorkloadRequest => ({
  method: 'POST',
  path,
  routePath: path,
  headers: { ...JSON_HEADERS, ...headers },
  body,
});

/** Surveys: one in twenty of each refused kind; a duplicate repeats its original's dossier, sent just before it. */
function planSurvey(i: number, index: number): Planned {
  // `index` is the position in the survey plan; interleave() maps pairs to their merged positions.
  const body = surveyBody(RUN, i);
  switch (i % 20) {
    case 0:
      return { kind: 'survey-original', pair: index + 1, request: post('/api/v1/surveys', JSON.stringify(body)) };
    case 1:
      return {
        kind: 'survey-duplicate',
        pair: index - 1,
        request: post('/api/v1/surveys', JSON.stringify(surveyBody(RUN, i - 1))),
      };
    case 2:
      return { kind: 'survey-invalid', request: post('/api/v1/surveys', JSON.stringify({ ...body, overall: 6 })) };
    case 3:
      return { kind: 'survey-malformed', request: post('/api/v1/surveys', JSON.stringify(body).slice(0, -3)) };
    case 4:
      return {
        kind: 'survey-unknown-unit',
        request: post('/api/v1/surveys', JSON.stringify({ ...body, unit: '99999' })),
      };
    default:
      return { kind: 'survey', request: post('/api/v1/surveys', JSON.stringify(body)) };
  }
}

/**
 * Conclusions, each signed as CONTRACT.md says: one in ten is the exact request before it again (a replayed
 * token), one in ten breaks a rule (more disciplined than violating), one in ten reuses its original's document
 * number with other content (409 for whichever the database takes second).
 */
async function planConclusions(signing: SigningKey, count: number): Promise<Planned[]> {
  const sign = (body: string) =>
    signAgencyRequest(signing, {
      method: 'POST',
      pathWithQuery: '/api/v1/conclusions',
      body: Buffer.from(body),
      lifetimeSeconds: 300,
    });
  const planned: Planned[] = [];
  for (let i = 0; i < count; i++) {
    const index = planned.length;
    const body = JSON.stringify(conclusionBody(RUN, i));
    const previous = planned.at(-1);
    if (i % 10 === 1 && previous) {
      planned.push({ kind: 'conclusion-replay', pair: index - 1, request: previous.request });
    } else if (i % 10 === 2) {
      const broken = {
        ...conclusionBody(RUN, i),
        discipline: [{ form: 'warning', organizations: 0, individuals: 99 }],
      };
      const text = JSON.stringify(broken);
      planned.push({
        kind: 'conclusion-invalid',
        request: post('/api/v1/conclusions', text, { authorization: await sign(text) }),
      });
    } else if (i % 10 === 4) {
      const other = JSON.stringify({
        ...conclusionBody(RUN, i - 1),
        otherMeasures: { transfers: 7, responsibilityReviews: 0 },
      });
      planned.push({
        kind: 'conclusion-other-content',
        pair: index - 1,
        request: post('/api/v1/conclusions', other, { authorization: await sign(other) }),
      });
    } else {
      const kind: Kind = i % 10 === 0 || i % 10 === 3 ? 'conclusion-original' : 'conclusion';
      planned.push({ kind, request: post('/api/v1/conclusions', body, { authorization: await sign(body) }) });
    }
  }
  return planned;
}

/**
 * Merges two plans block by block in proportion (a block of `a` for every so many blocks of `b`), re-pointing each
 * pair at the merged position of its partner. Pairs never cross a block, so partners stay near each other.
 */
function interleave([a, blockA]: [Planned[], number], [b, blockB]: [Planned[], number]): Planned[] {
  const blocks = (list: Planned[], size: number) =>
    Array.from({ length: Math.ceil(list.length / size) }, (_, k) =>
      list.slice(k * size, (k + 1) * size).map((p, j) => ({ p, local: k * size + j })),
    );
  const aBlocks = blocks(a, blockA);
  const bBlocks = blocks(b, blockB);
  const order: { p: Planned; local: number; from: 'a' | 'b' }[] = [];
  const ratio = Math.max(1, Math.floor(aBlocks.length / Math.max(1, bBlocks.length)));
  let nb = 0;
  for (const [k, block] of aBlocks.entries()) {
    order.push(...block.map((x) => ({ ...x, from: 'a' as const })));
    if (k % ratio === ratio - 1 && nb < bBlocks.length)
      order.push(...(bBlocks[nb++] ?? []).map((x) => ({ ...x, from: 'b' as const })));
  }
  for (; nb < bBlocks.length; nb++) order.push(...(bBlocks[nb] ?? []).map((x) => ({ ...x, from: 'b' as const })));
  const position = new Map(order.map((x, index) => [`${x.from}${x.local}`, index]));
  return order.map(({ p, from }) => ({
    ...p,
    ...(p.pair === undefined ? {} : { pair: position.get(`${from}${p.pair}`) ?? -1 }),
  }));
}

/** Statuses each kind may get; pairs are checked together below. */
const EXPECTED: Record<Kind, readonly number[]> = {
  survey: [201],
  'survey-original': [201, 409],
  'survey-duplicate': [201, 409],
  'survey-invalid': [422],
  'survey-malformed': [400],
  'survey-unknown-unit': [422],
  conclusion: [201],
  'conclusion-original': [201, 401, 409],
  'conclusion-replay': [201, 401],
  'conclusion-invalid': [422],
  'conclusion-other-content': [201, 409],
};

describe(`load: ${SURVEYS} surveys and ${CONCLUSIONS} conclusions at concurrency ${CONCURRENCY}`, () => {
  let stack: Stack;
  let dataDir: string;
  let plan: Planned[];
  let outcomes: Outcome[];
  let seconds: number;

  const accepted = (prefix: string) =>
    outcomes.filter((o) => o.status === 201 && plan[o.index]?.kind.startsWith(prefix));

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'load-accounting-'));
    stack = await startStack({
      port: 0,
      dataDir,
      inMemory: true,
      buildSite: null,
      env: { SURVEY_RATE_LIMIT: '1000000000', POWERTOOLS_LOG_LEVEL: 'ERROR' },
    });
    await ensureUnits(stack.doc, stack.tables.records);
    const signing = await registerLoadAgency(stack.doc, stack.tables.records, `load-${RUN}`);

    // Interleaved in blocks (20 surveys, 10 conclusions) so both loads overlap all along and no pair is split.
    const surveys = Array.from({ length: SURVEYS }, (_, i) => planSurvey(i, i));
    const conclusions = await planConclusions(signing, CONCLUSIONS);
    plan = interleave([surveys, 20], [conclusions, 10]);
    const start = performance.now();
    outcomes = await runConcurrently(plan.length, CONCURRENCY, (i) => {
      const step = plan[i];
      if (!step) throw new Error(`nothing planned at ${i}`);
      return send(stack.origin, step.request, i);
    });
    seconds = (performance.now() - start) / 1000;
    // Counted exactly once: wait until the aggregation has handled every change the load made.
    await stack.statistics.poller.drain(300_000);
  }, 900_000);

  afterAll(async () => {
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  it('answers every request, none with a 5xx', () => {
    console.log(
      `${plan.length} requests in ${seconds.toFixed(1)} s (${(plan.length / seconds).toFixed(0)}/s):`,
      statusCounts(outcomes),
    );
    expect(
      outcomes
        .filter((o) => o.status === 0 || o.status >= 500)
        .map((o) => `${o.index}: ${o.status} ${o.error ?? o.body}`),
    ).toEqual([]);
    expect(outcomes).toHaveLength(plan.length);
  });

  it('answers each kind of request as the contract says', () => {
    for (const o of outcomes) {
      const kind = plan[o.index]?.kind ?? 'survey';
      expect(EXPECTED[kind], `request ${o.index} (${kind}): ${o.body.slice(0, 300)}`).toContain(o.status);
    }
  });

  it('accepts exactly one of each racing pair (same dossier, same token, same document number)', () => {
    for (const [index, step] of plan.entries()) {
      if (step.pair === undefined || step.pair < index) continue;
      const pair = [outcomes[index]?.status, outcomes[step.pair]?.status];
      expect(
        pair.filter((status) => status === 201),
        `${step.kind} ${index} and ${plan[step.pair]?.kind} ${step.pair}: ${pair}`,
      ).toHaveLength(1);
    }
  });

  it('keeps exactly one record for every 201 and none for any refusal', async () => {
    const surveyIds = accepted('survey').map((o) => (JSON.parse(o.body) as { id: string }).id);
    const stored = await scanEntity(stack.doc, stack.tables.records, SURVEY_ENTITY);
    expect(new Set(surveyIds).size).toBe(surveyIds.length);
    expect(new Set(stored.map((s) => String(s.id)))).toEqual(new Set(surveyIds));
    expect(stored).toHaveLength(surveyIds.length);
    const comments = await scanEntity(stack.doc, stack.tables.records, COMMENT_ENTITY);
    expect(comments).toHaveLength(
      accepted('survey').filter((o) => (JSON.parse(o.body) as { comment: unknown }).comment === 'pending').length,
    );

    const conclusionIds = accepted('conclusion').map((o) => (JSON.parse(o.body) as { id: string }).id);
    const current = await scanEntity(stack.doc, stack.tables.records, CONCLUSION_ENTITY);
    const versions = await scanEntity(stack.doc, stack.tables.records, CONCLUSION_VERSION_ENTITY);
    expect(new Set(conclusionIds).size).toBe(conclusionIds.length);
    expect(new Set(current.map((item) => String(item.id)))).toEqual(new Set(conclusionIds));
    expect(current).toHaveLength(conclusionIds.length);
    expect(versions).toHaveLength(conclusionIds.length);
  });

  it('writes nothing else: refusals leave no record and no replay marker, only the rate counter and their count', async () => {
    const counts = await countByEntity(stack.doc, stack.tables.records);
    // One marker per token a write accepted; a refused or replayed request writes none.
    expect(counts.get(REPLAY_MARKER_ENTITY) ?? 0).toBe(accepted('conclusion').length);
    // The exact body each accepted version was signed over (content-addressed); a refused request stores none.
    expect(counts.get(SIGNED_BODY_ENTITY) ?? 0).toBe(accepted('conclusion').length);
    const known = [
      SURVEY_ENTITY,
      COMMENT_ENTITY,
      CONCLUSION_ENTITY,
      CONCLUSION_VERSION_ENTITY,
      REPLAY_MARKER_ENTITY,
      SIGNED_BODY_ENTITY,
      // The day's refusals by reason (integrity statistics): counts only, nothing of the refused submissions.
      REFUSAL_ENTITY,
    ];
    expect(
      [...counts.keys()].filter((e) => ![...known, 'unit', 'unit-manifest', 'agency', 'agency-key'].includes(e)),
    ).toEqual([]);
    // One counter per client per minute window: the whole run comes from one address. The counters are in the
    // stats table (keys.ts, "Rate-limit buckets"), none among the records; DynamoDB Local deletes them there once
    // expired (two minutes after their window), so those of the first minutes may be gone already.
    expect(counts.get(RATE_BUCKET_ENTITY) ?? 0).toBe(0);
    const buckets = (await countByEntity(stack.doc, stack.tables.stats)).get(RATE_BUCKET_ENTITY) ?? 0;
    expect(buckets).toBeLessThanOrEqual(Math.ceil(seconds / 60) + 1);
    // Every refused survey is counted once among the refusals, whatever its reason (one item per Vietnam day).
    const refusedSurveys = outcomes.filter(
      (o) => o.status >= 400 && o.status < 500 && plan[o.index]?.kind.startsWith('survey'),
    ).length;
    const counted = [...(await readRefusals(stack.doc, stack.tables.records)).values()]
      .flatMap((day) => Object.values(day))
      .reduce((sum, n) => sum + (n ?? 0), 0);
    expect(counted).toBe(refusedSurveys);
  });

  it('counts every accepted record exactly once in the statistics', async () => {
    const { mismatches, counted, items } = await reconcileFigures(stack.doc, stack.tables);
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(items.surveys).toBe(accepted('survey').length);
    expect(items.conclusions).toBe(accepted('conclusion').length);
    // Every service point is in force today, in one of today's provinces: their yearly totals hold each record once.
    const total = (name: 'surveys' | 'conclusions') => sumOverProvincesToday(counted, name);
    expect(total('surveys')).toBe(accepted('survey').length);
    expect(total('conclusions')).toBe(accepted('conclusion').length);
  });
});
