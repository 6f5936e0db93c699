import { describe, expect, it } from 'vitest';
import { fieldText } from '../../../../site/src/lib/conclusion-text.js';
import { exampleVersion } from './version-fixture.js';

const version = exampleVersion({
  recommendations: [
    { text: { vi: 'Chấn chỉnh việc niêm yết' }, status: 'open', dueOn: '2024-12-31' },
    { text: { vi: 'Kiểm điểm trách nhiệm', en: 'Review responsibility' }, status: 'done' },
  ],
});

describe('fieldText', () => {
  it("writes each recommendation with its follow-up and, when set, its deadline in the reader's language", () => {
    // Act
    const vi = fieldText('recommendations', version, 'vi', (id) => id);
    const en = fieldText('recommendations', version, 'en', (id) => id);

    // Assess
    expect(vi).toBe(
      'Chấn chỉnh việc niêm yết (Chưa thực hiện; Hạn thực hiện 31/12/2024); Kiểm điểm trách nhiệm (Đã thực hiện)',
    );
    expect(en).toContain('; Due on ');
    expect(en).toContain('Review responsibility');
  });
});
