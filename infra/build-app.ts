import { App, Tags, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { WEB_DIST } from "../packages/web/build.ts";
import { EdgeStack } from "./edge-stack.ts";
import { KhuyenhocStack } from "./stack.ts";
import { contextKeys, type StageConfig, type StageName, stageFromContext } from "./stage.ts";

export interface BuildAppOptions {
  /** Overrides the `stage` context key. */
  readonly stage?: StageName;
  /** Extra context, as `-c key=value` or cdk.json would give it (tests pass cdk.json's flags here). */
  readonly context?: Readonly<Record<string, unknown>>;
  /** Where to write the cloud assembly; the CLI decides when omitted. */
  readonly outdir?: string;
  /** The built web app to deploy; `packages/web/dist` (`npm run build:web`) when omitted. */
  readonly webAssetDir?: string;
}

export interface BuiltApp {
  readonly app: App;
  readonly stack: KhuyenhocStack;
  readonly stage: StageConfig;
  /** CloudFront and AWS WAF in front of the public API, when `publicApiDomain` is given. */
  readonly edge?: EdgeStack;
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
  // The edge stack is in us-east-1 and the backend region-agnostic, so the API's host name is passed
  // once the backend is deployed (docs/deploy.md, Public API behind CloudFront and AWS WAF).
  const apiDomain: unknown = app.node.tryGetContext(contextKeys.publicApiDomain);
  const withEdge = apiDomain !== undefined && apiDomain !== "";
  if (withEdge && (typeof apiDomain !== "string" || !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(apiDomain))) {
    throw new Error(
      "context publicApiDomain must be the host name of the ApiUrl output (no scheme or path), e.g. abc123.execute-api.ap-southeast-1.amazonaws.com",
    );
  }
  const stack = new KhuyenhocStack(app, `Khuyenhoc-${stage.name}`, {
    stage,
    webAssetDir: options.webAssetDir ?? WEB_DIST,
    description: `Khuyenhoc event backend (${stage.name}): donations in, campaign totals out`,
    terminationProtection: stage.terminationProtection,
  });
  const edge =
    withEdge && typeof apiDomain === "string"
      ? new EdgeStack(app, `Khuyenhoc-${stage.name}-edge`, {
          description: `Khuyenhoc public API behind CloudFront and AWS WAF (${stage.name})`,
          terminationProtection: stage.terminationProtection,
          apiDomain,
          ratePerIpPer5Minutes: stage.edgeRatePerIpPer5Minutes,
          maxBodyBytes: 8 * 1024,
        })
      : undefined;
  Tags.of(app).add("project", "khuyenhoc");
  Tags.of(app).add("stage", stage.name);
  return { app, stack, stage, ...(edge === undefined ? {} : { edge }) };
};
