import { type App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, type NagPack, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag, registered through CDK's validation plugins: `cdk synth` fails on an unacknowledged error, and the
 * tests assert that no finding at all (error or warning) is left unacknowledged. Every acknowledgment in the
 * app sits next to the resource it concerns and says why.
 */

/** The rule packs the app is held to. */
export function nagPacks(): NagPack[] {
  return [new AwsSolutionsChecks(), new ServerlessChecks()];
}

/** Registers the packs on the app (once, before synthesis). */
export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(...nagPacks());
}

/**
 * Acknowledges the IAM5 finding for one resource pattern that must contain a wildcard (object keys in one
 * named bucket, the resource-less `dynamodb:ListStreams`). cdk-nag names each finding after the flattened
 * resource, so the id is computed from the resolved value, exactly as cdk-nag flattens it.
 */
export function acknowledgeWildcardResource(scope: IConstruct, resource: string, reason: string): void {
  const flattened = flattenReference(Stack.of(scope).resolve(resource));
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flattened}]`, reason });
}

/** Flattens a resolved CloudFormation value the way cdk-nag does (`{Ref: X}` → `<X>`, joins concatenated). */
export function flattenReference(value: unknown): string {
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const join = record['Fn::Join'];
    if (Array.isArray(join)) {
      const [delimiter, items] = join as [string, unknown[]];
      return items.map(flattenReference).join(delimiter);
    }
    if ('Ref' in record) return `<${flattenReference(record.Ref)}>`;
    const getAtt = record['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<${flattenReference(getAtt[0])}.${flattenReference(getAtt[1])}>`;
    if ('Fn::Sub' in record) return flattenReference(record['Fn::Sub']);
  }
  return JSON.stringify(value);
}
