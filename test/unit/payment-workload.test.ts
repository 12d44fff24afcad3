import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { donationCodeOf, findDonationCode } from "#domain/donation-code.ts";
import { DomainEvent } from "#events/index.ts";
import { exampleCampaigns } from "#local/campaigns.ts";
import { prng } from "#local/chaos/random.ts";
import { bankTransfers, fundOf, transferEventId } from "#local/payment-workload.ts";

describe("the bank-transfer notifications drills and benchmarks send", () => {
  it("gives events every schema in events/ accepts, one per notification, the same for the same seed", () => {
    // Given / When
    const a = bankTransfers({ notifications: 2_000 }, prng(7));
    const b = bankTransfers({ notifications: 2_000 }, prng(7));
    // Then
    for (const event of a.messages)
      expect(DomainEvent.parse(JSON.parse(JSON.stringify(event)))).toEqual(event);
    expect(b.messages).toEqual(a.messages);
    for (const { notification, event } of a.transfers) {
      expect(event.eventId).toBe(transferEventId(notification.gateway, String(notification.id)));
      expect(event.data.transfer.amountVnd).toBe(notification.transferAmount);
      expect(event.type).toBe(
        notification.transferType === "in" ? "BankTransferReceived" : "BankTransferSent",
      );
    }
    expect(new Set(a.transfers.map((t) => t.event.eventId)).size).toBe(2_000);
  });

  it("delivers about 30% twice, each redelivery the very same event, and has every kind of match", () => {
    // Given / When
    const { transfers, messages, unique, byType, byMatch } = bankTransfers(
      { notifications: 10_000 },
      prng(42),
    );
    // Then
    expect((messages.length - unique) / unique).toBeCloseTo(0.3, 1);
    const first = new Map(transfers.map((t) => [t.event.eventId, t.event]));
    for (const event of messages) expect(event).toBe(first.get(event.eventId));
    expect(byMatch.pledge).toBeGreaterThan(byMatch.unmatched);
    expect(byMatch.campaign).toBeGreaterThan(0);
    expect(byMatch.unmatched).toBeGreaterThan(0);
    expect(byType.BankTransferSent).toBeGreaterThan(0);
    expect(byType.BankTransferSent).toBeLessThan(unique / 100);
  });

  it("writes each pledge's code into the note so that the door's matcher finds it, and no unknown code is a pledge's", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
        // Given / When
        const { transfers } = bankTransfers({ notifications: 200 }, prng(seed));
        // Then
        const codes = new Set<string>();
        for (const { event } of transfers)
          if (event.type === "BankTransferReceived" && event.data.match.kind === "pledge") {
            const { match, transfer } = event.data;
            expect(findDonationCode(transfer.content)).toBe(match.donationCode);
            expect(match.donationCode).toBe(donationCodeOf(match.pledgeEventId));
            codes.add(match.donationCode);
          }
        for (const { event } of transfers)
          if (event.type === "BankTransferReceived" && event.data.match.kind === "unmatched") {
            const found = findDonationCode(event.data.transfer.content);
            if (event.data.match.reason === "no-code") expect(found).toBeUndefined();
            else expect(found !== undefined && !codes.has(found)).toBe(true);
          }
      }),
      { numRuns: 20 },
    );
  });

  it("puts a restricted campaign's money in its own purpose of its single unit's fund, the rest in VN's general", () => {
    // Given the example campaigns: one restricted to Lào Cai's bookshelves, the others national
    const funds = Object.fromEntries(exampleCampaigns().map((c) => [c.id, fundOf(c)]));
    // Then
    expect(funds["tu-sach-dinh-huu-du-2026"]).toEqual({
      unitCode: "15",
      purpose: "campaign:tu-sach-dinh-huu-du-2026",
    });
    expect(funds["thang-9-khuyen-hoc-2026"]).toEqual({ unitCode: "VN", purpose: "general" });
  });
});
