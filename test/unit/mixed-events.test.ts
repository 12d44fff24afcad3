import { describe, expect, it } from "vitest";
import { unitOn } from "#domain/units.ts";
import { DomainEvent } from "#events/index.ts";
import { communesOf2025, SEPTEMBER_MIX, septemberMix } from "#local/mixed-events.ts";

const province = communesOf2025("15");
const country = communesOf2025();

describe("the September mix the benchmark drains", () => {
  it("gives events that every schema in events/ accepts, the same for the same seed", () => {
    // Given / When
    const a = septemberMix({ events: 2_000, seed: 7, communes: province, spread: "zipf" });
    const b = septemberMix({ events: 2_000, seed: 7, communes: province, spread: "zipf" });
    // Then
    for (const event of a.messages)
      expect(DomainEvent.parse(JSON.parse(JSON.stringify(event)))).toEqual(event);
    expect(b.messages).toEqual(a.messages);
    expect(septemberMix({ events: 2_000, seed: 8, communes: province, spread: "zipf" }).messages).not.toEqual(
      a.messages,
    );
  });

  it("draws the September proportions, with redeliveries of the same event", () => {
    // Given / When
    const { messages, unique, byType } = septemberMix({
      events: 10_000,
      seed: 42,
      communes: province,
      spread: "zipf",
    });
    // Then
    const share = (...types: DomainEvent["type"][]) =>
      types.reduce((sum, type) => sum + (byType[type] ?? 0), 0) / unique;
    expect(share("DonationPledged")).toBeCloseTo(SEPTEMBER_MIX.donations, 1);
    expect(share("SupportGranted")).toBeCloseTo(SEPTEMBER_MIX.support, 1);
    expect(share("SponsorshipStarted", "SponsorshipEnded")).toBeCloseTo(SEPTEMBER_MIX.sponsorships, 1);
    expect(share("AssessmentRegistered", "AssessmentRecorded")).toBeCloseTo(SEPTEMBER_MIX.assessments, 1);
    expect(byType.SponsorshipEnded).toBeGreaterThan(0);
    expect(byType.AssessmentRecorded).toBeGreaterThan(0);
    expect(new Set(messages.map((e) => e.eventId)).size).toBe(unique);
    expect(messages.length).toBeGreaterThan(unique);
  });

  it("supports some people twice, so lượt and people differ, and no teacher sponsors more than two", () => {
    // Given / When
    const { messages } = septemberMix({ events: 6_000, seed: 42, communes: province, spread: "zipf" });
    const distinct = [...new Map(messages.map((e) => [e.eventId, e])).values()];
    // Then
    const people = distinct.flatMap((e) =>
      e.type === "SupportGranted" && e.data.recipient.type === "beneficiary"
        ? [e.data.recipient.beneficiaryId]
        : [],
    );
    expect(new Set(people).size).toBeLessThan(people.length);
    const active = new Map<string, number>();
    for (const e of distinct) {
      if (e.type === "SponsorshipStarted")
        active.set(e.data.teacherId, (active.get(e.data.teacherId) ?? 0) + 1);
      if (e.type === "SponsorshipEnded")
        active.set(e.data.teacherId, (active.get(e.data.teacherId) ?? 0) - 1);
      expect(Math.max(0, ...active.values())).toBeLessThanOrEqual(2);
    }
  });

  it("spreads the national workload over every commune and province of 2025", () => {
    // Given the 2025 units
    expect(country).toHaveLength(3_321);
    // When 3,600 events are drawn over them in turn
    const { messages } = septemberMix({ events: 3_600, seed: 55, communes: country, spread: "every" });
    // Then every commune, hence every province, has events, each valid on its date
    const communes = new Set(messages.map((e) => e.unitCode));
    expect(communes.size).toBe(3_321);
    const provinces = new Set([...communes].map((code) => unitOn(code, "2026-09-15")?.parent));
    expect(provinces.size).toBe(34);
  });
});
