import { UsageError } from './usage.js';

/**
 * The shell of a single-command CLI (`publish:pipeline`, `publish:site`): its arguments parsed with the usage at hand,
 * and its end. Wrong arguments are a UsageError (cli/lib/usage.ts) carrying the usage: printed after the message,
 * exit 2; any other error ends with one line on stderr, exit 1.
 */

/**
 * The parsed arguments, or undefined when `--help` asked for the usage (printed here). `parse` is the command's own
 * `node:util` parseArgs call; what it refuses becomes a UsageError.
 *
 * @example
 * const values = commandArguments(USAGE, () => parseArgs({ args: [...argv], options }).values);
 * if (!values) return;
 */
export function commandArguments<T extends { readonly help?: boolean | undefined }>(
  usage: string,
  parse: () => T,
): T | undefined {
  let values: T;
  try {
    values = parse();
  } catch (error) {
    throw new UsageError((error as Error).message, usage);
  }
  if (values.help) {
    console.log(usage);
    return undefined;
  }
  return values;
}

/** Runs `main` and ends the process as the module comment says; `name` prefixes the error line. */
export function runCommand(name: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`${name}: error: ${message.split('\n')[0]}`);
    if (error instanceof UsageError) console.error(error.usage);
    process.exit(error instanceof UsageError ? 2 : 1);
  });
}
