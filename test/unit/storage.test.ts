import { describe, expect, it } from "vitest";
import { projections } from "#domain/projections/index.ts";
import { familyEvents } from "#local/family-workload.ts";
import { ConfigError, loadConfig } from "#storage/config.ts";
import {
  claimKey,
  claimOn,
  claimRecordSk,
  isCounter,
  itemOfSk,
  itemSk,
  parseRef,
  refText,
} from "#storage/projection-items.ts";
import { aPledge } from "../helpers/events.ts";

describe("projection item layout", () => {
  it("writes a claim reference that reads back the same", () => {
    // Prepare
    const ref = { id: "mf3k2ab12cd34", version: 3, shard: 2, claimedAt: 1_788_000_000_123 };
    // Act
    const read = parseRef(refText(ref));
    // Assess
    expect(read).toEqual(ref);
    expect(parseRef("garbage")).toBeUndefined();
    expect(parseRef(42)).toBeUndefined();
  });

  it("finds the domain's item in a sort key whose item name holds '#' itself", () => {
    // Prepare
    const sk = itemSk(2, "d#2026-09", 3);
    // Act / Assess
    expect(itemOfSk(sk, "v2#")).toBe("d#2026-09");
    expect(itemOfSk(sk, "v1#")).toBeUndefined();
    expect(itemOfSk("claim#x@v2#t#s0", "v2#")).toBeUndefined();
  });

  it("counts numbers only, never keys, claim markers or a rebuild's stamp", () => {
    // Prepare
    const item = {
      pk: "cp#x",
      sk: "v1#t#s0",
      n: 3,
      "a#lq3k1": "t:1",
      "f#lq3k0": 7,
      rebuiltAt: 9,
      "05#m": 100,
    };
    // Act
    const counters = Object.entries(item).filter(([name, value]) => isCounter(name, value));
    // Assess
    expect(Object.fromEntries(counters)).toEqual({ n: 3, "05#m": 100 });
  });

  it("gives each item of one batch claim its own claim, record and key", () => {
    // Prepare
    const ref = { id: "b1", version: 1, shard: 0, claimedAt: 0 };
    // Act
    const a = claimOn(ref, { partition: "cp#x", item: "t" });
    const b = claimOn(ref, { partition: "cp#x", item: "d#2026-09" });
    // Assess
    expect(claimKey(a)).not.toBe(claimKey(b));
    expect(claimRecordSk(a)).not.toBe(claimRecordSk(b));
  });
});

describe("configuration", () => {
  const env = {
    LEDGER_TABLE: "l",
    PROJECTION_TABLE: "p",
    QUEUE_URL: "q",
    DEAD_LETTER_QUEUE_URL: "d",
  };

  it("fails fast naming the missing variable", () => {
    const { QUEUE_URL: _q, ...partial } = env;
    expect(() => loadConfig(partial)).toThrow(new ConfigError("missing environment variable QUEUE_URL"));
  });

  it("defaults the shard count and refuses a malformed one", () => {
    expect(loadConfig(env).projectionShards).toBe(4);
    expect(() => loadConfig({ ...env, PROJECTION_SHARDS: "four" })).toThrow(/PROJECTION_SHARDS/);
  });
});

describe("the registry against the layout", () => {
  it("names no counter the engine would take for a key, a marker or a rebuild's stamp", () => {
    // Given events of every family (a seeded source of numbers) and pledges of both kinds
    let seed = 7;
    const rand = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const events = [
      ...familyEvents(400, rand, new Date("2026-11-28T00:00:00+07:00")),
      aPledge(),
      aPledge({ contribution: { kind: "in-kind", description: "vở", valuationVnd: 90_000 } }),
    ];
    // When every projection turns them into contributions
    const names = new Set(
      projections.flatMap((p) =>
        events.flatMap((e) =>
          p
            .contributions(e)
            .flatMap((c) => [...Object.keys(c.add), ...(c.firsts ?? []).map((f) => f.counter)]),
        ),
      ),
    );
    // Then each name is a counter to the engine, and every family moved some
    expect(names.size).toBeGreaterThan(30);
    for (const name of names) expect(isCounter(name, 1), name).toBe(true);
  });
});
