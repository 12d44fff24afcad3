import { App, Tags, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { KhuyenhocStack } from "./stack.ts";
import { contextKeys, type StageConfig, type StageName, stageFromContext } from "./stage.ts";

export interface BuildAppOptions {
  /** Overrides the `stage` context key. */
  readonly stage?: StageName;
  /** Extra context, as `-c key=value` or cdk.json would give it (tests pass cdk.json's flags here). */
  readonly context?: Readonly<Record<string, unknown>>;
  /** Where to write the cloud assembly; the CLI decides when omitted. */
  readonly outdir?: string;
}

export interface BuiltApp {
  readonly app: App;
  readonly stack: KhuyenhocStack;
  readonly stage: StageConfig;
}

/**
 * Builds the CDK app with cdk-nag's AWS Solutions checks as a validation plugin: `app.synth()` fails on
 * any finding that is not acknowledged, and writes every finding to `validation-report.json` in the cloud
 * assembly.
 */
export const buildApp = (options: BuildAppOptions = {}): BuiltApp => {
  const context = {
    ...options.context,
    ...(options.stage === undefined ? {} : { [contextKeys.stage]: options.stage }),
  };
  const app = new App({ context, ...(options.outdir === undefined ? {} : { outdir: options.outdir }) });
  // verbose: each finding in the report carries the rule's explanation, not just its title.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  const stage = stageFromContext(app.node);
  const stack = new KhuyenhocStack(app, `Khuyenhoc-${stage.name}`, {
    stage,
    description: `Khuyenhoc event backend (${stage.name}): donations in, campaign totals out`,
    terminationProtection: stage.terminationProtection,
  });
  Tags.of(app).add("project", "khuyenhoc");
  Tags.of(app).add("stage", stage.name);
  return { app, stack, stage };
};
