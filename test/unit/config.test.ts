import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "#storage/config.ts";

describe("configuration of the claim grace period", () => {
  const env = { LEDGER_TABLE: "l", PROJECTION_TABLE: "p", QUEUE_URL: "q", DEAD_LETTER_QUEUE_URL: "d" };

  it("given a grace period shorter than the projector's timeout, when loaded, then start-up fails naming both", () => {
    // Given
    const short = { ...env, CLAIM_GRACE_MS: "0", PROJECTOR_TIMEOUT_MS: "30000" };
    // When / Then
    expect(() => loadConfig(short)).toThrow(ConfigError);
    expect(() => loadConfig(short)).toThrow(/CLAIM_GRACE_MS \(0 ms\).*PROJECTOR_TIMEOUT_MS \(30000 ms\)/);
  });

  it("given the deployed defaults, when loaded, then the grace period outlasts the timeout", () => {
    // Given
    const deployed = { ...env, PROJECTOR_TIMEOUT_MS: "30000" };
    // When
    const config = loadConfig(deployed);
    // Then
    expect(config.claimGraceMs).toBe(60_000);
    expect(config.projectorTimeoutMs).toBe(30_000);
  });

  it("given no timeout (the local stack), when loaded, then any grace period is accepted", () => {
    expect(loadConfig({ ...env, CLAIM_GRACE_MS: "500" }).claimGraceMs).toBe(500);
  });
});
