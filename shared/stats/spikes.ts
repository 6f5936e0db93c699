import { SPIKE_BASELINE_DAYS, spikeThreshold } from './methodology.js';
import type { ChangeRecord } from './ports.js';

/**
 * Spikes (docs/surveys.md, "Integrity statistics"): a unit whose survey responses in one hour exceed its usual
 * level many times (methodology.ts, `spikeThreshold`) is flagged, marked "under review" on its page and in
 * `/data/integrity.json` until someone reviews it, and raises an alarm in AWS (a metric from the aggregation).
 * The hour of a response is its stream record's creation time, never stored with the response itself.
 */

/** `YYYY-MM-DDTHH`, Vietnam time (UTC+7, no daylight saving). */
export type Hour = string;

const VIETNAM_OFFSET_SECONDS = 7 * 3600;

/** The Vietnam hour of an instant in epoch seconds: `1764428400` → `2026-11-29T22`. */
export function vietnamHour(epochSeconds: number): Hour {
  return new Date((epochSeconds + VIETNAM_OFFSET_SECONDS) * 1000).toISOString().slice(0, 13);
}

/** The hour `hours` before (negative) or after an hour. */
export function addHours(hour: Hour, hours: number): Hour {
  return new Date(Date.parse(`${hour}:00:00Z`) + hours * 3_600_000).toISOString().slice(0, 13);
}

/** The key of a unit's hour in ChunkWrite.hours: `00301|2026-11-29T14`. */
export function hourKey(unitId: string, hour: Hour): string {
  return `${unitId}|${hour}`;
}

/** The unit and hour of an hour key. */
export function parseHourKey(key: string): { unitId: string; hour: Hour } {
  const bar = key.lastIndexOf('|');
  return { unitId: key.slice(0, bar), hour: key.slice(bar + 1) };
}

/**
 * The hour a stream record adds a response to, or undefined: only a new survey response (an insert) counts, and
 * not an illustrative one (the demo seeder writes hundreds at once, which is no citizen's doing).
 */
export function responseHour(record: Pick<ChangeRecord, 'oldImage' | 'newImage' | 'createdAt'>): string | undefined {
  const image = record.newImage;
  if (record.oldImage || !image || image.entity !== 'survey' || image.illustrative === true) return undefined;
  if (typeof image.unitId !== 'string' || typeof record.createdAt !== 'number') return undefined;
  return hourKey(image.unitId, vietnamHour(record.createdAt));
}

/** A flagged spike, as stored. `reviewedBy` is never published. */
export interface Spike {
  readonly unitId: string;
  readonly hour: Hour;
  readonly responses: number;
  /** The unit's usual responses per active hour then. */
  readonly usual: number;
  readonly threshold: number;
  readonly detectedAt: string;
  readonly reviewedAt?: string;
  readonly reviewedBy?: string;
  readonly note?: string;
}

/** Where hourly counts are read and spikes kept (shared/storage/spikes-repository.ts). */
export interface SpikeStore {
  /** The unit's responses per hour, `from` to `to` inclusive (hours without any are absent). */
  hourlyCounts(unitId: string, from: Hour, to: Hour): Promise<ReadonlyMap<Hour, number>>;
  /** Keeps a spike unless one is kept for that unit and hour; true when this call flagged it. */
  flag(spike: Spike): Promise<boolean>;
  /** Every spike, oldest hour first. */
  list(): Promise<Spike[]>;
  /** Marks a spike reviewed, by whom; throws NotFoundError when there is no such spike. */
  review(unitId: string, hour: Hour, review: { at: string; by: string; note?: string }): Promise<Spike>;
}

/**
 * Evaluates the hours a batch added responses to and flags the spikes among them; answers the spikes this call
 * flagged (a spike flagged before is not flagged again). Reads one baseline per unit and hour touched.
 */
export async function detectSpikes(
  touched: Iterable<string>,
  deps: { readonly store: SpikeStore; readonly now: () => Date },
): Promise<Spike[]> {
  const flagged: Spike[] = [];
  for (const key of new Set(touched)) {
    const { unitId, hour } = parseHourKey(key);
    const counts = await deps.store.hourlyCounts(unitId, addHours(hour, -24 * SPIKE_BASELINE_DAYS), hour);
    const responses = counts.get(hour) ?? 0;
    const baseline = [...counts].filter(([h]) => h < hour).map(([, n]) => n);
    const { usual, threshold } = spikeThreshold(baseline);
    if (responses < threshold) continue;
    const spike: Spike = { unitId, hour, responses, usual, threshold, detectedAt: deps.now().toISOString() };
    if (await deps.store.flag(spike)) flagged.push(spike);
  }
  return flagged;
}
