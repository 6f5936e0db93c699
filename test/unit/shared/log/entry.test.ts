import { describe, expect, it } from 'vitest';
import { decodeLogEntry, encodeLogEntry, logEntryFromImage } from '../../../../shared/log/entry.js';
import {
  CONCLUSION_ENTITY,
  CONCLUSION_VERSION_ENTITY,
  REPORT_ENTITY,
  SUMMARY_VERSION_ENTITY,
} from '../../../../shared/storage/keys.js';

const signature = { jws: 'a.b.c', keyThumbprint: 'K'.repeat(43), jti: 'jti-12345678', bodySha256: 'f'.repeat(64) };
const image = (entity: string, extra: Record<string, unknown> = {}) => ({
  entity,
  id: 'x1',
  version: 2,
  status: 'published',
  agencyId: 'hanoi-dktcv',
  publishedAt: '2026-11-29T00:00:00.000Z',
  signature,
  ...extra,
});

describe('logEntryFromImage', () => {
  it('logs the signed versions of conclusions, summaries and reports, and nothing else', () => {
    expect(logEntryFromImage(image(CONCLUSION_VERSION_ENTITY))?.type).toBe('conclusion');
    expect(logEntryFromImage(image(SUMMARY_VERSION_ENTITY))?.type).toBe('summary');
    expect(
      logEntryFromImage(image(REPORT_ENTITY, { publishedAt: undefined, updatedAt: '2026-11-29T01:00:00Z' })),
    ).toMatchObject({
      type: 'report',
      publishedAt: '2026-11-29T01:00:00Z',
    });
    // The CURRENT item repeats the newest version: logging it too would log each version twice.
    expect(logEntryFromImage(image(CONCLUSION_ENTITY))).toBeUndefined();
    expect(logEntryFromImage(image(CONCLUSION_VERSION_ENTITY, { signature: undefined }))).toBeUndefined();
  });

  it('writes an entry’s bytes in one fixed order, with the body’s site path', () => {
    const entry = logEntryFromImage(image(CONCLUSION_VERSION_ENTITY));
    if (!entry) throw new Error('no entry');
    const bytes = new TextDecoder().decode(encodeLogEntry({ ...entry }));

    expect(Object.keys(JSON.parse(bytes))).toEqual([
      'type',
      'id',
      'version',
      'status',
      'agency',
      'keyThumbprint',
      'jti',
      'jws',
      'body',
      'bodySha256',
      'publishedAt',
    ]);
    expect(JSON.parse(bytes).body).toBe(`/data/bodies/${'f'.repeat(64)}.json`);
    expect(decodeLogEntry(encodeLogEntry(entry))).toEqual(entry);
  });
});
