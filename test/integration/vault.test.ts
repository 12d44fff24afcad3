import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeleteCommand, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import { createVault, masterKeyring } from "#storage/vault.ts";
import type { VaultConfig } from "#storage/vault-config.ts";
import { useEmulators } from "../helpers/emulators.ts";

/** The vault against DynamoDB Local, with a raw AES master key in a temporary file. */
const emulators = useEmulators();
const keyDir = mkdtempSync(join(tmpdir(), "khuyenhoc-vault-test-"));
afterAll(() => rmSync(keyDir, { recursive: true, force: true }));

const freshVault = async () => {
  const { config, clients } = await emulators.fresh();
  const prefix = config.ledgerTable.replace(/-ledger$/, "");
  const vaultConfig: VaultConfig = {
    vaultTable: `${prefix}-vault`,
    keysTable: `${prefix}-keys`,
    masterKey: { kind: "file", path: join(keyDir, "master.key") },
  };
  return {
    vault: createVault(vaultConfig, clients.ddb, masterKeyring(vaultConfig.masterKey)),
    vaultConfig,
    ddb: clients.ddb,
  };
};
const person = { fullName: "Lò Thị Mai", dateOfBirth: "2016-04-12" };

describe("the personal-data vault", () => {
  it("given stored data, when found and opened, then it reads back; a second put of the id is refused", async () => {
    // Given
    const { vault } = await freshVault();
    const id = randomUUID();
    // When
    const first = await vault.put(id, "04252", person, ["support-administration"]);
    const second = await vault.put(id, "04252", { ...person, fullName: "Other" }, ["support-administration"]);
    const entry = await vault.find(id);
    // Then
    expect([first, second]).toEqual(["stored", "exists"]);
    expect(entry?.unitCode).toBe("04252");
    expect(entry?.purposes).toEqual(["support-administration"]);
    expect(await entry?.open()).toEqual(person);
    expect(statSync(join(keyDir, "master.key")).mode & 0o777).toBe(0o600);
  });

  it("given one person's ciphertext copied under another's id, when opened, then it is refused", async () => {
    // Given
    const { vault, vaultConfig, ddb } = await freshVault();
    const [victim, other] = [randomUUID(), randomUUID()];
    await vault.put(victim, "04252", person, ["support-administration"]);
    await vault.put(other, "04252", { fullName: "Someone", dateOfBirth: "2015-01-01" }, [
      "support-administration",
    ]);
    const stolen = await ddb.send(
      new GetCommand({ TableName: vaultConfig.vaultTable, Key: { beneficiaryId: victim } }),
    );
    await ddb.send(
      new PutCommand({ TableName: vaultConfig.vaultTable, Item: { ...stolen.Item, beneficiaryId: other } }),
    );
    // When
    const opened = (await vault.find(other))?.open();
    // Then
    await expect(opened).rejects.toThrow();
  });

  it("given an erasure, when repeated, then the first tombstone stays, the key is gone and nothing opens", async () => {
    // Given
    const { vault, vaultConfig, ddb } = await freshVault();
    const id = randomUUID();
    await vault.put(id, "04252", person, ["support-administration"]);
    // When
    const first = await vault.erase(id, "04252", {
      erasedAt: "2026-09-10T09:00:00.000+07:00",
      event: '{"n":1}',
    });
    const again = await vault.erase(id, "04252", {
      erasedAt: "2026-09-11T09:00:00.000+07:00",
      event: '{"n":2}',
    });
    const entry = await vault.find(id);
    // Then
    expect(again).toEqual(first);
    expect(entry?.erased).toEqual(first);
    expect(await entry?.open()).toBeUndefined();
    const key = await ddb.send(
      new GetCommand({ TableName: vaultConfig.keysTable, Key: { beneficiaryId: id } }),
    );
    expect(key.Item).toBeUndefined();
    const item = await ddb.send(
      new GetCommand({ TableName: vaultConfig.vaultTable, Key: { beneficiaryId: id } }),
    );
    expect(item.Item?.ciphertext).toBeUndefined();
  });

  it("given only the key destroyed (a crash mid-erasure), when opened, then the data is unreadable", async () => {
    // Given
    const { vault, vaultConfig, ddb } = await freshVault();
    const id = randomUUID();
    await vault.put(id, "04252", person, ["support-administration"]);
    await ddb.send(new DeleteCommand({ TableName: vaultConfig.keysTable, Key: { beneficiaryId: id } }));
    // When
    const opened = await (await vault.find(id))?.open();
    // Then
    expect(opened).toBeUndefined();
  });

  it("refuses to erase a person the vault never held", async () => {
    // Given
    const { vault } = await freshVault();
    // When
    const erased = vault.erase(randomUUID(), "04252", {
      erasedAt: "2026-09-10T09:00:00.000+07:00",
      event: "{}",
    });
    // Then
    await expect(erased).rejects.toThrow(/no vault item/);
  });
});
