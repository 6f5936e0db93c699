import { ConclusionCorrectionSchema, ConclusionInputSchema } from '../../../../shared/conclusions/schemas.js';
import { SummaryCorrectionSchema, SummaryInputSchema } from '../../../../shared/summaries/schemas.js';
import type * as z from '../../../../shared/zod.js';
import type { ConsoleKey } from '../../i18n/console.js';
import { type FormModel, formModel } from '../../lib/console/form-model.js';
import type { Lang } from '../../lib/lang.js';
import { paths } from '../../lib/routes.js';

/**
 * The kinds of record the console publishes, each with its request schemas (the form is drawn from them), its
 * API address and where the published record shows on the site. A kind added to the API is one entry here.
 */

export type RecordTypeName = 'conclusions' | 'summaries';

export interface RequestForm {
  readonly model: FormModel;
  readonly schema: z.ZodMiniType;
}

export interface RecordType {
  readonly name: RecordTypeName;
  readonly create: RequestForm;
  readonly correct: RequestForm;
  /** The API address of the collection (no id) or of one record. */
  readonly api: (id?: string) => string;
  /** The site page that shows the published record. */
  readonly page: (lang: Lang, record: Record<string, unknown>) => { href: string; label: ConsoleKey };
  /** Whether a signed PDF can be attached. */
  readonly attachment: boolean;
}

const form = (schema: z.ZodMiniType): RequestForm => ({ model: formModel(schema), schema });

export const RECORD_TYPES: Readonly<Record<RecordTypeName, RecordType>> = {
  conclusions: {
    name: 'conclusions',
    create: form(ConclusionInputSchema),
    correct: form(ConclusionCorrectionSchema),
    api: (id) => (id === undefined ? '/api/v1/conclusions' : paths.conclusionApi(id)),
    page: (lang, record) => ({ href: paths.conclusion(lang, String(record.id)), label: 'form.recordLink' }),
    attachment: true,
  },
  summaries: {
    name: 'summaries',
    create: form(SummaryInputSchema),
    correct: form(SummaryCorrectionSchema),
    api: (id) => (id === undefined ? '/api/v1/summaries' : paths.summaryApi(id)),
    // A summary is published beside the figures of its jurisdiction, on that unit's page.
    page: (lang, record) => ({ href: paths.unit(lang, String(record.jurisdiction)), label: 'form.unitLink' }),
    attachment: false,
  },
};

/** The kind chosen on the page (the `recordType` radio buttons). */
export function chosenType(): RecordType {
  const value = document.querySelector<HTMLInputElement>('input[name="recordType"]:checked')?.value;
  return value === 'summaries' ? RECORD_TYPES.summaries : RECORD_TYPES.conclusions;
}
