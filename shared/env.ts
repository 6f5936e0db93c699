/**
 * The values of environment variables that must all be set (configuration read at start, so a missing one fails
 * at once, not on first use); `message` says which and why when any is missing or empty.
 * @example const { RECORDS_TABLE } = requiredEnv(process.env, ['RECORDS_TABLE'], 'RECORDS_TABLE must be set');
 */
export function requiredEnv<const K extends string>(
  env: NodeJS.ProcessEnv,
  names: readonly K[],
  message: string,
): Record<K, string> {
  const values = {} as Record<K, string>;
  for (const name of names) {
    const value = env[name];
    if (!value) throw new Error(message);
    values[name] = value;
  }
  return values;
}
