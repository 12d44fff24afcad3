import { readAuditPage } from "#storage/audit-log.ts";
import { createVault, masterKeyring } from "#storage/vault.ts";
import { vaultConfigFrom } from "#storage/vault-config.ts";
import { authSettingsFrom, createAuthenticator } from "./auth.ts";
import { clients, config, logger, systemClock } from "./runtime.ts";
import type { StaffDeps } from "./staff.ts";
import { isWithin } from "./units.ts";

/**
 * What the staff handlers share beyond runtime.ts, built once per container: the token verifier and,
 * for the handlers that touch personal data, the vault. A missing setting fails the cold start.
 */
export const staff: StaffDeps = {
  authenticate: createAuthenticator(authSettingsFrom()),
  isWithin,
  clock: systemClock,
  log: logger,
};

/** The vault, built when a handler asks for it: handlers that never touch personal data need no key. */
let vault: ReturnType<typeof createVault> | undefined;
export const openVault = () => {
  if (vault === undefined) {
    const vaultConfig = vaultConfigFrom();
    vault = createVault(vaultConfig, clients.ddb, masterKeyring(vaultConfig.masterKey));
  }
  return vault;
};

/** One page of the ledger's audit index. */
export const auditPages = (query: Parameters<typeof readAuditPage>[2]) =>
  readAuditPage(clients.ddb, config.ledgerTable, query);
