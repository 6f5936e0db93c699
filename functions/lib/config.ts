/**
 * A function's configuration: the variables CDK sets on it (infra/constructs/handler-function.ts and the stacks),
 * by the same names. Each handler module exports `createHandler(config)`, which reads nothing until the first
 * request; its `handler` export is `createHandler(process.env)`, as Lambda runs it. The local stack builds its
 * handlers from its own object (local/stack.ts), so two stacks in one process never share a setting and nothing
 * writes to `process.env`.
 */
export interface FunctionConfig {
  readonly RECORDS_TABLE?: string;
  readonly STATS_TABLE?: string;
  /** DynamoDB Local (with DYNAMODB_LOCAL_ACCESS_KEY_ID / _SECRET_ACCESS_KEY); unset in AWS. */
  readonly DYNAMODB_ENDPOINT?: string;
  readonly ATTACHMENTS_BUCKET?: string;
  readonly ATTACHMENTS_DIR?: string;
  readonly DOSSIER_HMAC_SECRET?: string;
  readonly RATE_LIMIT_SALT?: string;
  readonly ORIGIN_VERIFY_SECRET?: string;
  readonly CLIENT_ADDRESS_HEADER?: string;
  readonly POWERTOOLS_METRICS_DISABLED?: string;
  readonly [name: string]: string | undefined;
}

/**
 * `build(config)` once per configuration object: the handlers of one configuration share their clients and caches
 * (as one Lambda process does), and another configuration gets its own.
 */
export function perConfig<T>(build: (config: FunctionConfig) => T): (config: FunctionConfig) => T {
  const built = new WeakMap<FunctionConfig, T>();
  return function builtFor(config) {
    let value = built.get(config);
    if (value === undefined) {
      value = build(config);
      built.set(config, value);
    }
    return value;
  };
}
