import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type DeploymentConfig, REPOSITORY_ROOT, readDeploymentConfig } from '../../../infra/config.js';
import { type AppStacks, type DefineAppOptions, defineApp } from '../../../infra/define-app.js';

/**
 * Builds CDK apps for the infrastructure tests exactly as `cdk synth` does: the context of cdk.json (feature
 * flags included) plus the test's own. Nothing reaches AWS; bundling runs offline with the local esbuild.
 */

/** The context of cdk.json, so the tests run under the same feature flags as `cdk synth`. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'cdk.json'), 'utf8')) as { context?: object };
  return { ...cdkJson.context };
}

/** A new App with cdk.json's context and the given overrides. */
export function testApp(context: Record<string, unknown> = {}): App {
  return new App({ context: { ...cdkJsonContext(), ...context } });
}

/** The deployment settings for a stage, read the way the app reads them (no CLI account or region). */
export function testConfig(context: Record<string, unknown> = {}): { app: App; config: DeploymentConfig } {
  const app = testApp(context);
  return { app, config: readDeploymentConfig(app.node, {}) };
}

export interface SynthesizedApp extends AppStacks {
  readonly app: App;
  template(stack: Stack): Template;
}

/** The whole app for a stage, synthesized once (call in `beforeAll`: bundling takes seconds). */
export function synthesizeApp(context: Record<string, unknown> = {}, options: DefineAppOptions = {}): SynthesizedApp {
  const app = testApp(context);
  const stacks = defineApp(app, options);
  app.synth();
  const templates = new Map<Stack, Template>();
  return {
    ...stacks,
    app,
    template(stack) {
      let template = templates.get(stack);
      if (!template) {
        template = Template.fromStack(stack);
        templates.set(stack, template);
      }
      return template;
    },
  };
}

/** A CloudFormation value flattened for reading: `{Ref: X}` → `<X>`, joins concatenated, other stacks' values by name. */
export function flat(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(flat).join(',');
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const join = record['Fn::Join'];
    if (Array.isArray(join)) return (join[1] as unknown[]).map(flat).join(String(join[0]));
    if ('Ref' in record) return `<${flat(record.Ref)}>`;
    if ('Fn::GetAtt' in record) return `<${flat(record['Fn::GetAtt'])}>`;
    if ('Fn::ImportValue' in record) return `<import:${flat(record['Fn::ImportValue'])}>`;
    const output = record['Fn::GetStackOutput'] as { StackName?: unknown; OutputName?: unknown } | undefined;
    if (output) return `<output:${flat(output.StackName)}.${flat(output.OutputName)}>`;
    if ('Fn::Sub' in record) return flat(record['Fn::Sub']);
  }
  return JSON.stringify(value);
}

/** One Allow or Deny statement of an identity policy, with the construct that holds it. */
export interface FoundStatement {
  readonly stack: string;
  readonly logicalId: string;
  readonly effect: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly condition: unknown;
}

/** Every statement of every identity policy (AWS::IAM::Policy, role inline policies, managed policies). */
export function identityStatements(stacks: readonly Stack[]): FoundStatement[] {
  const found: FoundStatement[] = [];
  for (const stack of stacks) {
    const resources = Template.fromStack(stack).toJSON().Resources as Record<
      string,
      { Type: string; Properties?: Record<string, unknown> }
    >;
    for (const [logicalId, resource] of Object.entries(resources)) {
      const documents: unknown[] = [];
      if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') {
        documents.push(resource.Properties?.PolicyDocument);
      }
      if (resource.Type === 'AWS::IAM::Role') {
        const inline = (resource.Properties?.Policies ?? []) as { PolicyDocument: unknown }[];
        documents.push(...inline.map((policy) => policy.PolicyDocument));
      }
      for (const document of documents) {
        const statements = (document as { Statement: Record<string, unknown>[] }).Statement;
        for (const statement of statements) {
          found.push({
            stack: stack.stackName,
            logicalId,
            effect: String(statement.Effect),
            actions: ([] as unknown[]).concat(statement.Action).map(String),
            resources: ([] as unknown[]).concat(statement.Resource).map(flat),
            condition: statement.Condition,
          });
        }
      }
    }
  }
  return found;
}
