import { Validations } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

/** The rule ids of cdk-nag's AWS Solutions pack, with a finding suffix where a rule has several. */
export type AwsSolutionsRule = `AwsSolutions-${string}`;

/**
 * Acknowledges one cdk-nag AWS Solutions finding on `scope` and everything below it. Under the
 * `AwsSolutions::` plugin namespace CDK itself matches the acknowledgement, so the finding still appears
 * in `cdk.out/validation-report.json`, under `suppressedViolations` with its reason and location, instead
 * of vanishing.
 */
export const acknowledge = (scope: IConstruct, rule: AwsSolutionsRule, reason: string): void => {
  Validations.of(scope).acknowledge({ id: `AwsSolutions::${rule}`, reason });
};
