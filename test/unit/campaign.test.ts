import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  admitPledge,
  type CampaignState,
  campaignDefinedFrom,
  campaignUpdatedFrom,
  definitionOf,
  progressOf,
} from "#domain/campaign.ts";
import type { ClientError } from "#domain/errors.ts";
import type { Principal } from "#domain/principal.ts";
import { CampaignDefinition } from "#events/campaign.ts";
import { DomainEvent } from "#events/index.ts";
import { exampleCampaigns } from "#local/campaigns.ts";
import { aCampaignDefinition } from "../helpers/campaigns.ts";
import { fixedClock } from "../helpers/events.ts";

const admin: Principal = { subject: "admin-1", role: "association-admin", scope: "VN" };

const campaign = (overrides: Partial<CampaignDefinition> = {}, closedAt?: string): CampaignState => ({
  definition: CampaignDefinition.parse({ ...aCampaignDefinition({ id: "thu-nghiem" }), ...overrides }),
  ...(closedAt === undefined ? {} : { closedAt }),
});

/** The error a rule throws, or undefined when it lets the pledge in. */
const refusal = (run: () => void): { status: number; code: string; path?: string } | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    const e = error as ClientError;
    return { status: e.status, code: e.code, ...(e.issues[0] ? { path: e.issues[0].path } : {}) };
  }
};

const pledge = (occurredAt: string, unitCode = "04252") => ({ occurredAt, unitCode });

describe("a campaign's window, in Vietnamese days", () => {
  const september = campaign({ window: { from: "2026-09-01", to: "2026-09-30" } });

  it("given a window ending 2026-09-30, when a pledge is dated 23:30 that evening in Vietnam, then it is inside", () => {
    expect(
      refusal(() => admitPledge("thu-nghiem", september, pledge("2026-09-30T23:30:00+07:00"))),
    ).toBeUndefined();
  });

  it("given a window ending 2026-09-30, when a pledge is dated 17:30Z that day (00:30 on 1 October in Vietnam), then it is refused as closed", () => {
    expect(refusal(() => admitPledge("thu-nghiem", september, pledge("2026-09-30T17:30:00Z")))).toEqual({
      status: 422,
      code: "campaign_closed",
      path: "occurredAt",
    });
  });

  it("given a window from 2026-09-01, when a pledge is dated 16:59Z on 31 August (23:59 in Vietnam), then it is refused, and a minute later taken", () => {
    expect(refusal(() => admitPledge("thu-nghiem", september, pledge("2026-08-31T16:59:00Z")))).toMatchObject(
      {
        code: "campaign_closed",
      },
    );
    expect(
      refusal(() => admitPledge("thu-nghiem", september, pledge("2026-08-31T17:00:00Z"))),
    ).toBeUndefined();
  });

  it("given a closed campaign, when a pledge inside its window arrives, then it is refused as closed", () => {
    const closed = campaign({}, "2026-09-10T08:00:00.000+07:00");
    expect(refusal(() => admitPledge("thu-nghiem", closed, pledge("2026-09-05T09:30:00+07:00")))).toEqual({
      status: 422,
      code: "campaign_closed",
      path: "campaignId",
    });
  });

  it("given no campaign under the id, when a pledge names it, then it is a 404 campaign_not_found", () => {
    expect(refusal(() => admitPledge("khong-co", undefined, pledge("2026-09-05T09:30:00+07:00")))).toEqual({
      status: 404,
      code: "campaign_not_found",
      path: "campaignId",
    });
  });
});

describe("the units a campaign covers", () => {
  const laoCai = campaign({ units: ["15"] });

  it.each([
    ["a commune of Lào Cai", "04252", "2026-09-05T09:30:00+07:00"],
    ["the province itself", "15", "2026-09-05T09:30:00+07:00"],
  ])("takes a pledge of %s", (_what, unitCode, occurredAt) => {
    expect(refusal(() => admitPledge("thu-nghiem", laoCai, pledge(occurredAt, unitCode)))).toBeUndefined();
  });

  it.each([
    ["a commune of another province", "20101"],
    ["another province", "20"],
    ["a commune code retired in 2025", "04255"],
  ])("refuses a pledge of %s with 422 unit_not_covered naming unitCode", (_what, unitCode) => {
    expect(
      refusal(() => admitPledge("thu-nghiem", laoCai, pledge("2026-09-05T09:30:00+07:00", unitCode))),
    ).toEqual({
      status: 422,
      code: "unit_not_covered",
      path: "unitCode",
    });
  });

  it("takes a pledge of any unit when the campaign covers VN", () => {
    expect(
      refusal(() => admitPledge("thu-nghiem", campaign(), pledge("2026-09-05T09:30:00+07:00", "20101"))),
    ).toBeUndefined();
  });
});

describe("defining a campaign", () => {
  it("gives an event the ledger accepts, with an id derived from the campaign's, whatever the key order", () => {
    // Given
    const body = aCampaignDefinition({ id: "tu-sach-2026", units: ["15", "15"] });
    const { units, ...rest } = body;
    const reordered = { units, ...rest };
    // When
    const event = campaignDefinedFrom(body, admin, fixedClock());
    const again = campaignDefinedFrom(reordered, admin, fixedClock("2026-09-06T00:00:00Z"));
    // Then
    expect(DomainEvent.parse(event)).toEqual(event);
    expect(again.eventId).toBe(event.eventId);
    expect(again.source.contentHash).toBe(event.source.contentHash);
    expect(definitionOf(event).units).toEqual(["15"]);
    expect(event.unitCode).toBe("VN");
  });

  it.each([
    [
      "a window that ends before it begins",
      { window: { from: "2026-10-01", to: "2026-09-30" } },
      422,
      "campaign_window_reversed",
      "window.to",
    ],
    ["a unit not in force on the first day", { units: ["VN", "99999"] }, 422, "unit_not_in_force", "units.1"],
    ["a unit retired before the first day", { units: ["04480"] }, 422, "unit_retired", "units.0"],
  ])("refuses %s, naming the field", (_what, overrides, status, code, path) => {
    const body = aCampaignDefinition(overrides as never);
    expect(refusal(() => campaignDefinedFrom(body, admin, fixedClock()))).toEqual({ status, code, path });
  });
});

describe("updating a campaign", () => {
  it("replaces what the update names, keeps the rest, and re-checks the window", () => {
    // Given
    const current = campaign().definition;
    // When
    const { event, next } = campaignUpdatedFrom(current, { goals: { luot: 9 } }, admin, fixedClock());
    // Then
    expect(next).toEqual({ ...current, goals: { luot: 9 } });
    expect(event.data).toEqual({ changes: { goals: { luot: 9 } } });
    expect(DomainEvent.parse(event)).toEqual(event);
    expect(
      refusal(() =>
        campaignUpdatedFrom(
          current,
          { window: { from: "2027-01-02", to: "2027-01-01" } },
          admin,
          fixedClock(),
        ),
      ),
    ).toMatchObject({ code: "campaign_window_reversed" });
  });
});

describe("progress against the goals", () => {
  it("counts money and goods valued in money against the VND goal, pledges against the lượt goal, in whole percent rounded down", () => {
    const definition = campaign({ goals: { moneyVnd: 3_000_000, luot: 3, items: 10 } }).definition;
    expect(progressOf(definition, { moneyVnd: 1_000_000, inKindVnd: 999_999, count: 2 })).toEqual({
      vnd: { pledgedVnd: 1_999_999, goal: 3_000_000, percent: 66 },
      luot: { count: 2, goal: 3, percent: 66 },
    });
  });

  it("shows no progress for goals not set, and no percent for a goal of zero", () => {
    expect(progressOf(campaign({ goals: {} }).definition, { moneyVnd: 5, inKindVnd: 0, count: 1 })).toEqual(
      {},
    );
    expect(
      progressOf(campaign({ goals: { luot: 0 } }).definition, { moneyVnd: 5, inKindVnd: 0, count: 1 }),
    ).toEqual({
      luot: { count: 1, goal: 0 },
    });
  });
});

describe("the example campaigns in data/campaigns/", () => {
  const examples = exampleCampaigns();
  const byId = new Map(
    examples.map((e) => [e.id, { definition: definitionOf(campaignDefinedFrom(e, admin, fixedClock())) }]),
  );

  it("are valid definitions, each under the file named by its id", () => {
    expect([...byId.keys()]).toEqual(
      expect.arrayContaining([
        "thang-9-khuyen-hoc-2026",
        "ngay-hoi-khuyen-hoc-2026",
        "quy-khuyen-tai-xa-2026",
      ]),
    );
  });

  it("take the README's example pledges", () => {
    for (const file of ["events/examples/donation-form.json", "events/examples/donation-form-in-kind.json"]) {
      const form = JSON.parse(readFileSync(file, "utf8"));
      expect(refusal(() => admitPledge(form.campaignId, byId.get(form.campaignId), form))).toBeUndefined();
    }
  });

  it("take pledges through the whole September the benchmark and the fault drill generate, Vietnam time", () => {
    for (const id of ["thang-9-khuyen-hoc-2026", "ngay-hoi-khuyen-hoc-2026", "quy-khuyen-tai-xa-2026"])
      for (const occurredAt of ["2026-08-31T17:00:00Z", "2026-09-30T17:01:00Z", "2026-09-11T23:59:00+09:00"])
        expect(refusal(() => admitPledge(id, byId.get(id), pledge(occurredAt, "04255")))).toBeUndefined();
  });
});
