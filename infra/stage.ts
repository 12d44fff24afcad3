import { Duration, RemovalPolicy } from "aws-cdk-lib";
import { RetentionDays } from "aws-cdk-lib/aws-logs";
import type { Node } from "constructs";

export const stageNames = ["dev", "prod"] as const;
export type StageName = (typeof stageNames)[number];

/** Everything that differs between a throwaway development stack and the production one. */
export interface StageConfig {
  readonly name: StageName;
  /** prod keeps tables, queues, log groups and the alarm key when the stack is deleted; dev cleans up. */
  readonly removalPolicy: RemovalPolicy;
  readonly deletionProtection: boolean;
  readonly logRetention: RetentionDays;
  /** Default-stage throttling of the public API, requests per second. */
  readonly apiRateLimit: number;
  readonly apiBurstLimit: number;
  /** Upper bound on concurrent projector invocations (SQS event source `maxConcurrency`, 2 to 1000). */
  readonly projectorMaxConcurrency: number;
  /**
   * Concurrency reserved for the projector, at least its maxConcurrency, so that a burst of HTTP traffic
   * cannot take the account's concurrency from the queue's consumer. Prod only: AWS refuses a
   * reservation that leaves less than 100 unreserved, which a new account's quota of 10 would.
   */
  readonly projectorReservedConcurrency?: number;
  /** CloudFormation refuses to delete the stack until this is turned off. */
  readonly terminationProtection: boolean;
  readonly tracing: boolean;
  /** The projection version the handlers read and write; a rebuild's switch is a change of this number. */
  readonly projectionVersion: number;
  readonly logLevel: "DEBUG" | "INFO" | "WARN" | "ERROR";
  /** Where alarm notifications are e-mailed; without it the topic exists but nobody is subscribed. */
  readonly alarmEmail?: string;
  /**
   * A domain of the association's in front of the public API (with an ACM certificate for it in the
   * stack's region), so that a redeploy never changes the URL every web form embeds.
   */
  readonly apiDomain?: { readonly domainName: string; readonly certificateArn: string };
  /** Requests one IP may make to the public API through CloudFront in 5 minutes (AWS WAF rate rule). */
  readonly edgeRatePerIpPer5Minutes: number;
}

const defaults: Record<StageName, StageConfig> = {
  dev: {
    name: "dev",
    removalPolicy: RemovalPolicy.DESTROY,
    deletionProtection: false,
    logRetention: RetentionDays.ONE_WEEK,
    apiRateLimit: 50,
    apiBurstLimit: 100,
    projectorMaxConcurrency: 2,
    terminationProtection: false,
    tracing: false,
    projectionVersion: 1,
    logLevel: "INFO",
    edgeRatePerIpPer5Minutes: 300,
  },
  prod: {
    name: "prod",
    // Kept on delete and on replacement, but removed when the stack's first create rolls back: a failed
    // first deploy then leaves no orphaned (and deletion-protected) tables, keys or log groups behind to
    // block the next attempt with "already exists".
    removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    deletionProtection: true,
    logRetention: RetentionDays.THREE_MONTHS,
    apiRateLimit: 200,
    apiBurstLimit: 400,
    projectorMaxConcurrency: 5,
    projectorReservedConcurrency: 5,
    terminationProtection: true,
    tracing: false,
    projectionVersion: 1,
    logLevel: "INFO",
    // A donor submits a pledge and polls its status; 300 in 5 minutes (1 a second) is far above that,
    // and one client gets at most 0.5% of the prod API throttle (200 a second, 60,000 in 5 minutes).
    edgeRatePerIpPer5Minutes: 300,
  },
};

/** Timeout of the projector; the queue's visibility timeout is derived from it. */
export const projectorTimeout = Duration.seconds(30);
/** How long the projector's event source waits to fill a batch. */
export const projectorBatchingWindow = Duration.seconds(1);

/** The context keys the app reads (`-c key=value` or the `context` block of cdk.json). */
export const contextKeys = {
  stage: "stage",
  alarmEmail: "alarmEmail",
  apiRateLimit: "apiRateLimit",
  apiBurstLimit: "apiBurstLimit",
  tracing: "tracing",
  projectionVersion: "projectionVersion",
  apiDomainName: "apiDomainName",
  apiCertificateArn: "apiCertificateArn",
  publicApiDomain: "publicApiDomain",
} as const;

const isStageName = (value: unknown): value is StageName =>
  typeof value === "string" && (stageNames as readonly string[]).includes(value);

/** `-c x=5` arrives as a string, a cdk.json value as a number: accept both, reject anything else. */
const positiveNumber = (node: Node, key: string): number | undefined => {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`context ${key} must be a positive number`);
  return value;
};

const flag = (node: Node, key: string): boolean | undefined => {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === "") return undefined;
  if (raw === true || raw === "true") return true;
  if (raw === false || raw === "false") return false;
  throw new Error(`context ${key} must be true or false`);
};

/**
 * Reads the stage and its overrides from CDK context; fails synth on an unknown stage rather than
 * silently deploying dev settings under a prod name.
 */
export const stageFromContext = (node: Node): StageConfig => {
  const stage: unknown = node.tryGetContext(contextKeys.stage) ?? "dev";
  if (!isStageName(stage)) {
    throw new Error(`context stage must be one of ${stageNames.join(", ")}; got ${String(stage)}`);
  }
  const base = defaults[stage];
  const alarmEmail: unknown = node.tryGetContext(contextKeys.alarmEmail);
  if (
    alarmEmail !== undefined &&
    alarmEmail !== "" &&
    (typeof alarmEmail !== "string" || !alarmEmail.includes("@"))
  ) {
    throw new Error("context alarmEmail must be an e-mail address");
  }
  if (base.name === "prod" && (typeof alarmEmail !== "string" || alarmEmail === "")) {
    // An alarm nobody receives is no alarm: prod does not synthesize without somewhere to send them.
    throw new Error(
      "stage prod needs an alarm subscription: add -c alarmEmail=ops@example.org (see docs/deploy.md, Alarms)",
    );
  }
  const domainName: unknown = node.tryGetContext(contextKeys.apiDomainName);
  const certificateArn: unknown = node.tryGetContext(contextKeys.apiCertificateArn);
  if ((domainName === undefined) !== (certificateArn === undefined)) {
    throw new Error("context apiDomainName and apiCertificateArn go together: give both or neither");
  }
  if (
    domainName !== undefined &&
    (typeof domainName !== "string" || !/^[a-z0-9.-]+\.[a-z]{2,}$/.test(domainName))
  ) {
    throw new Error("context apiDomainName must be a domain name, e.g. api.khuyenhoc.example.vn");
  }
  if (
    certificateArn !== undefined &&
    (typeof certificateArn !== "string" || !certificateArn.startsWith("arn:"))
  ) {
    throw new Error("context apiCertificateArn must be the ARN of an ACM certificate in the stack's region");
  }
  return {
    ...base,
    ...(typeof domainName === "string" && typeof certificateArn === "string"
      ? { apiDomain: { domainName, certificateArn } }
      : {}),
    apiRateLimit: positiveNumber(node, contextKeys.apiRateLimit) ?? base.apiRateLimit,
    apiBurstLimit: positiveNumber(node, contextKeys.apiBurstLimit) ?? base.apiBurstLimit,
    tracing: flag(node, contextKeys.tracing) ?? base.tracing,
    projectionVersion: Math.trunc(
      positiveNumber(node, contextKeys.projectionVersion) ?? base.projectionVersion,
    ),
    ...(typeof alarmEmail === "string" && alarmEmail !== "" ? { alarmEmail } : {}),
  };
};
