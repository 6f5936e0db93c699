import {
  DISCIPLINE_FORM_LABELS,
  DISCIPLINE_FORMS,
  type DisciplineForm,
  type DisciplineStage,
  type DisciplineTrack,
  type PersonCategory,
} from '../vocabulary.js';

/**
 * Which disciplinary form the law allows, on which track, on which date, for whom (pure; CONTRACT.md "A conclusion",
 * PRODUCT.md "Records"). One definition for every record that carries discipline (conclusions, summaries).
 *
 * State track (administrative discipline): the Law on Cadres and Civil Servants (2008, amended 2019; and 2025), the
 * Law on Public Employees, Decree 112/2020/NĐ-CP and, for decisions from 2025-07-01, Decree 172/2025/NĐ-CP, which
 * leaves civil servants khiển trách, cảnh cáo, cách chức (leaders) and buộc thôi việc: hạ bậc lương and giáng chức
 * exist only for decisions dated before it. Cadres have khiển trách, cảnh cáo, cách chức and bãi nhiệm; public
 * employees khiển trách, cảnh cáo, cách chức (managers) and buộc thôi việc (never hạ bậc lương nor giáng chức).
 *
 * Party track: Quy định 69-QĐ/TW (2022): Party members get khiển trách, cảnh cáo, cách chức, khai trừ; Party
 * organizations khiển trách, cảnh cáo, giải tán.
 *
 * Organizations: state discipline is of persons (each law above names cadres, civil servants or public employees
 * as its subject; an agency's failings are handled through its head's responsibility, which is a person's
 * discipline), so no state form applies to an organization. Only Party discipline has forms for organizations
 * (Quy định 69-QĐ/TW, art. 7: khiển trách, cảnh cáo, giải tán), and giải tán applies to nothing else.
 */

/** The first day of Decree 172/2025/NĐ-CP: decisions dated from it cannot be hạ bậc lương or giáng chức. */
export const DECREE_172_IN_FORCE_FROM = '2025-07-01';

/** Forms abolished from DECREE_172_IN_FORCE_FROM (state track). */
export const FORMS_ABOLISHED_2025: readonly DisciplineForm[] = ['salary_demotion', 'demotion'];

/** Forms that exist only in Party discipline: an entry giving one without a track is read as Party discipline. */
export const PARTY_ONLY_FORMS: readonly DisciplineForm[] = ['expulsion', 'dissolution'];

/** The forms of each track (any date): the state track has every form but the Party's own. */
export const TRACK_FORMS: Record<DisciplineTrack, readonly DisciplineForm[]> = {
  state: DISCIPLINE_FORMS.filter((form) => !PARTY_ONLY_FORMS.includes(form)),
  party: ['reprimand', 'warning', 'dismissal', 'expulsion', 'dissolution'],
};

/** The forms an organization can receive, per track (see the module comment). */
export const ORGANIZATION_FORMS: Record<DisciplineTrack, readonly DisciplineForm[]> = {
  state: [],
  party: ['reprimand', 'warning', 'dissolution'],
};

/** Forms that only organizations can receive (giải tán). */
export const ORGANIZATION_ONLY_FORMS: readonly DisciplineForm[] = ['dissolution'];

/**
 * State forms by person category. Người lao động (labour contracts) are disciplined under the Labour Code, whose
 * forms (khiển trách, kéo dài thời hạn nâng lương, cách chức, sa thải) are not this vocabulary's: not checked.
 */
const CATEGORY_FORMS: Partial<Record<PersonCategory, readonly DisciplineForm[]>> = {
  cadre: ['reprimand', 'warning', 'dismissal', 'removal_from_office'],
  civil_servant: ['reprimand', 'warning', 'salary_demotion', 'demotion', 'dismissal', 'forced_resignation'],
  public_employee: ['reprimand', 'warning', 'dismissal', 'forced_resignation'],
};

/** State forms that only a person holding a leading or managing post can receive (giáng chức, cách chức). */
const LEADER_ONLY_STATE_FORMS: readonly DisciplineForm[] = ['demotion', 'dismissal'];

/** What a discipline entry says of itself (a conclusion's entry, a summary's figure). */
export interface DisciplineFacts {
  readonly form: DisciplineForm;
  readonly organizations?: number;
  readonly individuals?: number;
  readonly track?: DisciplineTrack;
  readonly stage?: DisciplineStage;
  readonly decidedOn?: string;
  readonly category?: PersonCategory;
  readonly leader?: boolean;
}

/** The track of an entry: as given; without one, Party for khai trừ and giải tán, state otherwise. */
export function trackOf(entry: Pick<DisciplineFacts, 'form' | 'track'>): DisciplineTrack {
  return entry.track ?? (PARTY_ONLY_FORMS.includes(entry.form) ? 'party' : 'state');
}

/** The stage of an entry: as given, `decided` without one. */
export function stageOf(entry: Pick<DisciplineFacts, 'stage'>): DisciplineStage {
  return entry.stage ?? 'decided';
}

/** The date whose law applies: the decision's (`decidedOn`), else the document's. */
export function lawDateOf(entry: Pick<DisciplineFacts, 'decidedOn'>, issuedOn: string): string {
  return entry.decidedOn ?? issuedOn;
}

/** The forms of a track that decisions dated `date` may take. */
export function formsInForce(track: DisciplineTrack, date: string): readonly DisciplineForm[] {
  const forms = TRACK_FORMS[track];
  return track === 'state' && date >= DECREE_172_IN_FORCE_FROM
    ? forms.filter((form) => !FORMS_ABOLISHED_2025.includes(form))
    : forms;
}

/** A breach of the law by an entry: the field (relative to the entry) and why. */
export interface DisciplineIssue {
  readonly field: 'form' | 'organizations' | 'individuals' | 'decidedOn' | 'category' | 'leader';
  readonly message: string;
}

const name = (form: DisciplineForm) => `${DISCIPLINE_FORM_LABELS[form].vi} (${form})`;

/**
 * Every way an entry breaks the law in force on its date (empty when it does not).
 * @example disciplineIssues({ form: 'salary_demotion', individuals: 1 }, '2025-08-01')[0].field // 'form'
 */
export function disciplineIssues(entry: DisciplineFacts, issuedOn: string): DisciplineIssue[] {
  const issues: DisciplineIssue[] = [];
  const track = trackOf(entry);
  const date = lawDateOf(entry, issuedOn);
  if (!TRACK_FORMS[track].includes(entry.form)) {
    issues.push({
      field: 'form',
      message:
        track === 'state'
          ? `${name(entry.form)} is Party discipline, not a form of state discipline; give track "party"`
          : `${name(entry.form)} is not a form of Party discipline (Quy định 69-QĐ/TW)`,
    });
  } else if (!formsInForce(track, date).includes(entry.form)) {
    issues.push({
      field: 'form',
      message: `${name(entry.form)} does not exist for decisions dated from ${DECREE_172_IN_FORCE_FROM} (Decree 172/2025/NĐ-CP); this one is dated ${date}`,
    });
  }
  if ((entry.organizations ?? 0) > 0 && !ORGANIZATION_FORMS[track].includes(entry.form)) {
    issues.push({
      field: 'organizations',
      message:
        track === 'state'
          ? 'state discipline is of persons: no organization can receive it (Party organizations: give track "party")'
          : `${name(entry.form)} is not a Party discipline of organizations (only khiển trách, cảnh cáo, giải tán)`,
    });
  }
  if ((entry.individuals ?? 0) > 0 && ORGANIZATION_ONLY_FORMS.includes(entry.form)) {
    issues.push({ field: 'individuals', message: `${name(entry.form)} applies to organizations only` });
  }
  if (entry.decidedOn !== undefined && stageOf(entry) === 'recommended') {
    issues.push({ field: 'decidedOn', message: 'a recommended discipline has no decision date yet (stage "decided")' });
  }
  if ((entry.category !== undefined || entry.leader !== undefined) && (entry.organizations ?? 0) > 0) {
    issues.push({
      field: entry.category !== undefined ? 'category' : 'leader',
      message: 'a person category describes individuals: give organizations in an entry of their own',
    });
  }
  if (track === 'state' && issues.every((issue) => issue.field !== 'form')) {
    const allowed = entry.category ? CATEGORY_FORMS[entry.category] : undefined;
    if (allowed && !allowed.includes(entry.form)) {
      issues.push({ field: 'form', message: `${name(entry.form)} is not a discipline of ${entry.category}s` });
    } else if (entry.leader === false && LEADER_ONLY_STATE_FORMS.includes(entry.form) && entry.category !== 'cadre') {
      issues.push({
        field: 'form',
        message: `${name(entry.form)} applies only to holders of a leading or managing post`,
      });
    }
  }
  return issues;
}
