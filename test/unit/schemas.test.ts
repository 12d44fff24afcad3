import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DonationForm } from "#events/donation.ts";
import { jsonSchemas } from "#events/json-schema.ts";

describe("published schemas and examples", () => {
  it("has events/schemas/ in step with the zod schemas (run `npm run schemas` after a change)", () => {
    // Prepare
    const expected = jsonSchemas();
    // Act
    const onDisk = Object.fromEntries(
      readdirSync("events/schemas").map((f) => [f, JSON.parse(readFileSync(`events/schemas/${f}`, "utf8"))]),
    );
    // Assess
    expect(onDisk).toEqual(expected);
  });

  it.each(readdirSync("events/examples").filter((f) => f.startsWith("donation-form")))(
    "accepts the example %s",
    (file) => {
      const result = DonationForm.safeParse(JSON.parse(readFileSync(`events/examples/${file}`, "utf8")));
      expect(result.error?.issues ?? []).toEqual([]);
    },
  );
});
