import { describe, expect, it } from "vitest";
import { errorsOf } from "#web/form-issues.ts";
import { submitDonation } from "#web/submit.ts";

const body = { eventId: "3f6c1e0a-8f4b-4c2e-9d7a-2b5e8c1f4a90", campaignId: "thang-9" };
const answer = (status: number, json: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(json), { status, headers });

/** A fetch that answers from a script and remembers every body it was sent. */
const scripted = (steps: (() => Response)[]) => {
  const sent: string[] = [];
  const fetch = (async (_url: URL, init: RequestInit) => {
    sent.push(String(init.body));
    const step = steps.shift();
    if (!step) throw new Error("no more answers");
    return step();
  }) as unknown as typeof globalThis.fetch;
  return { fetch, sent };
};

describe("submitting a pledge", () => {
  it("sends the same body again after a network error and a 503, waiting as told", async () => {
    // given a network that fails once, then a busy API, then acceptance
    const waits: number[] = [];
    const { fetch, sent } = scripted([
      () => {
        throw new TypeError("network");
      },
      () => answer(503, { error: "busy" }, { "retry-after": "3" }),
      () => answer(202, { eventId: body.eventId, receipt: "abc", donationCode: "KH12345" }),
    ]);
    // when the pledge is submitted
    const outcome = await submitDonation("http://api.test/", body, {
      fetch,
      sleep: async (ms) => void waits.push(ms),
    });
    // then every try carried the identical body and the pledge was accepted
    expect(sent).toEqual([JSON.stringify(body), JSON.stringify(body), JSON.stringify(body)]);
    expect(waits).toEqual([2000, 3000]);
    expect(outcome).toEqual({
      kind: "accepted",
      eventId: body.eventId,
      receipt: "abc",
      donationCode: "KH12345",
    });
  });

  it("does not retry a 400 and hands back its issues", async () => {
    const issues = [{ path: "donor.name", message: "must not be blank", code: "blank" }];
    const { fetch, sent } = scripted([() => answer(400, { error: "validation_failed", issues })]);
    const outcome = await submitDonation("http://api.test/", body, { fetch, sleep: async () => {} });
    expect(sent).toHaveLength(1);
    expect(outcome).toEqual({ kind: "invalid", issues });
  });

  it("does not retry a 422 and hands back its issues, so the form can say them beside their fields", async () => {
    // Prepare: the campaign no longer covers the chosen commune (its coverage changed after the page loaded).
    const issues = [{ path: "unitCode", message: "outside the campaign", code: "unit_not_covered" }];
    const { fetch, sent } = scripted([
      () => answer(422, { error: "unit_not_covered", message: "outside the campaign", issues }),
    ]);
    // Act
    const outcome = await submitDonation("http://api.test/", body, { fetch, sleep: async () => {} });
    // Assess
    expect(sent).toHaveLength(1);
    expect(outcome).toEqual({
      kind: "refused",
      status: 422,
      error: "unit_not_covered",
      message: "outside the campaign",
      issues,
    });
    const placed = errorsOf(outcome, (path) => (path === "unitCode" ? "unitCode" : undefined), "vi");
    expect(placed.fields.unitCode).toBeDefined();
    expect(placed.refusalAbove).toBe(false);
  });

  it("hands back no issues for a refusal that names none", async () => {
    const { fetch } = scripted([() => answer(409, { error: "event_id_conflict", message: "reused" })]);
    const outcome = await submitDonation("http://api.test/", body, { fetch, sleep: async () => {} });
    expect(outcome).toMatchObject({ kind: "refused", status: 409, issues: [] });
    expect(errorsOf(outcome, () => undefined, "vi").refusalAbove).toBe(true);
  });

  it("gives up as unreachable after its tries", async () => {
    const fail = () => {
      throw new TypeError("network");
    };
    const { fetch, sent } = scripted([fail, fail, fail]);
    const outcome = await submitDonation("http://api.test/", body, { fetch, sleep: async () => {} });
    expect(sent).toHaveLength(3);
    expect(outcome).toEqual({ kind: "unreachable" });
  });
});
