import { describe, expect, it } from "vitest";
import { canonicalJson, contentHashOf, pledgeFromForm } from "#domain/donation.ts";
import { foldDeltas, mergeDeltas } from "#domain/projection.ts";
import { pledgeStatusOf } from "#domain/status.ts";
import { toVietnamIso, vietnamDayOf } from "#domain/time.ts";
import { DonationForm } from "#events/donation.ts";
import { DomainEvent } from "#events/index.ts";
import { aDonationForm, aPledge, deltaFor, fixedClock } from "../helpers/events.ts";

describe("a web-form pledge", () => {
  it("becomes a DonationPledged event that the ledger schema accepts", () => {
    // Prepare
    const form = aDonationForm();
    // Act
    const event = pledgeFromForm(form, fixedClock());
    // Assess
    expect(DomainEvent.parse(event)).toEqual(event);
    expect(event).toMatchObject({
      eventId: form.eventId,
      type: "DonationPledged",
      schemaVersion: 1,
      recordedAt: "2026-09-05T09:31:00.000+07:00",
      source: { channel: "web-form" },
    });
  });

  it("takes a new id and the arrival time when the form sets neither", () => {
    const { eventId: _e, occurredAt: _o, ...form } = aDonationForm();
    const event = pledgeFromForm(form, fixedClock());
    expect(event.eventId).toBe("00000000-0000-4000-8000-000000000001");
    expect(event.occurredAt).toBe(event.recordedAt);
  });

  it("hashes the same content the same whatever the key order or eventId", () => {
    const form = aDonationForm();
    const reordered = JSON.parse(canonicalJson({ ...form, eventId: crypto.randomUUID() }));
    expect(contentHashOf(reordered)).toBe(contentHashOf(form));
    expect(contentHashOf({ ...form, contribution: { kind: "money", amountVnd: 500_001 } })).not.toBe(
      contentHashOf(form),
    );
  });

  it("given the same pledge with its eventId in upper case, when it becomes an event, then it is the same event", () => {
    // Given
    const form = aDonationForm({ eventId: "3f6c1e0a-8f4b-4c2e-9d7a-2b5e8c1f4a90" });
    const shouted = DonationForm.parse({ ...form, eventId: "3F6C1E0A-8F4B-4C2E-9D7A-2B5E8C1F4A90" });
    // When
    const [quiet, loud] = [pledgeFromForm(form, fixedClock()), pledgeFromForm(shouted, fixedClock())];
    // Then
    expect(loud.eventId).toBe("3f6c1e0a-8f4b-4c2e-9d7a-2b5e8c1f4a90");
    expect(loud).toEqual(quiet);
  });
});

describe("the donation form schema", () => {
  it.each([
    ["a fractional amount", { contribution: { kind: "money", amountVnd: 1000.5 } }, "contribution.amountVnd"],
    ["a zero amount", { contribution: { kind: "money", amountVnd: 0 } }, "contribution.amountVnd"],
    ["an unknown donor kind", { donor: { kind: "robot", name: "x" } }, "donor.kind"],
    ["a time without offset", { occurredAt: "2026-09-05T09:30:00" }, "occurredAt"],
    ["a malformed unit code", { unitCode: "4252" }, "unitCode"],
    [
      "an in-kind gift without valuation",
      { contribution: { kind: "in-kind", description: "vở" } },
      "contribution.valuationVnd",
    ],
    ["an unknown field", { iban: "VN00" }, ""],
  ])("rejects %s, naming where", (_name, override, path) => {
    const result = DonationForm.safeParse({ ...aDonationForm(), ...override });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join("."))).toContain(path);
  });

  it("accepts goods valued in VND and defaults anonymity to false", () => {
    const result = DonationForm.parse({
      ...aDonationForm(),
      donor: { kind: "school", name: "Trường TH Trạm Tấu" },
      contribution: { kind: "in-kind", description: "Sách giáo khoa", valuationVnd: 2_400_000 },
    });
    expect(result.donor.anonymous).toBe(false);
  });
});

describe("days in Vietnam", () => {
  it("puts 23:30 UTC on the next Vietnamese day", () => {
    expect(vietnamDayOf("2026-09-04T23:30:00Z")).toBe("2026-09-05");
    expect(vietnamDayOf("2026-09-04T16:59:59Z")).toBe("2026-09-04");
    expect(vietnamDayOf("2026-09-05T00:10:00+07:00")).toBe("2026-09-05");
  });

  it("writes instants with the +07:00 offset", () => {
    expect(toVietnamIso(new Date("2026-09-04T23:30:00Z"))).toBe("2026-09-05T06:30:00.000+07:00");
  });
});

describe("folding pledges into campaign totals", () => {
  it("given money and goods on two days in two communes, when folded, then each total is exact", () => {
    // Given
    const events = [
      aPledge({ contribution: { kind: "money", amountVnd: 1_000_000 } }),
      aPledge({
        contribution: { kind: "in-kind", description: "vở", valuationVnd: 250_000 },
        unitCode: "04270",
      }),
      aPledge({ occurredAt: "2026-09-05T18:00:00Z", contribution: { kind: "money", amountVnd: 3 } }),
      aPledge({ campaignId: "ngay-khuyen-hoc-2-10", contribution: { kind: "money", amountVnd: 7 } }),
    ];
    // When
    const deltas = foldDeltas(events);
    const view = mergeDeltas("thang-9-khuyen-hoc-2026", [deltaFor(events)]);
    // Then
    expect(view.pledged).toEqual({ moneyVnd: 1_000_003, inKindVnd: 250_000, count: 3 });
    expect(view.byDay).toEqual([
      { day: "2026-09-05", moneyVnd: 1_000_000, inKindVnd: 250_000, count: 2 },
      { day: "2026-09-06", moneyVnd: 3, inKindVnd: 0, count: 1 },
    ]);
    expect(view.byUnit.map((u) => [u.unitCode, u.count])).toEqual([
      ["04252", 2],
      ["04270", 1],
    ]);
    expect(deltas.get("ngay-khuyen-hoc-2-10")?.total).toEqual({ moneyVnd: 7, inKindVnd: 0, count: 1 });
  });

  it("sums shards of one campaign into one view", () => {
    const a = deltaFor([aPledge()]);
    const b = deltaFor([aPledge(), aPledge({ unitCode: "04270" })]);
    const view = mergeDeltas("thang-9-khuyen-hoc-2026", [a, b]);
    expect(view.pledged).toEqual({ moneyVnd: 1_500_000, inKindVnd: 0, count: 3 });
    expect(view.byUnit).toHaveLength(2);
  });
});

describe("a pledge's status, as its receipt holder reads it", () => {
  const mine = "a".repeat(64);
  const theirs = "b".repeat(64);

  it.each([
    ["nothing in the ledger yet", undefined, undefined],
    [
      "its content in the ledger, not yet in the totals",
      { contentHash: mine, counted: false },
      { status: "queued" },
    ],
    ["its content in the ledger and the totals", { contentHash: mine, counted: true }, { status: "counted" }],
    [
      "other content under its eventId",
      { contentHash: theirs, counted: true },
      { status: "rejected", reason: "event_id_conflict" },
    ],
  ])("given %s, then it reads as expected", (_given, recorded, expected) => {
    expect(pledgeStatusOf(recorded, mine)).toEqual(expected);
  });
});
