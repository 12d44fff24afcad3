import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalStack, startLocalStack } from "#local/stack.ts";
import { mintToken } from "#local/token-issuer.ts";
import { eventually } from "../helpers/eventually.ts";

/** The whole local product: gateway, handler modules, the projector on the queue; nothing mocked. */
let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ port: 0, batchWindowMs: 50 });
});
afterAll(async () => {
  await stack?.stop();
});

const grantExample = JSON.parse(readFileSync("events/examples/support-granted.json", "utf8"));
const admin = () =>
  mintToken(stack.auth.signingKey, { subject: "admin", role: "association-admin", unit: "VN", name: "A" });
const post = async (path: string, body: unknown) => {
  const response = await fetch(`${stack.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${admin()}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

interface Figures {
  luot: number;
  moneyVnd: number;
  inKindVnd: number;
}
/** The figures of a commune that no other test writes to, in 2018 (its code was valid then). */
const figures = async (): Promise<Figures> => {
  const response = await fetch(`${stack.url}/v1/units/02635/support?year=2018&asOf=historic`, {
    headers: { authorization: `Bearer ${admin()}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Figures;
};

describe("a grant corrected, then revoked, read back from the unit's figures", () => {
  it("given a grant of 1,000,000 VND, when it is corrected to 1,500,000 and then revoked, then the figures follow and end at zero", async () => {
    // Given
    const supportId = randomUUID();
    const grant = { ...grantExample, supportId, occurredAt: "2018-09-20T09:00:00+07:00", unitCode: "02635" };
    expect((await post("/v1/support", grant)).status).toBe(202);
    const granted = await eventually(figures, (f) => f.luot === 1);
    // When: corrected (404 until the grant is in the ledger, which the figures above show it is)
    const corrected = await post(`/v1/support/${supportId}/corrections`, {
      corrected: { reason: "hardship", moneyVnd: 1_500_000 },
    });
    const afterCorrection = await eventually(figures, (f) => f.moneyVnd === 1_500_000);
    await eventually(
      () => post(`/v1/support/${supportId}/revocations`, { reason: "recorded-in-error" }),
      (answer) => answer.status === 202,
    );
    const afterRevocation = await eventually(figures, (f) => f.luot === 0);
    // Then
    expect(granted).toMatchObject({ luot: 1, moneyVnd: 1_000_000, inKindVnd: 250_000 });
    expect(corrected.status).toBe(202);
    expect(afterCorrection).toMatchObject({ luot: 1, moneyVnd: 1_500_000, inKindVnd: 0 });
    expect(afterRevocation).toMatchObject({ luot: 0, moneyVnd: 0, inKindVnd: 0 });
  });
});

describe("sponsorships started and ended, read back from the unit's figures", () => {
  it("given two sponsorships of one teacher, when one ends and a third starts, then started 3, ended 1, active 2", async () => {
    // Given: a commune of today, on this file's own stack
    const start = JSON.parse(readFileSync("events/examples/sponsorship-started.json", "utf8"));
    const teacherId = randomUUID();
    const aStart = () => ({
      ...start,
      sponsorshipId: randomUUID(),
      teacherId,
      studentId: randomUUID(),
      unitCode: "04252",
    });
    const [first, second] = [aStart(), aStart()];
    const answers = [await post("/v1/sponsorships", first), await post("/v1/sponsorships", second)];
    const refused = await post("/v1/sponsorships", aStart());
    // When: the first ends (404 until its start is in the ledger), then a third starts
    const ended = await eventually(
      () =>
        post(`/v1/sponsorships/${first.sponsorshipId}/end`, {
          reason: "completed",
          occurredAt: "2026-11-20T08:00:00+07:00",
        }),
      (answer) => answer.status === 202,
    );
    const third = await post("/v1/sponsorships", aStart());
    const read = async () => {
      const response = await fetch(`${stack.url}/v1/units/04252/sponsorships`, {
        headers: { authorization: `Bearer ${admin()}` },
      });
      return (await response.json()) as { started: number; ended: number; active: number };
    };
    const seen = await eventually(read, (f) => f.started === 3 && f.ended === 1);
    // Then
    expect(answers.map((a) => a.status)).toEqual([202, 202]);
    expect([refused.status, refused.body.error]).toEqual([422, "sponsorship_limit"]);
    expect(ended.status).toBe(202);
    expect(third.status).toBe(202);
    expect(seen).toMatchObject({ started: 3, ended: 1, active: 2 });
  });
});
