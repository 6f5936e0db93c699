/**
 * The largest request bodies (CONTRACT.md: more is 413). Apart from the schemas, with no zod, so the route table
 * (functions/routes.ts), which every handler reads for its body's limits, does not bring every route's schemas into
 * every Lambda (issue #15). The schema modules re-export them beside their schemas.
 */

/** Largest body of a conclusion request. */
export const CONCLUSION_MAX_BODY_BYTES = 256 * 1024;
/** Largest attached PDF. */
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
/** Largest body of a summary request (as for conclusions). */
export const SUMMARY_MAX_BODY_BYTES = 256 * 1024;
/** Largest report body: a report is a few hundred bytes. */
export const REPORT_MAX_BODY_BYTES = 16 * 1024;
/**
 * Largest survey body: a 1,000-character Vietnamese comment is up to 9 bytes a character once form-encoded (3 UTF-8
 * bytes, each `%XX`), so 16 KiB holds the longest honest form post with room to spare.
 */
export const SURVEY_MAX_BODY_BYTES = 16 * 1024;
