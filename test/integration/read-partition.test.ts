import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { createStore } from "#storage/store.ts";
import { useEmulators } from "../helpers/emulators.ts";
import { testClock } from "../helpers/projector.ts";

const emulators = useEmulators();

describe("reading a registered projection's partition", () => {
  it("given shards, markers, claim records and another version, when read, then each item's shards are summed and nothing else counts", async () => {
    // Given
    const { config, clients } = await emulators.fresh();
    const store = createStore(config, clients, testClock().now);
    const v = config.projectionVersion;
    const rows = [
      { pk: "cp#x", sk: `v${v}#t#s0`, n: 2, m: 300_000, "a#abc": "1764300000000" },
      { pk: "cp#x", sk: `v${v}#t#s3`, n: 1, k: 50_000, "f#def": "1764300000000" },
      { pk: "cp#x", sk: `v${v}#d#2026-09#s1`, "05#n": 3, "05#m": 300_000 },
      { pk: "cp#x", sk: `v${v + 1}#t#s0`, n: 99 },
      { pk: "cp#x", sk: "claim#abc", events: 2, appliedAt: 1 },
      { pk: "cp#y", sk: `v${v}#t#s0`, n: 7 },
    ];
    for (const Item of rows)
      await clients.ddb.send(new PutCommand({ TableName: config.projectionTable, Item }));
    // When
    const items = await store.readPartition("cp#x");
    // Then
    expect(Object.fromEntries(items)).toEqual({
      t: { n: 3, m: 300_000, k: 50_000 },
      "d#2026-09": { "05#n": 3, "05#m": 300_000 },
    });
    expect(Object.fromEntries(await store.readPartition("cp#x", v + 1))).toEqual({ t: { n: 99 } });
  });
});
