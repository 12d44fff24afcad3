import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalStack, startLocalStack } from "#local/stack.ts";
import { mintToken } from "#local/token-issuer.ts";
import { aCampaignDefinition, defineCampaign, postCampaign } from "../helpers/campaigns.ts";
import { aDonationForm } from "../helpers/events.ts";
import { eventually } from "../helpers/eventually.ts";

/** The whole local product, nothing mocked: the staff routes, the door, the query. */
let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ port: 0, batchWindowMs: 50 });
});
afterAll(async () => {
  await stack?.stop();
});

const getCampaign = async (id: string) => {
  const response = await fetch(`${stack.url}/v1/campaigns/${id}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const pledge = async (body: unknown) => {
  const response = await fetch(`${stack.url}/v1/donations`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const postAs = async (role: string, unit: string | undefined, path: string, body: unknown) => {
  const token = mintToken(stack.auth.signingKey, {
    subject: "someone",
    role: role as "association-admin",
    ...(unit === undefined ? {} : { unit }),
  });
  const response = await fetch(`${stack.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe("a fresh local stack", () => {
  it("has the example campaigns defined, so the README's example pledge is taken", async () => {
    // When
    const september = await getCampaign("thang-9-khuyen-hoc-2026");
    const answer = await pledge({
      ...JSON.parse(readFileSync("events/examples/donation-form.json", "utf8")),
      eventId: randomUUID(),
    });
    // Then
    expect(september).toMatchObject({
      status: 200,
      body: {
        campaignId: "thang-9-khuyen-hoc-2026",
        name: { vi: "Tháng 9 khuyến học 2026" },
        kind: "september-study-month",
        window: { from: "2026-09-01", to: "2026-10-02" },
        goals: { moneyVnd: 5_000_000_000, luot: 10_000 },
        units: ["VN"],
      },
    });
    expect(answer.status).toBe(202);
  });
});

describe("POST /v1/campaigns", () => {
  it("defines a campaign once: the same definition again is the same answer, another under its id a 409", async () => {
    // Given
    const definition = aCampaignDefinition();
    // When
    const first = await postCampaign(stack, "/v1/campaigns", definition);
    const retry = await postCampaign(stack, "/v1/campaigns", definition);
    const other = await postCampaign(stack, "/v1/campaigns", { ...definition, goals: { luot: 1 } });
    // Then
    expect(first).toEqual({ status: 202, body: { campaignId: definition.id, eventId: expect.any(String) } });
    expect(retry).toEqual(first);
    expect(other).toMatchObject({
      status: 409,
      body: { error: "campaign_exists", issues: [{ path: "id" }] },
    });
    expect((await getCampaign(definition.id)).body.goals).toEqual(definition.goals);
  });

  it.each([
    ["no token", undefined, undefined, 401, "invalid_token"],
    ["unit staff", "unit-staff", "04252", 403, "forbidden_role"],
    ["an auditor", "auditor", "VN", 403, "forbidden_role"],
    ["a province's admin, for the whole country", "association-admin", "15", 403, "forbidden_scope"],
  ])("refuses %s, and defines nothing", async (_who, role, unit, status, code) => {
    // Given
    const definition = aCampaignDefinition({ units: ["VN"] });
    // When
    const answer =
      role === undefined
        ? await fetch(`${stack.url}/v1/campaigns`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(definition),
          }).then(async (r) => ({ status: r.status, body: await r.json() }))
        : await postAs(role, unit, "/v1/campaigns", definition);
    // Then
    expect(answer).toMatchObject({ status, body: { error: code } });
    expect((await getCampaign(definition.id)).status).toBe(404);
  });

  it("lets a province's admin define a campaign of its province and communes", async () => {
    const definition = aCampaignDefinition({ units: ["15", "04252"] });
    expect((await postAs("association-admin", "15", "/v1/campaigns", definition)).status).toBe(202);
  });
});

describe("a campaign's life: pledges, an update, the close", () => {
  it("given a defined campaign, when pledged to, updated and closed, then the door and the dashboard follow", async () => {
    // Given
    const { id } = await defineCampaign(stack, {
      goals: { moneyVnd: 1_000_000, luot: 4 },
      window: { from: "2026-09-01", to: "2026-09-30" },
    });
    const form = aDonationForm({ campaignId: id, contribution: { kind: "money", amountVnd: 250_000 } });
    expect((await pledge(form)).status).toBe(202);
    // When: the goal is raised (and the same update retried), then the campaign is closed (twice)
    const update = { eventId: randomUUID(), goals: { moneyVnd: 2_000_000, luot: 4 } };
    const updated = await postCampaign(stack, `/v1/campaigns/${id}/updates`, update);
    const updatedAgain = await postCampaign(stack, `/v1/campaigns/${id}/updates`, update);
    const reused = await postCampaign(stack, `/v1/campaigns/${id}/updates`, { ...update, goals: {} });
    const closed = await postCampaign(stack, `/v1/campaigns/${id}/close`, { reason: "đủ chỉ tiêu" });
    const closedAgain = await postCampaign(stack, `/v1/campaigns/${id}/close`, {});
    const late = await pledge(aDonationForm({ campaignId: id }));
    const afterClose = await postCampaign(stack, `/v1/campaigns/${id}/updates`, { goals: { luot: 5 } });
    const view = await eventually(
      () => getCampaign(id),
      (v) => (v.body.pledged as { count?: number } | undefined)?.count === 1,
    );
    // Then
    expect(updated).toEqual({ status: 202, body: { campaignId: id, eventId: update.eventId } });
    expect(updatedAgain).toEqual(updated);
    expect(reused).toMatchObject({ status: 409, body: { error: "event_id_conflict" } });
    expect(closed).toMatchObject({ status: 202, body: { campaignId: id, closedAt: expect.any(String) } });
    expect(closedAgain).toEqual(closed);
    expect(late).toMatchObject({ status: 422, body: { error: "campaign_closed" } });
    expect(afterClose).toMatchObject({ status: 422, body: { error: "campaign_closed" } });
    expect(view.body).toMatchObject({
      goals: { moneyVnd: 2_000_000, luot: 4 },
      closedAt: closed.body.closedAt,
      pledged: { moneyVnd: 250_000, inKindVnd: 0, count: 1 },
      progress: {
        vnd: { pledgedVnd: 250_000, goal: 2_000_000, percent: 12 },
        luot: { count: 1, goal: 4, percent: 25 },
      },
    });
  });

  it("answers an update or a close of an unknown campaign 404 campaign_not_found", async () => {
    for (const path of ["/v1/campaigns/chua-co/updates", "/v1/campaigns/chua-co/close"])
      expect(await postCampaign(stack, path, {})).toMatchObject({
        status: 404,
        body: { error: "campaign_not_found" },
      });
  });
});

describe("odd inputs on the campaign routes (property)", () => {
  /** Any JSON value at any top-level field of a valid body, or a field that does not exist. */
  const oddBodies = (valid: Record<string, unknown>) =>
    fc
      .tuple(
        fc.constantFrom(...Object.keys(valid), "unknownField"),
        fc.oneof(fc.jsonValue(), fc.string(), fc.integer(), fc.double(), fc.constant(null)),
      )
      .map(([field, value]) => ({ field, body: { ...valid, [field]: value } }));

  const routes = [
    { path: () => "/v1/campaigns", valid: () => aCampaignDefinition() as Record<string, unknown> },
    {
      path: () => "/v1/campaigns/thang-9-khuyen-hoc-2026/updates",
      valid: () => ({ eventId: randomUUID(), goals: { luot: 10_000 } }),
    },
    { path: () => "/v1/campaigns/tu-sach-dinh-huu-du-2026/close", valid: () => ({ reason: "hết hạn" }) },
  ];

  it.each(routes.map((r) => [r.path(), r]))(
    "%s never answers 5xx, and a 400 names the field that is wrong",
    async (_path, route) => {
      await fc.assert(
        fc.asyncProperty(oddBodies(route.valid()), async ({ field, body }) => {
          const answer = await postCampaign(stack, route.path(), body);
          expect(answer.status).toBeLessThan(500);
          if (answer.status === 400) {
            const issues = answer.body.issues as { path: string; code: string }[];
            // zod names an unknown key by its object, and says so with the code unknown_field.
            if (field === "unknownField") expect(issues.map((i) => i.code)).toContain("unknown_field");
            else expect(issues.map((i) => i.path.split(".")[0])).toContain(field);
          }
        }),
        { numRuns: 60 },
      );
    },
  );
});
