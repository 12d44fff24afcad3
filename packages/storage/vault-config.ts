import { ConfigError } from "./config.ts";

/**
 * Where personal data is kept and what wraps its per-person keys: a KMS key when deployed, a raw AES
 * key in a file locally. Read once at cold start, only by the handlers that touch the vault.
 */
export interface VaultConfig {
  readonly vaultTable: string;
  readonly keysTable: string;
  readonly masterKey:
    | { readonly kind: "kms"; readonly keyArn: string }
    | { readonly kind: "file"; readonly path: string };
}

export const VAULT_ENV = {
  vaultTable: "VAULT_TABLE",
  keysTable: "KEYS_TABLE",
  kmsKeyArn: "VAULT_KMS_KEY_ARN",
  keyFile: "VAULT_KEY_FILE",
} as const;

/** Throws {@link ConfigError} naming what is missing; a KMS key wins over a key file. */
export const vaultConfigFrom = (env: NodeJS.ProcessEnv = process.env): VaultConfig => {
  const vaultTable = env[VAULT_ENV.vaultTable];
  const keysTable = env[VAULT_ENV.keysTable];
  if (!vaultTable || !keysTable) {
    throw new ConfigError(`missing environment variable ${VAULT_ENV.vaultTable} or ${VAULT_ENV.keysTable}`);
  }
  const keyArn = env[VAULT_ENV.kmsKeyArn];
  const path = env[VAULT_ENV.keyFile];
  if (keyArn) return { vaultTable, keysTable, masterKey: { kind: "kms", keyArn } };
  if (path) return { vaultTable, keysTable, masterKey: { kind: "file", path } };
  throw new ConfigError(`set ${VAULT_ENV.kmsKeyArn} (deployed) or ${VAULT_ENV.keyFile} (local)`);
};
