import { describe, expect, it } from 'vitest';
import { SurveyImageSchema } from '../../../../../shared/stats/contributions.js';
import { MalformedItemError } from '../../../../../shared/storage/items/item.js';
import { SurveyItemSchema, surveyItem } from '../../../../../shared/storage/items/survey.js';
import type { SurveyRecord } from '../../../../../shared/surveys/ports.js';

const record: SurveyRecord = {
  id: '6f1c2a52-3c0e-4a8e-9d55-1f0c7d1e2b3a',
  dossierHash: 'hash-of-the-dossier',
  unitId: '00304',
  date: '2026-11-29',
  ratings: { access: 5, procedures: 4, staff: 5, results: 4, feedback: null },
  overall: 4,
  conduct: { trips: 2, lateness: 'on_time' },
  channel: 'web',
  hasComment: false,
  verified: false,
};

describe('the survey response item', () => {
  it('is built through its schema: the dossier hash in the key only', () => {
    // Act
    const item = surveyItem(record);

    // Assess
    expect(item).toMatchObject({ pk: 'SURVEY#hash-of-the-dossier', sk: 'SURVEY', entity: 'survey', overall: 4 });
    expect(item).not.toHaveProperty('dossierHash');
    expect(SurveyItemSchema.parse(item)).toEqual(item);
  });

  it('refuses to build an item with an attribute its schema does not describe, or out of range', () => {
    // Act / Assess
    expect(() => surveyItem({ ...record, address: 'Hà Nội' } as SurveyRecord)).toThrow(MalformedItemError);
    expect(() => surveyItem({ ...record, overall: 6 })).toThrow(/overall/);
  });

  it('is what the aggregation reads: the counted attributes of the same schema, the others left out', () => {
    // Act
    const image = SurveyImageSchema.parse(surveyItem({ ...record, procedure: 'Cấp giấy phép xây dựng' }));

    // Assess
    expect(image).toEqual({
      entity: 'survey',
      unitId: '00304',
      date: '2026-11-29',
      ratings: record.ratings,
      overall: 4,
      conduct: record.conduct,
      channel: 'web',
      verified: false,
    });
  });
});
