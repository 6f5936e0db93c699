/**
 * Every key of both tables is built here, next to the access patterns it serves. Items also carry an `entity`
 * attribute naming what they are, so the stream consumer can pick the ones that move figures
 * (`conclusion`, `survey`, `report`) and ignore the rest.
 *
 * records table (pk / sk; gsi1pk / gsi1sk)
 * | entity              | pk                          | sk            | gsi1pk / gsi1sk                     | serves                               |
 * |---------------------|-----------------------------|---------------|-------------------------------------|--------------------------------------|
 * | unit                | UNIT#<id>                   | UNIT          | UNITCODE#<code> / <validFrom>#<id>  | unit by id; unit by code on a date   |
 * | unit-manifest       | UNITS                       | MANIFEST      |                                     | what the last unit import wrote      |
 * | agency              | AGENCY#<id>                 | AGENCY        | AGENCIES / <id>                     | agency by id; list agencies          |
 * | agency-key          | AGENCY#<id>                 | KEY#<thumb>   |                                     | an agency's keys (Query on pk)       |
 * | replay-marker       | JTI#<iss>#<jti>             | JTI           |                                     | refuse a replayed token (TTL)        |
 * | conclusion          | CONCLUSION#<id>             | CURRENT       | CONCLUSIONS / <issuedOn>#<id>       | current version; list all (export)   |
 * | conclusion-version  | CONCLUSION#<id>             | V#<000001>    |                                     | history (Query on pk, sk V#)         |
 * | summary             | SUMMARY#<id>                | CURRENT       | SUMMARIES / <to>#<id>               | current version; list all (export)   |
 * | summary-version     | SUMMARY#<id>                | V#<000001>    |                                     | history (Query on pk, sk V#)         |
 * | report              | REPORT#<unitId>#<YYYY-MM>   | AGENCY#<id>   | REPORTS / <YYYY-MM>#<unitId>#<id>   | one report per agency, unit, month   |
 * | survey              | SURVEY#<dossierHash>        | SURVEY        |                                     | one response per dossier (condition) |
 * | comment             | COMMENT#<id>                | COMMENT       | COMMENTS#<status> / <date>#<id>     | comment by id; moderation queue      |
 * | refusal-count       | REFUSED#<date>              | REFUSED       | REFUSALS / <date>                   | refused surveys per day (integrity)  |
 * | signed-body         | BODY#<sha256 hex>           | BODY          |                                     | exact bytes of a signed request      |
 * | (sections below add their own rows)                                                                                            |
 *
 * stats table (pk / sk)
 * | entity         | pk                                   | sk       | serves                                                   |
 * |----------------|--------------------------------------|----------|----------------------------------------------------------|
 * | counter        | FIG#<scope>#<month>#<shard>          | FIG      | one shard of a month's counters (ADD); Scan for exports  |
 * | counter        | FIG#<scope>#<year or quarter>#own#<shard> | FIG | reports of a whole quarter or year (stored layout)     |
 * | applied-set    | APPLIED#<window>#<0..3>              | APPLIED  | tokens of stream records applied (condition; TTL)        |
 * | dirty          | META#dirty                           | META     | `version` (ADD per applied batch) vs `builtVersion`      |
 * | publish-lock   | META#publish-lock                    | META     | the one publisher publishing now (conditional lease)     |
 * | hourly-count   | HOURS#<unit id>                      | <hour>   | a unit's responses per Vietnam hour (ADD; TTL): spikes   |
 * | spike          | SPIKES                               | <hour>#<unit id> | flagged spikes and their review (Query)          |
 * | log-head       | LOG#HEAD                             | LOG      | the transparency log's size (condition of every append)  |
 * | log-entry      | LOG#ENTRIES                          | <index>  | entry bytes in log order (Query = the whole log)         |
 * | log-key        | LOG#KEY#<type>#<id>#<version>        | LOG      | one entry per published version (condition)              |
 * | rate-bucket    | RATE#<bucketHash>                    | RATE     | a client's survey count in one minute (ADD; TTL)         |
 * (the statistics section documents its rows)
 */

export const ENTITY_ATTRIBUTE = 'entity';

/**
 * The partition-key prefix of each kind of item of the records table (the table above). IAM grants name them
 * (`dynamodb:LeadingKeys`, infra/constructs/table-access.ts), so a route's role can write its own kinds of item and
 * nothing else; every key builder below starts its `pk` with one of these (test/unit/shared/storage/keys.test.ts).
 */
export const RECORDS_PARTITIONS = {
  unit: 'UNIT#',
  agency: 'AGENCY#',
  'replay-marker': 'JTI#',
  conclusion: 'CONCLUSION#',
  summary: 'SUMMARY#',
  report: 'REPORT#',
  survey: 'SURVEY#',
  comment: 'COMMENT#',
  refusal: 'REFUSED#',
  'signed-body': 'BODY#',
} as const;

/** A kind of item of the records table, by its partition (an agency's keys share `agency`, versions their document's). */
export type RecordsPartition = keyof typeof RECORDS_PARTITIONS;

/**
 * The partition-key prefixes of the stats table's items that a route may write (functions/routes.ts): the survey
 * function's rate-limit counters and nothing else of the table, whose other items (counters, markers, the log, the
 * dirty marker, the publish lock) only the aggregation, the log appender and the publishers write. No other key of
 * the stats table starts with one of these (test/unit/shared/storage/keys.test.ts).
 */
export const STATS_PARTITIONS = {
  'rate-bucket': 'RATE#',
} as const;

/** A kind of item of the stats table that a route may be granted writes of. */
export type StatsPartition = keyof typeof STATS_PARTITIONS;

// Units ------------------------------------------------------------------------------------------------------------
// A unit is one item under its id (`unit by id`). Its code and start date go in gsi1, so one Query on the code
// returns every unit that ever had it (at most two: `00097-pre2025` and `00097`), oldest first, and the one in
// force on a date is picked by its validity. Units of the 2025-03-01 list have no start date (validFrom null):
// they sort first, as 0000-00-00.

export const UNIT_ENTITY = 'unit';
export const UNIT_MANIFEST_ENTITY = 'unit-manifest';

/** Primary key of a unit: `UNIT#00304` / `UNIT`. */
export function unitKey(id: string): { pk: string; sk: string } {
  return { pk: `UNIT#${id}`, sk: 'UNIT' };
}

/** gsi1 key of a unit, for lookups by code: `UNITCODE#00097` / `2025-07-01#00097`. */
export function unitCodeIndexKey(
  code: string,
  validFrom: string | null,
  id: string,
): { gsi1pk: string; gsi1sk: string } {
  return { gsi1pk: unitCodePartition(code), gsi1sk: `${validFrom ?? '0000-00-00'}#${id}` };
}

/** gsi1 partition of every version of a code. */
export function unitCodePartition(code: string): string {
  return `UNITCODE#${code}`;
}

/** The one item that records what the last unit import wrote (count and digest), read at start-up. */
export function unitManifestKey(): { pk: string; sk: string } {
  return { pk: 'UNITS', sk: 'MANIFEST' };
}
// End of Units -----------------------------------------------------------------------------------------------------

// Agencies ---------------------------------------------------------------------------------------------------------
// An agency and its keys share a partition, so one Query reads everything needed to verify a request.
// | item          | attributes                                                                                     |
// |---------------|------------------------------------------------------------------------------------------------|
// | agency        | id, name, jurisdiction (codes as given), jurisdictionUnitIds (resolved ids), status, createdAt |
// | agency-key    | agencyId, thumbprint (RFC 7638), jwk (public Ed25519), status active|revoked, createdAt, revokedAt |
// | replay-marker | agencyId, jti, expiresAt (TTL, epoch s). Written in the same transaction as the record write    |
// |               | (condition attribute_not_exists), or alone on the idempotent "same content" path: a replay     |
// |               | fails that condition and gets 401, and a refused request writes no marker.                     |

export const AGENCY_ENTITY = 'agency';
export const AGENCY_KEY_ENTITY = 'agency-key';
export const REPLAY_MARKER_ENTITY = 'replay-marker';
export const AGENCIES_PARTITION = 'AGENCIES';

/** The partition of an agency and its keys: `AGENCY#hanoi-dktcv`. */
export function agencyPartition(agencyId: string): string {
  return `AGENCY#${agencyId}`;
}

/** Primary key of an agency: `AGENCY#<id>` / `AGENCY`. */
export function agencyKey(agencyId: string): { pk: string; sk: string } {
  return { pk: agencyPartition(agencyId), sk: 'AGENCY' };
}

/** gsi1 key of an agency, for listing every agency in id order. */
export function agencyIndexKey(agencyId: string): { gsi1pk: string; gsi1sk: string } {
  return { gsi1pk: AGENCIES_PARTITION, gsi1sk: agencyId };
}

/** Primary key of one of an agency's keys: `AGENCY#<id>` / `KEY#<thumbprint>`. */
export function agencyKeyKey(agencyId: string, thumbprint: string): { pk: string; sk: string } {
  return { pk: agencyPartition(agencyId), sk: `KEY#${thumbprint}` };
}

/** Primary key of a replay marker: `JTI#<iss>#<jti>` / `JTI`. */
export function replayMarkerKey(agencyId: string, jti: string): { pk: string; sk: string } {
  return { pk: `JTI#${agencyId}#${jti}`, sk: 'JTI' };
}
// End of Agencies --------------------------------------------------------------------------------------------------

// Conclusions ------------------------------------------------------------------------------------------------------
// The attributes of `conclusion` (CURRENT) and `conclusion-version`: shared/storage/items/conclusion.ts, their one
// description. Corrections and retractions MODIFY the CURRENT item (the aggregation takes the old image out and puts
// the new one in); a retraction keeps the last content with status `retracted`; versions are kept for ever.
// Writes: one TransactWriteItems puts CURRENT (condition: absent, or the expected version), the new V# item
// (condition: absent) and the replay marker (condition: absent), so racing writers never lose or double a version.

export const CONCLUSION_ENTITY = 'conclusion';
export const CONCLUSION_VERSION_ENTITY = 'conclusion-version';
export const CONCLUSIONS_PARTITION = 'CONCLUSIONS';
export const CONCLUSION_PREFIX = 'CONCLUSION';
/** Where the versioned layout (versioned-repository.ts) files conclusions. */
export const CONCLUSION_NAMES: VersionedNames = {
  prefix: CONCLUSION_PREFIX,
  entity: CONCLUSION_ENTITY,
  versionEntity: CONCLUSION_VERSION_ENTITY,
};

/** gsi1 key of a conclusion's CURRENT item: every conclusion, by date issued (the export lists them with it). */
export function conclusionIndexKey(id: string, issuedOn: string): { gsi1pk: string; gsi1sk: string } {
  return { gsi1pk: CONCLUSIONS_PARTITION, gsi1sk: `${issuedOn}#${id}` };
}
// End of Conclusions -----------------------------------------------------------------------------------------------

// Versioned documents ------------------------------------------------------------------------------------------
// Conclusions and summary reports share one layout (shared/storage/versioned-repository.ts): the CURRENT item and
// one item per version under `<PREFIX>#<id>`, the version's sort key zero-padded so versions sort numerically.

export const VERSION_PREFIX = 'V#';

/** The names one type of versioned document is filed under: `<prefix>#<id>`, and its items' entities. */
export interface VersionedNames {
  readonly prefix: string;
  /** The entity of the CURRENT item (what the stream consumer picks), and of the version items. */
  readonly entity: string;
  readonly versionEntity: string;
}

/** Primary key of a document's current state: `CONCLUSION#<id>` / `CURRENT`. */
export function versionedCurrentKey(prefix: string, id: string): { pk: string; sk: string } {
  return { pk: `${prefix}#${id}`, sk: 'CURRENT' };
}

/** Primary key of one version: `SUMMARY#<id>` / `V#000003`. */
export function versionedVersionKey(prefix: string, id: string, version: number): { pk: string; sk: string } {
  return { pk: `${prefix}#${id}`, sk: `${VERSION_PREFIX}${String(version).padStart(6, '0')}` };
}
// End of Versioned documents ---------------------------------------------------------------------------------------

// Summaries --------------------------------------------------------------------------------------------------------
// The attributes of `summary` (CURRENT) and `summary-version`: shared/storage/items/summary.ts. Corrections and
// retractions MODIFY the CURRENT item.
// Summaries move no counter (they are published beside the counted figures, never added): the stream consumer
// only marks the site dirty when one changes, and the export reads them from gsi1 `SUMMARIES`.

export const SUMMARY_ENTITY = 'summary';
export const SUMMARY_VERSION_ENTITY = 'summary-version';
export const SUMMARIES_PARTITION = 'SUMMARIES';
export const SUMMARY_PREFIX = 'SUMMARY';
/** Where the versioned layout (versioned-repository.ts) files summary reports. */
export const SUMMARY_NAMES: VersionedNames = {
  prefix: SUMMARY_PREFIX,
  entity: SUMMARY_ENTITY,
  versionEntity: SUMMARY_VERSION_ENTITY,
};

/** gsi1 key of a summary's CURRENT item: every summary, by the end of its span (the export lists them). */
export function summaryIndexKey(id: string, to: string): { gsi1pk: string; gsi1sk: string } {
  return { gsi1pk: SUMMARIES_PARTITION, gsi1sk: `${to}#${id}` };
}
// End of Summaries -------------------------------------------------------------------------------------------------

// Reports ----------------------------------------------------------------------------------------------------------
// The attributes of `report`: shared/storage/items/report.ts (the figures flat, as the aggregation sums them).
// One item per (agency, unit, month): the same content again is idempotent, different content is a conflict
// unless sent as a correction (PUT with If-Match), which MODIFIES the same item.

export const REPORT_ENTITY = 'report';
export const REPORTS_PARTITION = 'REPORTS';

/** Primary key of a report: `REPORT#<unitId>#<YYYY-MM>` / `AGENCY#<agencyId>`. */
export function reportKey(unitId: string, month: string, agencyId: string): { pk: string; sk: string } {
  return { pk: `REPORT#${unitId}#${month}`, sk: `AGENCY#${agencyId}` };
}

/** gsi1 key of a report: every report, by month (the export lists them with it). */
export function reportIndexKey(unitId: string, month: string, agencyId: string): { gsi1pk: string; gsi1sk: string } {
  return { gsi1pk: REPORTS_PARTITION, gsi1sk: `${month}#${unitId}#${agencyId}` };
}
// End of Reports ---------------------------------------------------------------------------------------------------

// Surveys ----------------------------------------------------------------------------------------------------------
// The contract with the statistics (the stream consumer counts `survey` items; nothing else of this section moves a
// figure). Nothing here identifies a person: no dossier code, address, user agent or time of day is stored.
// The attributes of `survey` and `comment`: shared/storage/items/survey.ts and comment.ts, their one description.
// A survey is written once (condition attribute_not_exists(pk)), never modified: the dossier hash in the key is what
// makes "one response per dossier" atomic. A comment is put in the same transaction as its survey and not linked to
// it; only `approved` comments are ever published.
// The survey's rate-limit counter (`rate-bucket`) is in the stats table (below), counted in the survey's own
// transaction, which spans both tables.

export const SURVEY_ENTITY = 'survey';
export const COMMENT_ENTITY = 'comment';

/** Primary key of a survey response: `SURVEY#<dossierHash>` / `SURVEY`. */
export function surveyKey(dossierHash: string): { pk: string; sk: string } {
  return { pk: `SURVEY#${dossierHash}`, sk: 'SURVEY' };
}

/** Primary key of a comment: `COMMENT#<id>` / `COMMENT`. */
export function commentKey(id: string): { pk: string; sk: string } {
  return { pk: `COMMENT#${id}`, sk: 'COMMENT' };
}

/** gsi1 partition of the comments in one moderation status: `COMMENTS#pending`. */
export function commentStatusPartition(status: string): string {
  return `COMMENTS#${status}`;
}

/** gsi1 key of a comment: its status queue, oldest first (`2025-05-12#<id>`). */
export function commentIndexKey(status: string, submittedAt: string, id: string): { gsi1pk: string; gsi1sk: string } {
  return { gsi1pk: commentStatusPartition(status), gsi1sk: `${submittedAt}#${id}` };
}

// Refused submissions (integrity statistics): one item per Vietnam day, one attribute per reason (ADD 1 per refusal),
// nothing else: no address, no content, no time finer than the day. Its writes are bounded by the survey route's
// stage limit (20/s, burst 40), far below a partition's 1,000 writes/s, so the day needs no shards; gsi1 lists
// every day for the export (its one partition gets the same few writes).
export const REFUSAL_ENTITY = 'refusal-count';
export const REFUSALS_PARTITION = 'REFUSALS';

/** Primary key of a day's refusal counts: `REFUSED#2026-11-29` / `REFUSED`. */
export function refusalKey(date: string): { pk: string; sk: string } {
  return { pk: `REFUSED#${date}`, sk: 'REFUSED' };
}

/** gsi1 key of a day's refusal counts: every day, in date order (the export reads them with it). */
export function refusalIndexKey(date: string): { gsi1pk: string; gsi1sk: string } {
  return { gsi1pk: REFUSALS_PARTITION, gsi1sk: date };
}
// End of Surveys ---------------------------------------------------------------------------------------------------

// Statistics (stats table) -----------------------------------------------------------------------------------------
// Counters: one bucket (a scope `U#<unit id>` or `A#<agency id>` × a period `2024`, `2024-Q2`, `2024-05`) is spread
// over 1..n shards, the shard in the partition key: DynamoDB's 1,000 WCU limit is per partition, so shards that
// shared a partition key would share that limit. A reader sums the shards (Scan for the export, verify, rebuild).
// Applied sets: exactly-once application of the stream (shared/stats/aggregate.ts): the tokens of the records
// created in a 10-second window, spread over 4 items, kept a few days past the stream's 24-hour retention, then
// expired by TTL. Dirty: the one item the site builders compare (infra relies on it).

export const COUNTER_ENTITY = 'counter';
export const APPLIED_SET_ENTITY = 'applied-set';
export const COUNTER_PREFIX = 'FIG#';
export const COUNTER_SORT_KEY = 'FIG';

/**
 * The marker of a quarter's or a year's counter item in the stored layout (shared/stats/counters.ts, storedLayout):
 * it holds only the records of that whole period. Items of the earlier layout, `FIG#<scope>#<year>#<shard>`, held
 * everything in the year: readers ignore them and `stats rebuild` deletes them (docs/statistics.md, "Capacity").
 */
export const OWN_PERIOD_MARKER = 'own';

/**
 * Primary key of one shard of a stored bucket's counters: `FIG#U#00304#2024-05#0` for a month,
 * `FIG#U#00304#2024-Q2#own#0` for a quarter or a year / `FIG`.
 */
export function counterKey(scope: string, period: string, shard: number): { pk: string; sk: string } {
  const own = period.length === 7 && !period.includes('Q') ? '' : `#${OWN_PERIOD_MARKER}`;
  return { pk: `${COUNTER_PREFIX}${scope}#${period}${own}#${shard}`, sk: COUNTER_SORT_KEY };
}

/** Primary key of an applied set: `APPLIED#1716200000#3` / `APPLIED`. */
export function appliedSetKey(set: string): { pk: string; sk: string } {
  return { pk: `APPLIED#${set}`, sk: 'APPLIED' };
}

// Spikes (integrity): a unit's survey responses per Vietnam hour, written in the aggregation's exactly-once
// transactions (an item per unit and hour, ADD; expired by TTL after the baseline it serves), and the spikes
// flagged from them, all in one partition (a handful a year) that the export and the admin CLI query.
export const HOURLY_ENTITY = 'hourly-count';
export const SPIKE_ENTITY = 'spike';
export const SPIKES_PARTITION = 'SPIKES';

/** A unit's responses in one hour: `HOURS#00301` / `2026-11-29T14` (a Query on the unit reads its baseline). */
export function hourlyKey(unitId: string, hour: string): { pk: string; sk: string } {
  return { pk: `HOURS#${unitId}`, sk: hour };
}

/** A flagged spike: `SPIKES` / `2026-11-29T14#00301`. */
export function spikeKey(unitId: string, hour: string): { pk: string; sk: string } {
  return { pk: SPIKES_PARTITION, sk: `${hour}#${unitId}` };
}

// Rate-limit buckets (the survey function's, shared/storage/rate-limit-repository.ts):
// | item        | attributes                                                                                      |
// |-------------|-------------------------------------------------------------------------------------------------|
// | rate-bucket | count (ADD 1 per request), expiresAt (TTL, epoch s). The key is HMAC(salt, window, client), a   |
// |             | new unlinkable key every 60-second window.                                                     |
// Here rather than in the records table: they are guards, not records, so they stay off the records stream (which
// the aggregation and the log appender read: a counter there was a stream record per survey for both to skip), and
// DynamoDB Local runs the survey's transaction at about two thirds of the engine time (docs/benchmarks.md,
// 2026-11-30 06:50–07:40). The readers of this table scan counters by their `FIG#` prefix only (export-reader.ts).

export const RATE_BUCKET_ENTITY = 'rate-bucket';

/** Primary key of a rate-limit bucket: `RATE#<bucketHash>` / `RATE`. */
export function rateBucketKey(bucket: string): { pk: string; sk: string } {
  return { pk: `${STATS_PARTITIONS['rate-bucket']}${bucket}`, sk: 'RATE' };
}

/** The dirty item: `version` incremented by every applied batch, `builtVersion` set by whoever rebuilt the site. */
export function dirtyKey(): { pk: string; sk: string } {
  return { pk: 'META#dirty', sk: 'META' };
}

// Publish lock: one item whose `owner`, `holder` and `leaseUntil` (epoch ms) say which publisher (the site-publisher
// function or the CodeBuild build) may export, build and publish the site now (shared/publishing/publish-lock.ts).
// Its own partition, so IAM grants the publishers writes of this item alone (dynamodb:LeadingKeys).
export const PUBLISH_LOCK_ENTITY = 'publish-lock';
export const PUBLISH_LOCK_PARTITION = 'META#publish-lock';

/** The publish lock's item: `META#publish-lock` / `META`. */
export function publishLockKey(): { pk: string; sk: string } {
  return { pk: PUBLISH_LOCK_PARTITION, sk: 'META' };
}
// End of Statistics ------------------------------------------------------------------------------------------------

// Signed requests -------------------------------------------------------------------------------------------------
// | item        | attributes                                                                                       |
// |-------------|--------------------------------------------------------------------------------------------------|
// | signed-body | sha256 (hex), bytes (binary): the exact body of an accepted agency request, stored once per hash |
// |             | in the transaction of the version it made (unconditional: the same hash is the same bytes).     |

export const SIGNED_BODY_ENTITY = 'signed-body';

/** Primary key of a signed request's body: `BODY#<sha256 hex>` / `BODY`. */
export function signedBodyKey(sha256Hex: string): { pk: string; sk: string } {
  return { pk: `BODY#${sha256Hex}`, sk: 'BODY' };
}
// End of Signed requests ------------------------------------------------------------------------------------------

// Transparency log (stats table) ------------------------------------------------------------------------------------
// The log is derived from the records stream like the counters, so it lives in the table without a stream.
// | item      | attributes                                                                                         |
// |-----------|----------------------------------------------------------------------------------------------------|
// | log-head  | size: the number of entries. Every append is one transaction: head size n → n+1 (condition size = n), |
// |           | entry n (condition absent), key of its version (condition absent). So entries are numbered        |
// |           | 0, 1, 2… without gaps, in one order, and a version is appended at most once however often the      |
// |           | stream delivers it and however many appenders race.                                                |
// | log-entry | index, entry (the UTF-8 JSON, as hashed into the tree), type, id, version. Never updated.          |
// | log-key   | index: where the version's entry is.                                                               |

export const LOG_HEAD_ENTITY = 'log-head';
export const LOG_ENTRY_ENTITY = 'log-entry';
export const LOG_KEY_ENTITY = 'log-key';
export const LOG_ENTRIES_PARTITION = 'LOG#ENTRIES';

/** The head of the log: `LOG#HEAD` / `LOG`. */
export function logHeadKey(): { pk: string; sk: string } {
  return { pk: 'LOG#HEAD', sk: 'LOG' };
}

/** Entry `index`: `LOG#ENTRIES` / `000000000042` (zero-padded, so a Query returns the log in order). */
export function logEntryKey(index: number): { pk: string; sk: string } {
  return { pk: LOG_ENTRIES_PARTITION, sk: String(index).padStart(12, '0') };
}

/** The key of a published version in the log: `LOG#KEY#conclusion#<id>#3` / `LOG`. */
export function logVersionKey(type: string, id: string, version: number): { pk: string; sk: string } {
  return { pk: `LOG#KEY#${type}#${id}#${version}`, sk: 'LOG' };
}
// End of Transparency log -------------------------------------------------------------------------------------------
