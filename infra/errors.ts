/**
 * Errors of the CDK app: it was asked to build something it cannot. They stop `cdk synth` with a message that
 * names the setting or file to fix, rather than deploying something half-configured.
 */

/** Base of the app's errors. */
export class InfraDefinitionError extends Error {
  override readonly name: string = 'InfraDefinitionError';
}

/** A context value is missing or has a value the app cannot use. */
export class DeploymentConfigError extends InfraDefinitionError {
  override readonly name = 'DeploymentConfigError';
}

/** The route table (or a stack) names a handler file that does not exist: bundling it would fail later, obscurely. */
export class MissingHandlerError extends InfraDefinitionError {
  override readonly name = 'MissingHandlerError';
  constructor(readonly entry: string) {
    super(`handler entry "${entry}" does not exist (relative to the repository root)`);
  }
}

/** A table the app reads a stream from was defined without one (shared/storage/tables.ts). */
export class MissingStreamError extends InfraDefinitionError {
  override readonly name = 'MissingStreamError';
}
