import { describe, expect, it } from 'vitest';
import type { ObjectHeaders } from '../../../../shared/publishing/headers.js';
import { planPublication } from '../../../../shared/publishing/plan.js';
import type { ObjectStore } from '../../../../shared/publishing/ports.js';
import { publishSite } from '../../../../shared/publishing/publish.js';

/** An in-memory store that records every call in order (the pure runner's test double). */
function recordingStore(failOn?: string) {
  const calls: string[] = [];
  const headers = new Map<string, ObjectHeaders>();
  const store: ObjectStore = {
    list: async () => new Map(),
    async read(path) {
      throw new Error(`not published: ${path}`);
    },
    async put(path, _bytes, given) {
      if (path === failOn) throw new Error(`refused ${path}`);
      calls.push(`put ${path}`);
      headers.set(path, given);
    },
    async delete(paths) {
      calls.push(`delete ${paths.join(',')}`);
    },
  };
  return { store, calls, headers };
}

const site = { read: async (path: string) => new TextEncoder().encode(path) };

describe('publishSite', () => {
  it('uploads step by step, the checkpoint after every tile, deletes after, then invalidates once', async () => {
    // Prepare
    const { store, calls, headers } = recordingStore();
    const invalidations: (readonly string[])[] = [];
    const plan = planPublication({
      added: ['log/tile/0/000', 'log/tile/0/001'],
      changed: ['log/checkpoint', 'index.html', 'data/summary.json'],
      removed: ['old/index.html'],
    });

    // Act
    const summary = await publishSite({
      plan,
      site,
      store,
      invalidator: { invalidate: async (paths) => void invalidations.push(paths) },
      concurrency: 2,
    });

    // Assess
    expect(calls.at(-2)).toBe('put log/checkpoint');
    expect(calls.at(-1)).toBe('delete old/index.html');
    expect(calls.indexOf('put log/tile/0/000')).toBeGreaterThan(calls.indexOf('put index.html'));
    expect(headers.get('log/tile/0/001')?.cacheControl).toMatch(/immutable/);
    expect(invalidations).toEqual([['/data/summary.json', '/index.html', '/log/checkpoint', '/old/index.html']]);
    expect(summary).toEqual({ uploaded: 5, deleted: 1, invalidated: invalidations[0] });
  });

  it('stops before the checkpoint when a file fails, and neither deletes nor invalidates', async () => {
    // Prepare
    const { store, calls } = recordingStore('log/tile/0/000');
    const invalidations: (readonly string[])[] = [];
    const plan = planPublication({ added: ['log/tile/0/000'], changed: ['log/checkpoint'], removed: ['x.html'] });

    // Act
    const publishing = publishSite({
      plan,
      site,
      store,
      invalidator: { invalidate: async (paths) => void invalidations.push(paths) },
    });

    // Assess
    await expect(publishing).rejects.toThrow(/refused log\/tile\/0\/000/);
    expect(calls).toEqual([]);
    expect(invalidations).toEqual([]);
  });
});
