import { resolve } from "node:path";
import type { Duration, RemovalPolicy } from "aws-cdk-lib";
import { Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Architecture, Runtime, Tracing } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import { acknowledge } from "../nag.ts";

/** The repository root: entries, package.json (for the `#domain/*` import aliases) and the lock file. */
export const projectRoot = resolve(import.meta.dirname, "../..");

export interface AppFunctionProps {
  /** Handler module, relative to the repository root; it must export `handler`. */
  readonly entry: string;
  readonly description: string;
  /** Settings the handler reads at cold start (names from `ENV` in packages/storage/config.ts). */
  readonly environment: Readonly<Record<string, string>>;
  readonly timeout: Duration;
  readonly memorySize?: number;
  readonly logRetention: RetentionDays;
  /** Applied to the function's log group. */
  readonly removalPolicy: RemovalPolicy;
  readonly logLevel: string;
  readonly tracing: boolean;
  /** Concurrency set aside for this function alone (none by default). */
  readonly reservedConcurrentExecutions?: number;
  /** Files (relative to the repository root) copied beside the bundle, e.g. fonts read at run time. */
  readonly bundledFiles?: readonly string[];
}

/**
 * A Lambda function with the project's defaults: Node.js 24 on Graviton, one minified ESM bundle built by
 * the local esbuild (no Docker), source maps on, its own log group with a retention, and its own role
 * that may write only to that log group. Everything else is granted by the caller with `grant*`.
 */
export class AppFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    // The role and log group are siblings: a subclass cannot create children before calling super.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: `Runs ${props.entry}`,
    });
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    super(scope, id, {
      entry: resolve(projectRoot, props.entry),
      handler: "handler",
      projectRoot,
      depsLockFilePath: resolve(projectRoot, "package-lock.json"),
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize ?? 256,
      ...(props.reservedConcurrentExecutions === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      role,
      logGroup,
      tracing: props.tracing ? Tracing.ACTIVE : Tracing.DISABLED,
      environment: {
        NODE_OPTIONS: "--enable-source-maps",
        POWERTOOLS_SERVICE_NAME: "khuyenhoc",
        POWERTOOLS_LOG_LEVEL: props.logLevel,
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: "node24",
        // Prefer the ESM builds of dependencies (the AWS SDK ships both).
        mainFields: ["module", "main"],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Bundle the SDK from package-lock.json rather than the runtime's copy: the version tested locally
        // is the version deployed.
        bundleAwsSDK: true,
        forceDockerBundling: false,
        // CommonJS dependencies inside an ESM bundle still call `require` for Node built-ins. The import
        // is renamed: a bundled ESM module (pdfkit) imports `createRequire` itself, and two top-level
        // bindings of one name are a SyntaxError when the bundle loads.
        banner:
          "import { createRequire as bannerCreateRequire } from 'node:module'; const require = bannerCreateRequire(import.meta.url);",
        ...(props.bundledFiles === undefined
          ? {}
          : {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) =>
                  (props.bundledFiles ?? []).map((file) => `cp "${inputDir}/${file}" "${outputDir}/"`),
              },
            }),
      },
    });
    logGroup.grantWrite(role);
    if (props.tracing) {
      acknowledge(
        role,
        "AwsSolutions-IAM5[Resource::*]",
        "Active tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords, which support no " +
          "resource-level permissions; every other statement of this role names its resource.",
      );
    }
  }
}
