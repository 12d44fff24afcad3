import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pledgeFromForm } from "#domain/donation.ts";
import { OccurredAtInFuture } from "#domain/errors.ts";
import { BankTransferNotification } from "#events/bank-transfer.ts";
import { DonationForm } from "#events/donation.ts";
import { jsonSchemas } from "#events/json-schema.ts";
import { NOT_BLANK, WELL_FORMED } from "#events/text.ts";
import { publishedSchema } from "../helpers/contract.ts";
import { aDonationForm } from "../helpers/events.ts";
import { bodiesFor, type JsonSchema } from "../helpers/schema-bodies.ts";

const form = publishedSchema("DonationForm.schema.json");
const formSchema = JSON.parse(readFileSync("events/schemas/DonationForm.schema.json", "utf8")) as JsonSchema;
const inKind = (description: string) => ({ kind: "in-kind", description, valuationVnd: 2_400_000 });
const named = (name: string) => ({ kind: "individual", name });

/** The verdicts of the server's zod schema and of Ajv on the published file, with zod's messages. */
const judged = (body: unknown) => {
  const server = DonationForm.safeParse(body);
  return {
    server: server.success,
    schema: form(body).valid,
    issues: server.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [],
  };
};

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
    "accepts the example %s, on both sides",
    (file) => {
      const body = JSON.parse(readFileSync(`events/examples/${file}`, "utf8"));
      expect(judged(body)).toEqual({ server: true, schema: true, issues: [] });
    },
  );
});

describe("text fields: characters (code points), not all white space, checked before trimming", () => {
  it.each([
    ["a name of 200 emoji (400 UTF-16 units)", { donor: named("🌸".repeat(200)) }],
    ["a name of 150 emoji", { donor: named("🌸".repeat(150)) }],
    ["a message of 300 emoji", { message: "🌸".repeat(300) }],
    ["a message of 500 emoji", { message: "🌸".repeat(500) }],
    ["a name of 200 letters", { donor: named("a".repeat(200)) }],
    ["a name that is a zero-width space (not white space)", { donor: named("\u200b") }],
    ["a name with spaces around it, 200 characters in all", { donor: named(` ${"a".repeat(198)} `) }],
    ["a message of spaces only (a message may be blank)", { message: "   " }],
    ["a description of 500 Vietnamese letters", { contribution: inKind("ệ".repeat(500)) }],
  ])("accepts %s, on both sides", (_name, override) => {
    expect(judged({ ...aDonationForm(), ...override })).toEqual({ server: true, schema: true, issues: [] });
  });

  it.each([
    ["a name of spaces only", { donor: named("   ") }, "donor.name: must not be blank"],
    [
      "a name of Unicode white space",
      { donor: named("\u00a0\u3000\u2028\ufeff") },
      "donor.name: must not be blank",
    ],
    ["an empty name", { donor: named("") }, "donor.name: must not be blank"],
    [
      "a description of spaces only",
      { contribution: inKind("   ") },
      "contribution.description: must not be blank",
    ],
    [
      "a description of tabs and newlines",
      { contribution: inKind("\t\n") },
      "contribution.description: must not be blank",
    ],
    [
      "a name of 201 characters, 200 after trimming",
      { donor: named(` ${"a".repeat(200)}`) },
      "donor.name: must be at most 200 characters",
    ],
    [
      "a name of 202 characters, 200 after trimming",
      { donor: named(` ${"a".repeat(200)} `) },
      "donor.name: must be at most 200 characters",
    ],
    ["a name of 201 emoji", { donor: named("🌸".repeat(201)) }, "donor.name: must be at most 200 characters"],
    ["a message of 501 emoji", { message: "🌸".repeat(501) }, "message: must be at most 500 characters"],
    [
      "a message with an unpaired surrogate",
      { message: "Lan \ud83c" },
      "message: must be valid Unicode text: it holds an unpaired surrogate",
    ],
    [
      "a name with a low surrogate before a high one",
      { donor: named("\udf38\ud83c") },
      "donor.name: must be valid Unicode text: it holds an unpaired surrogate",
    ],
  ])("refuses %s on both sides, naming the field", (_name, override, issue) => {
    expect(judged({ ...aDonationForm(), ...override })).toEqual({
      server: false,
      schema: false,
      issues: [issue],
    });
  });

  it("has patterns that mean the same to a validator reading code points (u flag) or UTF-16 units", () => {
    const samples = ["🌸", "Lan 🌸", "a\ud800", "\udc00\ud800", "\ud83c", "ệ", "\u3000", " ", "", "\u200b"];
    for (const pattern of [WELL_FORMED, NOT_BLANK]) {
      const units = new RegExp(pattern.source);
      expect(samples.map((t) => units.test(t))).toEqual(samples.map((t) => pattern.test(t)));
    }
    expect(samples.map((t) => WELL_FORMED.test(t))).toEqual(samples.map((t) => t.isWellFormed()));
  });

  it("reaches the published schema's verdict on generated bodies and their mutations (property)", () => {
    fc.assert(
      fc.property(bodiesFor(formSchema), ({ body }) => {
        const { server, schema } = judged(body);
        expect(server).toBe(schema);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("the event a pledge becomes", () => {
  const event = publishedSchema("DonationPledged.v1.schema.json");
  const clock = { now: () => new Date(), newId: () => crypto.randomUUID() };

  it("is valid against the published DonationPledged v1 schema for every form the server accepts (property)", () => {
    fc.assert(
      fc.property(bodiesFor(formSchema), ({ body }) => {
        // Given a form the server accepts, dated no later than now
        const parsed = DonationForm.safeParse(body);
        fc.pre(parsed.success);
        const pledge = (() => {
          try {
            return pledgeFromForm(parsed.data, clock);
          } catch (error) {
            if (error instanceof OccurredAtInFuture) return undefined;
            throw error;
          }
        })();
        fc.pre(pledge !== undefined);
        // Then the event a consumer reads is valid by the published file
        expect(event(JSON.parse(JSON.stringify(pledge))).errors).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});

describe("the bank-transfer notification", () => {
  const notification = publishedSchema("BankTransferNotification.schema.json");
  const example = JSON.parse(readFileSync("events/examples/bank-transfer.json", "utf8"));
  const judge = (body: unknown) => ({
    server: BankTransferNotification.safeParse(body).success,
    schema: notification(body).valid,
  });

  it("accepts events/examples/bank-transfer.json, on both sides", () => {
    expect(judge(example)).toEqual({ server: true, schema: true });
  });

  it("accepts a field a notifier adds, on both sides, and the server drops it", () => {
    // Given: a notifier that started sending a field nobody asked for
    const body = { ...example, bankBrandName: "VCB", virtualAccount: { number: "VA123" } };
    // When / Then
    expect(judge(body)).toEqual({ server: true, schema: true });
    expect(BankTransferNotification.parse(body)).not.toHaveProperty("bankBrandName");
  });

  it.each([
    ["no id", { id: undefined }],
    ["a transfer type that is neither in nor out", { transferType: "sideways" }],
    ["an amount in fractions of a đồng", { transferAmount: 500_000.5 }],
    ["a date in another form", { transactionDate: "05/09/2026 09:30" }],
  ])("refuses %s, on both sides", (_what, override) => {
    expect(judge({ ...example, ...override })).toEqual({ server: false, schema: false });
  });
});
