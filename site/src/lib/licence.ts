/**
 * The licence of the published data, in one place (open-data page, footer). Creative Commons Attribution
 * 4.0: the data can be reused by anyone, commercially too, with credit. The code is Apache-2.0 (package.json).
 */
export const DATA_LICENCE = {
  name: 'CC BY 4.0',
  url: 'https://creativecommons.org/licenses/by/4.0/',
  source: { vi: 'Công vụ minh bạch', en: 'Public Service Transparency (Công vụ minh bạch)' },
} as const;
