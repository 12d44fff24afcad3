import { readFile } from "node:fs/promises";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { ConfigError } from "#storage/config.ts";

/** Where the notifier's shared secret is: a Secrets Manager secret deployed, a file locally. */
export const PAYMENT_SECRET_ENV = {
  secretArn: "PAYMENT_SECRET_ARN",
  secretFile: "PAYMENT_SECRET_FILE",
} as const;

/** A secret too short to resist guessing is a setup mistake, refused rather than trusted. */
const MIN_SECRET_LENGTH = 32;

const checked = (secret: string, where: string): string => {
  const trimmed = secret.trim();
  if (trimmed.length < MIN_SECRET_LENGTH)
    throw new ConfigError(
      `the payment notifier's secret in ${where} must be at least ${MIN_SECRET_LENGTH} characters`,
    );
  return trimmed;
};

/**
 * The secret, fetched on first use and then kept for the container's life (one Secrets Manager call per
 * cold start). A failed fetch is forgotten, so the next request tries again instead of failing forever.
 * Throws {@link ConfigError} at load when neither setting is there.
 */
export const webhookSecretFrom = (env: NodeJS.ProcessEnv = process.env): (() => Promise<string>) => {
  const arn = env[PAYMENT_SECRET_ENV.secretArn];
  const file = env[PAYMENT_SECRET_ENV.secretFile];
  if (!arn && !file)
    throw new ConfigError(
      `set ${PAYMENT_SECRET_ENV.secretArn} (deployed) or ${PAYMENT_SECRET_ENV.secretFile} (local)`,
    );
  let fetched: Promise<string> | undefined;
  const fetch = async (): Promise<string> => {
    if (!arn) return checked(await readFile(file ?? "", "utf8"), file ?? "");
    const client = new SecretsManagerClient({ region: env.AWS_REGION ?? "ap-southeast-1" });
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    return checked(SecretString ?? "", "Secrets Manager");
  };
  return () => {
    fetched ??= fetch().catch((error: unknown) => {
      fetched = undefined;
      throw error;
    });
    return fetched;
  };
};
