import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../../shared/errors.js';
import { SPIKE_FACTOR, SPIKE_MIN_RESPONSES, spikeThreshold } from '../../../../shared/stats/methodology.js';
import {
  addHours,
  detectSpikes,
  type Hour,
  responseHour,
  type Spike,
  type SpikeStore,
  vietnamHour,
} from '../../../../shared/stats/spikes.js';

/** Hourly counts and spikes in memory. */
class MemorySpikeStore implements SpikeStore {
  readonly counts = new Map<string, number>();
  readonly spikes = new Map<string, Spike>();

  async hourlyCounts(unitId: string, from: Hour, to: Hour): Promise<ReadonlyMap<Hour, number>> {
    const out = new Map<Hour, number>();
    for (const [key, n] of this.counts) {
      const [unit, hour] = key.split('|') as [string, string];
      if (unit === unitId && hour >= from && hour <= to) out.set(hour, n);
    }
    return out;
  }
  async flag(spike: Spike): Promise<boolean> {
    const key = `${spike.unitId}|${spike.hour}`;
    if (this.spikes.has(key)) return false;
    this.spikes.set(key, spike);
    return true;
  }
  async list(): Promise<Spike[]> {
    return [...this.spikes.values()];
  }
  async review(unitId: string, hour: Hour, review: { at: string; by: string }): Promise<Spike> {
    const spike = this.spikes.get(`${unitId}|${hour}`);
    if (!spike) throw new NotFoundError('no such spike');
    const reviewed = { ...spike, reviewedAt: review.at, reviewedBy: review.by };
    this.spikes.set(`${unitId}|${hour}`, reviewed);
    return reviewed;
  }
}

const now = () => new Date('2026-11-29T08:00:00Z');

describe('spikeThreshold', () => {
  it('needs the floor from a unit without history, so a small ward never flaps', () => {
    // Assess
    expect(spikeThreshold([])).toEqual({ usual: 0, threshold: SPIKE_MIN_RESPONSES });
    expect(spikeThreshold([1, 0, 2, 1])).toEqual({ usual: 1.33, threshold: SPIKE_MIN_RESPONSES });
  });

  it('needs many times the usual level of a busy unit', () => {
    // Assess: 8 responses in each active hour → 40
    expect(spikeThreshold([8, 8, 0, 8])).toEqual({ usual: 8, threshold: SPIKE_FACTOR * 8 });
  });
});

describe('vietnamHour and responseHour', () => {
  it('reads the hour in Vietnam time: 17:30 UTC is the next day at 00', () => {
    // Assess
    expect(vietnamHour(Date.parse('2026-11-28T17:30:00Z') / 1000)).toBe('2026-11-29T00');
    expect(addHours('2026-11-29T00', -1)).toBe('2026-11-28T23');
  });

  it('counts a new response only: not a change, not an illustrative one, not another entity', () => {
    // Prepare
    const createdAt = Date.parse('2026-11-29T03:10:00Z') / 1000;
    const survey = { entity: 'survey', unitId: '00301' };

    // Assess
    expect(responseHour({ newImage: survey, createdAt })).toBe('00301|2026-11-29T10');
    expect(responseHour({ oldImage: survey, newImage: survey, createdAt })).toBeUndefined();
    expect(responseHour({ newImage: { ...survey, illustrative: true }, createdAt })).toBeUndefined();
    expect(responseHour({ newImage: { entity: 'report', unitId: '00301' }, createdAt })).toBeUndefined();
  });
});

describe('detectSpikes', () => {
  it('flags an hour far above the usual level once, and leaves an ordinary busy hour alone', async () => {
    // Prepare: 00301 has had 4 an hour for a week; 00097 the same, then 19 in an hour (under the floor)
    const store = new MemorySpikeStore();
    for (let h = 1; h <= 40; h++) {
      store.counts.set(`00301|${addHours('2026-11-29T10', -h * 3)}`, 4);
      store.counts.set(`00097|${addHours('2026-11-29T10', -h * 3)}`, 4);
    }
    store.counts.set('00301|2026-11-29T10', 25);
    store.counts.set('00097|2026-11-29T10', 19);

    // Act
    const first = await detectSpikes(['00301|2026-11-29T10', '00097|2026-11-29T10'], { store, now });
    const again = await detectSpikes(['00301|2026-11-29T10'], { store, now });

    // Assess
    expect(first).toEqual([
      {
        unitId: '00301',
        hour: '2026-11-29T10',
        responses: 25,
        usual: 4,
        threshold: SPIKE_MIN_RESPONSES,
        detectedAt: '2026-11-29T08:00:00.000Z',
      },
    ]);
    expect(again).toEqual([]);
  });

  it('does not count the hour itself in its usual level, nor hours older than the baseline', async () => {
    // Prepare: 30 an hour eight days ago (outside the baseline), nothing since
    const store = new MemorySpikeStore();
    store.counts.set(`00301|${addHours('2026-11-29T10', -24 * 8)}`, 30);
    store.counts.set('00301|2026-11-29T10', 21);

    // Act
    const flagged = await detectSpikes(['00301|2026-11-29T10'], { store, now });

    // Assess
    expect(flagged.map((s) => [s.usual, s.threshold])).toEqual([[0, SPIKE_MIN_RESPONSES]]);
  });
});
