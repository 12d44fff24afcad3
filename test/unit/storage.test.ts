import { describe, expect, it } from "vitest";
import { mergeDeltas } from "#domain/projection.ts";
import { ConfigError, loadConfig } from "#storage/config.ts";
import { deltaAttributes, deltaFromItem } from "#storage/store.ts";
import { aPledge, deltaFor } from "../helpers/events.ts";

describe("projection item encoding", () => {
  it("reads back from an item exactly what was added to it, ignoring keys and claim markers", () => {
    // Prepare
    const delta = deltaFor([
      aPledge(),
      aPledge({
        unitCode: "04270",
        contribution: { kind: "in-kind", description: "vở", valuationVnd: 90_000 },
      }),
    ]);
    const item = {
      pk: "c#thang-9-khuyen-hoc-2026",
      sk: "v1#s#2",
      "a#lq3k1": 1,
      "f#lq3k0": 2,
      ...Object.fromEntries(deltaAttributes(delta)),
    };
    // Act
    const read = deltaFromItem("thang-9-khuyen-hoc-2026", item);
    // Assess
    expect(mergeDeltas("x", [read])).toEqual(mergeDeltas("x", [delta]));
  });

  it("leaves zero amounts out so items stay small", () => {
    const delta = deltaFor([aPledge()]);
    expect(deltaAttributes(delta).map(([name]) => name)).toEqual([
      "m",
      "n",
      "d20260905m",
      "d20260905n",
      "u04252m",
      "u04252n",
    ]);
  });

  it("still reads items written with the longer names of earlier versions", () => {
    // Prepare
    const item = {
      pk: "c#x",
      sk: "v1#s#0",
      m: 7,
      n: 1,
      "d#2026-09-05#m": 7,
      "d#2026-09-05#n": 1,
      "u#04252#m": 7,
    };
    // Act
    const read = deltaFromItem("x", item);
    // Assess
    expect(read.byDay.get("2026-09-05")).toEqual({ moneyVnd: 7, inKindVnd: 0, count: 1 });
    expect(read.byUnit.get("04252")).toEqual({ moneyVnd: 7, inKindVnd: 0, count: 0 });
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
