import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { supportGrantedFrom } from "#domain/family-commands.ts";
import type { Principal } from "#domain/principal.ts";
import { supportContributions } from "#domain/projections/support.ts";
import {
  type Recorded,
  readSupportHistory,
  supportCorrectedFrom,
  supportRevokedFrom,
} from "#domain/support-amendments.ts";
import { DomainEvent } from "#events/index.ts";
import {
  SupportCorrectionRequest,
  SupportGrantRequest,
  SupportReason,
  SupportRevocationRequest,
} from "#events/support.ts";

const staff: Principal = { subject: "staff-1", role: "unit-staff", scope: "04252" };
const clock = { now: () => new Date("2026-11-28T08:00:00Z"), newId: randomUUID };
const example = (file: string): unknown => JSON.parse(readFileSync(`events/examples/${file}`, "utf8"));

/** A ledger in memory: what the projector would have recorded, read as the routes read it. */
const ledgerOf = (events: readonly DomainEvent[]) => {
  const rows = new Map<string, Recorded>(
    events.map((e) => [
      e.eventId,
      { contentHash: e.source.contentHash, event: JSON.parse(JSON.stringify(e)) },
    ]),
  );
  return async (eventId: string) => rows.get(eventId);
};

/** The history of a grant the test made: present by construction. */
const historyOf = async (events: readonly DomainEvent[], supportId: string) => {
  const history = await readSupportHistory(ledgerOf(events), supportId);
  if (history === undefined) throw new Error(`no grant ${supportId} in the test's ledger`);
  return history;
};

const grantOf = (supportId = randomUUID()) =>
  supportGrantedFrom(
    SupportGrantRequest.parse({ ...(example("support-granted.json") as object), supportId }),
    staff,
    clock,
  );

/** Every counter the events move in each partition and item, firsts left out. */
const totals = (events: readonly DomainEvent[]) => {
  const sums = new Map<string, number>();
  for (const event of events)
    for (const c of supportContributions(event))
      for (const [name, n] of Object.entries(c.add)) {
        const key = `${c.target.partition}|${c.target.item}|${name}`;
        const total = (sums.get(key) ?? 0) + n;
        if (total === 0) sums.delete(key);
        else sums.set(key, total);
      }
  return sums;
};

describe("reading a grant's history from the ledger", () => {
  it("given no grant, then there is no history", async () => {
    expect(await readSupportHistory(ledgerOf([]), randomUUID())).toBeUndefined();
  });

  it("given a grant and two corrections, then the standing facts are the last correction's", async () => {
    // Given
    const granted = grantOf();
    const first = supportCorrectedFrom(
      granted.supportId,
      await historyOf([granted], granted.supportId),
      SupportCorrectionRequest.parse(example("support-corrected.json")),
      staff,
      clock,
    );
    if (first.kind !== "new") throw new Error("expected a new correction");
    const second = supportCorrectedFrom(
      granted.supportId,
      await historyOf([granted, first.event], granted.supportId),
      { corrected: { reason: "hardship", moneyVnd: 700_000 } },
      staff,
      clock,
    );
    if (second.kind !== "new") throw new Error("expected a new correction");
    // When
    const history = await readSupportHistory(
      ledgerOf([granted, first.event, second.event]),
      granted.supportId,
    );
    // Then
    expect(history?.corrections.map((c) => c.eventId)).toEqual([first.event.eventId, second.event.eventId]);
    const { goodsDescription: _gone, ...before } = second.event.data.original;
    expect(history?.standing).toEqual({ ...before, reason: "hardship", moneyVnd: 700_000, inKindVnd: 0 });
    expect(DomainEvent.parse(second.event)).toEqual(second.event);
  });
});

describe("amending a grant: the figures end as if the grant had been right (property)", () => {
  const amounts = fc.record(
    {
      reason: fc.constantFrom(...SupportReason.options),
      moneyVnd: fc.integer({ min: 0, max: 50_000_000 }),
      goods: fc.record({
        description: fc.constant("Sách vở"),
        valuationVnd: fc.integer({ min: 0, max: 5_000_000 }),
      }),
    },
    { requiredKeys: ["reason"] },
  );

  it("given any corrections in turn, then the counters equal a grant of the last facts; a revocation then zeroes them", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(amounts, { maxLength: 5 })
          .map((list) => list.filter((a) => a.moneyVnd !== undefined || a.goods !== undefined)),
        async (corrections) => {
          // Given
          const granted = grantOf();
          const ledger: DomainEvent[] = [granted];
          // When: each correction restates the grant as the ledger has it then
          for (const corrected of corrections) {
            const history = await historyOf(ledger, granted.supportId);
            const amending = supportCorrectedFrom(granted.supportId, history, { corrected }, staff, clock);
            if (amending.kind === "new") ledger.push(amending.event);
          }
          const last = corrections.at(-1);
          const rightFirstTime =
            last === undefined
              ? granted
              : {
                  ...granted,
                  data: {
                    ...granted.data,
                    reason: last.reason,
                    moneyVnd: last.moneyVnd ?? 0,
                    inKindVnd: last.goods?.valuationVnd ?? 0,
                  },
                };
          // Then
          expect(totals(ledger)).toEqual(totals([rightFirstTime]));
          const history = await historyOf(ledger, granted.supportId);
          const revoked = supportRevokedFrom(
            granted.supportId,
            history,
            { reason: "recorded-in-error" },
            staff,
            clock,
          );
          if (revoked.kind !== "new") throw new Error("expected a new revocation");
          expect(totals([...ledger, revoked.event])).toEqual(new Map());
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("retries and refusals", () => {
  it("given a correction in the ledger, when the same correctionId and body come again, then the same eventId", async () => {
    // Given
    const granted = grantOf();
    const body = SupportCorrectionRequest.parse(example("support-corrected.json"));
    const first = supportCorrectedFrom(
      granted.supportId,
      await historyOf([granted], granted.supportId),
      body,
      staff,
      clock,
    );
    if (first.kind !== "new") throw new Error("expected a new correction");
    // When
    const again = supportCorrectedFrom(
      granted.supportId,
      await historyOf([granted, first.event], granted.supportId),
      body,
      staff,
      clock,
    );
    // Then
    expect(again).toEqual({ kind: "retry", eventId: first.event.eventId });
  });

  it("given a revoked grant, then another reason or a new correction is 409 support_revoked; the same reason is a retry", async () => {
    // Given
    const granted = grantOf();
    const revocation = SupportRevocationRequest.parse(example("support-revoked.json"));
    const first = supportRevokedFrom(
      granted.supportId,
      await historyOf([granted], granted.supportId),
      revocation,
      staff,
      clock,
    );
    if (first.kind !== "new") throw new Error("expected a new revocation");
    const history = await historyOf([granted, first.event], granted.supportId);
    const refused = expect.objectContaining({ status: 409, code: "support_revoked" });
    // When / Then
    expect(supportRevokedFrom(granted.supportId, history, revocation, staff, clock)).toEqual({
      kind: "retry",
      eventId: first.event.eventId,
    });
    expect(() =>
      supportRevokedFrom(granted.supportId, history, { reason: "duplicate" }, staff, clock),
    ).toThrow(refused);
    expect(() =>
      supportCorrectedFrom(
        granted.supportId,
        history,
        { corrected: { reason: "other", moneyVnd: 1 } },
        staff,
        clock,
      ),
    ).toThrow(refused);
  });
});
