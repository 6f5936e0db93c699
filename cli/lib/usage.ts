/**
 * Wrong arguments to a command: the dispatcher prints the message and the command's usage, and exits with 2. Each
 * command group binds its own usage text in a subclass (`AgencyUsageError`, …), whose name says which it is; a
 * single-command CLI (`stats`, `units:import`, `publish:site`) passes its one usage where it throws.
 */
export class UsageError extends Error {
  override readonly name: string;

  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
