import { describe, expect, it } from 'vitest';
import { DEMO_WARDS_BEFORE_2025, DEMO_WARDS_FROM_2025, seedDemoSurveys } from '../../../../local/demo/surveys.js';
import { ConflictError } from '../../../../shared/errors.js';
import type { CommentRecord, SurveyRecord, SurveyStore } from '../../../../shared/surveys/ports.js';
import { loadRegistryFile } from '../../../../shared/units/load.js';
import { RegistryUnitLookup } from '../../../../shared/units/registry-lookup.js';
import { TEST_DOSSIER_SECRET } from '../../../support/survey-fixtures.js';

class MemorySurveyStore implements SurveyStore {
  readonly surveys = new Map<string, SurveyRecord>();
  readonly comments: CommentRecord[] = [];
  async create(survey: SurveyRecord, comment?: CommentRecord): Promise<void> {
    if (this.surveys.has(survey.dossierHash)) throw new ConflictError('already rated');
    this.surveys.set(survey.dossierHash, survey);
    if (comment) this.comments.push(comment);
  }
}

const registry = loadRegistryFile();
const units = new RegistryUnitLookup(registry);
const dossierSecret = async () => TEST_DOSSIER_SECRET;

describe('seedDemoSurveys', () => {
  it('writes a few hundred responses for the demo wards, each resolved on its own date', async () => {
    // Prepare
    const store = new MemorySurveyStore();
    // Act
    const result = await seedDemoSurveys({ units, store, dossierSecret });
    // Assess
    expect(result).toEqual({ written: 360, alreadyThere: 0, unresolved: 0 });
    const surveys = [...store.surveys.values()];
    // Made up for the demo: every one is flagged illustrative.
    expect(surveys.every((s) => s.illustrative === true)).toBe(true);
    const before = surveys.filter((s) => s.date < '2025-07-01');
    const after = surveys.filter((s) => s.date >= '2025-07-01');
    expect(before.length).toBeGreaterThan(100);
    expect(after.length).toBeGreaterThan(50);
    for (const survey of before) expect(registry.get(survey.unitId)?.validTo).toBe('2025-07-01');
    for (const survey of after) expect(registry.get(survey.unitId)?.validFrom).toBe('2025-07-01');
    expect(new Set(before.map((s) => registry.get(s.unitId)?.code))).toEqual(new Set(DEMO_WARDS_BEFORE_2025));
    expect(new Set(after.map((s) => registry.get(s.unitId)?.code))).toEqual(new Set(DEMO_WARDS_FROM_2025));
    expect(before.some((s) => s.unitId === '00097-pre2025')).toBe(true);
    for (const survey of surveys) {
      expect(survey.overall).toBeGreaterThanOrEqual(1);
      expect(survey.overall).toBeLessThanOrEqual(5);
    }
  });

  it('gives every ward its own level of satisfaction', async () => {
    const store = new MemorySurveyStore();
    await seedDemoSurveys({ units, store, dossierSecret });
    const byUnit = new Map<string, number[]>();
    for (const s of store.surveys.values())
      byUnit.set(s.unitId, [...(byUnit.get(s.unitId) ?? []), s.overall >= 4 ? 1 : 0]);
    const shares = [...byUnit.values()].map((v) => v.reduce((a, b) => a + b, 0) / v.length);
    expect(Math.max(...shares) - Math.min(...shares)).toBeGreaterThan(0.2);
  });

  it('is deterministic and idempotent: the same items every time, nothing written twice', async () => {
    // Prepare
    const first = new MemorySurveyStore();
    const second = new MemorySurveyStore();
    // Act
    await seedDemoSurveys({ units, store: first, dossierSecret });
    await seedDemoSurveys({ units, store: second, dossierSecret });
    const rerun = await seedDemoSurveys({ units, store: first, dossierSecret });
    // Assess
    expect([...second.surveys.values()]).toEqual([...first.surveys.values()]);
    expect(second.comments).toEqual(first.comments);
    expect(rerun).toEqual({ written: 0, alreadyThere: 360, unresolved: 0 });
  });

  it('leaves its comments pending and masked, like real ones', async () => {
    const store = new MemorySurveyStore();
    await seedDemoSurveys({ units, store, dossierSecret });
    expect(store.comments.length).toBeGreaterThan(10);
    expect(store.comments.every((c) => c.status === 'pending')).toBe(true);
    expect(store.comments.map((c) => c.text).join('\n')).not.toContain('0912 345 678');
  });

  it('counts wards it cannot resolve instead of failing (units not loaded yet)', async () => {
    const store = new MemorySurveyStore();
    const none = { resolve: async () => undefined, get: async () => undefined };
    const result = await seedDemoSurveys({ units: none, store, dossierSecret, count: 5 });
    expect(result).toEqual({ written: 0, alreadyThere: 0, unresolved: 5 });
  });
});
