import { Stack, Validations } from 'aws-cdk-lib';
// cdk-nag names a wildcard finding by flattening the resource's
// CloudFormation reference; its own function guarantees the same name.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

/**
 * The id of the AwsSolutions-IAM5 finding a wildcard resource ARN raises,
 * for example `AwsSolutions-IAM5[Resource::<LakeBucket1234.Arn>/dirty/*]`.
 */
export function wildcardFinding(scope: IConstruct, arn: string): string {
  const reference = Stack.of(scope).resolve(arn);
  return `AwsSolutions-IAM5[Resource::${flattenCfnReference(reference)}]`;
}

/**
 * Acknowledges, on one role or policy, the wildcard finding of exactly one
 * resource ARN with the reason it is needed. Other wildcards on the same
 * construct stay findings.
 *
 * @param scope the role or policy holding the statement
 * @param arn the resource ARN ending in a wildcard
 * @param reason why the wildcard is as narrow as it can be
 */
export function acknowledgeWildcard(
  scope: IConstruct,
  arn: string,
  reason: string,
): void {
  Validations.of(scope).acknowledge({
    id: wildcardFinding(scope, arn),
    reason,
  });
}
