/**
 * Build-time failures of the site. They are not domain errors (nothing here answers HTTP): the build script
 * prints their message on one line and exits non-zero.
 */

/** An open-data file is missing, unreadable or not the shape the schemas say. */
export class SiteDataError extends Error {
  override readonly name = 'SiteDataError';
  constructor(
    readonly file: string,
    problem: string,
    options: { readonly cause?: unknown } = {},
  ) {
    super(`${file}: ${problem}`, options.cause === undefined ? undefined : { cause: options.cause });
  }
}

/** The site's configuration (environment) is unusable. */
export class SiteConfigError extends Error {
  override readonly name = 'SiteConfigError';
}
