/**
 * Runtime configuration, read once from the environment when a handler module loads, so a missing
 * setting fails the cold start instead of the hundredth request.
 */
export interface Config {
  readonly ledgerTable: string;
  readonly projectionTable: string;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
  /** How many items each campaign's projection is spread over (see docs/exactly-once.md). */
  readonly projectionShards: number;
  /** Which projection version the projector writes and the query reads (see docs/rebuild.md). */
  readonly projectionVersion: number;
  /** A claim younger than this is presumed alive and is not fenced (see docs/exactly-once.md). */
  readonly claimGraceMs: number;
  /**
   * The projector function's timeout, where there is one (the deployed stack sets it): no invocation
   * holds a claim longer, so the grace period must not be shorter.
   */
  readonly projectorTimeoutMs?: number;
  /** Only set locally: where DynamoDB Local and the SQS emulator listen. */
  readonly dynamoEndpoint?: string;
  readonly sqsEndpoint?: string;
  readonly region: string;
}

/** The environment variables a deployed or local handler reads; the CDK stack sets the same names. */
export const ENV = {
  ledgerTable: "LEDGER_TABLE",
  projectionTable: "PROJECTION_TABLE",
  queueUrl: "QUEUE_URL",
  deadLetterQueueUrl: "DEAD_LETTER_QUEUE_URL",
  projectionShards: "PROJECTION_SHARDS",
  claimGraceMs: "CLAIM_GRACE_MS",
  projectorTimeoutMs: "PROJECTOR_TIMEOUT_MS",
  projectionVersion: "PROJECTION_VERSION",
  dynamoEndpoint: "DYNAMODB_ENDPOINT",
  sqsEndpoint: "SQS_ENDPOINT",
} as const;

/** Defaults, shared with the CDK stack so the deployed settings cannot drift from them. */
export const DEFAULTS = { projectionShards: 4, claimGraceMs: 60_000, projectionVersion: 1 } as const;

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

const required = (env: NodeJS.ProcessEnv, name: string): string => {
  const value = env[name];
  if (value === undefined || value === "") throw new ConfigError(`missing environment variable ${name}`);
  return value;
};

const positiveInt = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new ConfigError(`${name} must be a whole number`);
  return value;
};

/** The projection version an environment names (PROJECTION_VERSION), 1 when it names none. */
export const projectionVersionFrom = (env: NodeJS.ProcessEnv = process.env): number =>
  Math.max(1, positiveInt(env, ENV.projectionVersion, DEFAULTS.projectionVersion));

/**
 * A grace period shorter than the function timeout would fence claims whose worker is still running:
 * safe (its apply is refused and it retries) but a retry storm under load, so it is refused at start-up.
 */
const checkGrace = (config: Config): Config => {
  const { claimGraceMs, projectorTimeoutMs } = config;
  if (projectorTimeoutMs !== undefined && claimGraceMs < projectorTimeoutMs)
    throw new ConfigError(
      `${ENV.claimGraceMs} (${claimGraceMs} ms) must not be shorter than the projector's timeout ` +
        `${ENV.projectorTimeoutMs} (${projectorTimeoutMs} ms)`,
    );
  return config;
};

/** Reads the configuration; throws {@link ConfigError} naming the first missing or malformed setting. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config =>
  checkGrace({
    ledgerTable: required(env, ENV.ledgerTable),
    projectionTable: required(env, ENV.projectionTable),
    queueUrl: required(env, ENV.queueUrl),
    deadLetterQueueUrl: required(env, ENV.deadLetterQueueUrl),
    projectionShards: Math.max(1, positiveInt(env, ENV.projectionShards, DEFAULTS.projectionShards)),
    claimGraceMs: positiveInt(env, ENV.claimGraceMs, DEFAULTS.claimGraceMs),
    ...(env[ENV.projectorTimeoutMs]
      ? { projectorTimeoutMs: positiveInt(env, ENV.projectorTimeoutMs, 0) }
      : {}),
    projectionVersion: projectionVersionFrom(env),
    dynamoEndpoint: env[ENV.dynamoEndpoint] || undefined,
    sqsEndpoint: env[ENV.sqsEndpoint] || undefined,
    region: env.AWS_REGION ?? "ap-southeast-1",
  });
