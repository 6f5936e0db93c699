/**
 * Errors of the statistics. They are not DomainErrors: no HTTP client ever sees them. They say why a stream
 * record could not be counted.
 */

/**
 * A record that cannot be counted however often it is retried: its image does not have its entity's shape, or it
 * names a unit the registry does not know. The stream consumer reports it as failed; after a bounded number of
 * retries the invoker parks it in the dead-letter queue and moves on.
 */
export class InvalidRecordError extends Error {
  override readonly name = 'InvalidRecordError';
  constructor(message: string, options: { readonly cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
}
