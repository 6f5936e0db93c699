import { describe, expect, it } from 'vitest';
import { generateNoteKey } from '../../../../shared/log/note.js';
import { buildLogFiles } from '../../../../shared/log/publish.js';
import { logIdentity } from '../../../../shared/log/signer.js';
import { lastClosedMonth, SNAPSHOT_FILES, snapshotClosedMonth } from '../../../../shared/log/snapshot.js';
import { readCheckpoint } from '../../../support/tlog-reference.js';

const identity = logIdentity('snapshot.localhost/log', generateNoteKey());
const utf8 = (text: string) => new TextEncoder().encode(text);

/** A site in memory: the open data's files and whatever the snapshot step writes. */
function memorySite(files: Record<string, string>) {
  const stored = new Map<string, Uint8Array>(Object.entries(files).map(([path, text]) => [path, utf8(text)]));
  return {
    stored,
    store: {
      read: async (path: string) => stored.get(path),
      write: async (file: { path: string; bytes: Uint8Array }) => void stored.set(file.path, file.bytes),
    },
  };
}

describe('monthly snapshots', () => {
  it('names the month that closed last in Vietnam (UTC+7)', () => {
    expect(lastClosedMonth(new Date('2026-11-05T03:00:00Z'))).toBe('2026-10');
    expect(lastClosedMonth(new Date('2026-01-31T16:59:00Z'))).toBe('2025-12');
    // 17:00 UTC on 31 January is 00:00 on 1 February in Vietnam: January has closed.
    expect(lastClosedMonth(new Date('2026-01-31T17:00:00Z'))).toBe('2026-01');
  });

  it('keeps a month’s snapshot byte-identical after later corrections, and snapshots the next month anew', async () => {
    // Prepare: the open data and the log as they stand when October closes.
    const built = await buildLogFiles([], identity);
    const site = memorySite({
      'data/summary.json': '{"counts":{"conclusions":3}}\n',
      'data/conclusions.json': '[{"id":"a","version":1}]\n',
      'data/figures.csv': 'unit,inspections\r\n00304,3\r\n',
    });

    // Act: the first build in November takes October's snapshot.
    const october = await snapshotClosedMonth(site.store, built.checkpoint, new Date('2026-11-02T01:00:00Z'));
    const taken = new Map([...site.stored].filter(([path]) => path.startsWith('data/snapshots/2026-10/')));
    // A correction later in November changes the live files and the log…
    site.stored.set('data/conclusions.json', utf8('[{"id":"a","version":2}]\n'));
    site.stored.set('data/summary.json', utf8('{"counts":{"conclusions":4}}\n'));
    const again = await snapshotClosedMonth(site.store, built.checkpoint, new Date('2026-11-20T01:00:00Z'));

    // Assess: …but not October's snapshot.
    expect(october?.month).toBe('2026-10');
    expect(Object.keys(october?.files ?? {}).sort()).toEqual(['conclusions.json', 'figures.csv', 'summary.json']);
    expect(again).toBeUndefined();
    for (const [path, bytes] of taken)
      expect(Buffer.from(site.stored.get(path) ?? []).equals(Buffer.from(bytes)), path).toBe(true);
    expect(new TextDecoder().decode(site.stored.get('data/snapshots/2026-10/conclusions.json'))).toBe(
      '[{"id":"a","version":1}]\n',
    );
    // The snapshot names the checkpoint current when it was taken, signed by the log.
    const note = new TextDecoder().decode(site.stored.get('data/snapshots/2026-10/checkpoint'));
    expect(readCheckpoint(note, identity.verifierKey).size).toBe(0);

    const november = await snapshotClosedMonth(site.store, built.checkpoint, new Date('2026-12-01T01:00:00Z'));
    expect(november?.month).toBe('2026-11');
    expect(new TextDecoder().decode(site.stored.get('data/snapshots/2026-11/conclusions.json'))).toBe(
      '[{"id":"a","version":2}]\n',
    );
    expect(JSON.parse(new TextDecoder().decode(site.stored.get('data/snapshots/index.json')))).toEqual({
      months: ['2026-10', '2026-11'],
    });
    expect(SNAPSHOT_FILES).toContain('figures.csv');
  });
});
