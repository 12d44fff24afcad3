import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SupportCorrected, SupportRevoked } from "#events/support.ts";
import { correctionHandler, revocationHandler } from "#functions/beneficiaries/amend-support.ts";
import { supportHandler } from "#functions/beneficiaries/grant.ts";
import { defineExampleCampaigns } from "#local/campaigns.ts";
import { createCampaignRegistry } from "#storage/campaigns.ts";
import { createFundSpending } from "#storage/fund-spending.ts";
import { createStore } from "#storage/store.ts";
import { createLedgerReader } from "#storage/support-reader.ts";
import { useEmulators } from "../helpers/emulators.ts";
import { drainQueue, invoke, startStaffAuth } from "../helpers/staff-routes.ts";

const emulators = useEmulators();
let auth: Awaited<ReturnType<typeof startStaffAuth>>;
beforeAll(async () => {
  auth = await startStaffAuth();
});
afterAll(async () => {
  await auth?.stop();
});

const grantExample = JSON.parse(readFileSync("events/examples/support-granted.json", "utf8"));
const correctionExample = JSON.parse(readFileSync("events/examples/support-corrected.json", "utf8"));
const revocationExample = JSON.parse(readFileSync("events/examples/support-revoked.json", "utf8"));

/** The grant, correction and revocation routes on fresh tables and queue, with real storage. */
const given = async () => {
  const { config, clients } = await emulators.fresh();
  const store = createStore(config, clients);
  const registry = createCampaignRegistry(config, clients);
  await defineExampleCampaigns({ registry });
  const deps = {
    ...auth.deps(),
    store,
    ledger: createLedgerReader(config, clients),
    registry,
    spending: createFundSpending(config, clients),
  };
  const staff = auth.token("unit-staff", "04252");
  const grant = (body: Record<string, unknown>) =>
    invoke(supportHandler(deps), "POST /v1/support", staff, body);
  const correct = (supportId: string, body: unknown = correctionExample, token = staff) =>
    invoke(correctionHandler(deps), "POST /v1/support/{supportId}/corrections", token, body, { supportId });
  const revoke = (supportId: string, body: unknown = revocationExample, token = staff) =>
    invoke(revocationHandler(deps), "POST /v1/support/{supportId}/revocations", token, body, { supportId });
  /** What the projector leaves that these routes read: every queued event in the ledger. */
  const project = async () => {
    const events = await drainQueue(config, clients);
    await store.insertLedger(events.map((event) => ({ event })));
    return events;
  };
  const queued = () => drainQueue(config, clients);
  return { grant, correct, revoke, project, queued };
};

/** The grant's facts as the examples state them (1,000,000 VND and goods worth 250,000), and its fund. */
const recordedGrant = {
  recipient: grantExample.recipient,
  reason: "overcoming-hardship",
  moneyVnd: 1_000_000,
  inKindVnd: 250_000,
  goodsDescription: "Cặp sách và 10 quyển vở",
  // The September campaign covers the whole country: the server names the central general fund.
  fundedBy: { ...grantExample.fundedBy, fund: { unitCode: "VN", purpose: "general" } },
  occurredAt: grantExample.occurredAt,
  unitCode: "04252",
};

describe("POST /v1/support/{supportId}/corrections and /revocations", () => {
  it("given no recorded grant, when it is corrected or revoked, then 404 not_found and nothing enqueued", async () => {
    // Given: a grant accepted but not yet in the ledger, and one never made
    const { grant, correct, revoke, queued } = await given();
    const pending = randomUUID();
    await grant({ ...grantExample, supportId: pending });
    await queued();
    // When
    const answers = [
      await correct(pending),
      await revoke(pending),
      await correct(randomUUID()),
      await revoke(randomUUID()),
    ];
    // Then
    expect(answers.map((a) => [a.status, a.body.error])).toEqual(answers.map(() => [404, "not_found"]));
    expect(await queued()).toEqual([]);
  });

  it("given a recorded grant, when it is corrected, then SupportCorrected restates the grant from the ledger", async () => {
    // Given
    const { grant, correct, project, queued } = await given();
    const supportId = randomUUID();
    await grant({ ...grantExample, supportId });
    await project();
    // When
    const answer = await correct(supportId);
    const retried = await correct(supportId);
    // Then
    expect(answer.status).toBe(202);
    expect(retried).toEqual(answer);
    const events = (await queued()) as SupportCorrected[];
    expect(new Set(events.map((e) => e.eventId))).toEqual(new Set([answer.body.eventId]));
    expect(events[0]).toMatchObject({
      type: "SupportCorrected",
      supportId,
      unitCode: "04252",
      data: {
        original: recordedGrant,
        corrected: { reason: "overcoming-hardship", moneyVnd: 1_500_000, inKindVnd: 250_000 },
      },
    });
  });

  it("given a grant corrected once, when it is corrected again and then revoked, then each restates the grant as it stands", async () => {
    // Given
    const { grant, correct, revoke, project } = await given();
    const supportId = randomUUID();
    await grant({ ...grantExample, supportId });
    await project();
    const first = await correct(supportId);
    await project();
    // When: a second correction (money only, goods dropped), then a revocation
    const second = await correct(supportId, {
      correctionId: randomUUID(),
      corrected: { reason: "hardship", moneyVnd: 800_000 },
    });
    const [secondEvent] = (await project()) as SupportCorrected[];
    const revoked = await revoke(supportId);
    const [revokedEvent] = (await project()) as SupportRevoked[];
    // And: the first correction retried late, after both
    const lateRetry = await correct(supportId);
    // Then
    expect(second.status).toBe(202);
    expect(second.body.eventId).not.toBe(first.body.eventId);
    expect(secondEvent?.data.original).toEqual({ ...recordedGrant, moneyVnd: 1_500_000 });
    expect(revoked.status).toBe(202);
    const { goodsDescription: _gone, ...standing } = recordedGrant;
    expect(revokedEvent?.data).toEqual({
      original: { ...standing, reason: "hardship", moneyVnd: 800_000, inKindVnd: 0 },
      reason: "recorded-in-error",
    });
    expect(lateRetry).toEqual(first);
  });

  it("given a revoked grant, when revoked again for another reason or corrected anew, then 409 support_revoked and nothing enqueued", async () => {
    // Given
    const { grant, correct, revoke, project, queued } = await given();
    const supportId = randomUUID();
    await grant({ ...grantExample, supportId });
    await project();
    const revoked = await revoke(supportId);
    await project();
    // When
    const again = await revoke(supportId);
    const otherReason = await revoke(supportId, { reason: "duplicate" });
    const corrected = await correct(supportId, { corrected: { reason: "other", moneyVnd: 1 } });
    // Then
    expect(again).toEqual(revoked);
    expect([otherReason, corrected].map((a) => [a.status, a.body.error])).toEqual([
      [409, "support_revoked"],
      [409, "support_revoked"],
    ]);
    expect(await queued()).toEqual([]);
  });

  it("given a grant in one province, when staff of another correct or revoke it, then 403 and nothing enqueued", async () => {
    // Given
    const { grant, correct, revoke, project, queued } = await given();
    const supportId = randomUUID();
    await grant({ ...grantExample, supportId });
    await project();
    const stranger = auth.token("unit-staff", "15010");
    // When
    const answers = [
      await correct(supportId, correctionExample, stranger),
      await revoke(supportId, revocationExample, stranger),
    ];
    // Then
    expect(answers.map((a) => [a.status, a.body.error])).toEqual([
      [403, "forbidden_scope"],
      [403, "forbidden_scope"],
    ]);
    expect(await queued()).toEqual([]);
  });

  it("given a correction of neither money nor goods, then 422 support_amount_required naming corrected.moneyVnd", async () => {
    // Given
    const { grant, correct, project, queued } = await given();
    const supportId = randomUUID();
    await grant({ ...grantExample, supportId });
    await project();
    // When
    const answer = await correct(supportId, { corrected: { reason: "hardship" } });
    // Then
    expect(answer.status).toBe(422);
    expect(answer.body.error).toBe("support_amount_required");
    expect(answer.body.issues?.map((i) => i.path)).toEqual(["corrected.moneyVnd"]);
    expect(await queued()).toEqual([]);
  });
});

/** Values no field of these bodies accepts. */
const odd = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -5, max: 5 }).map((n) => n - 0.5),
  fc.constantFrom("", " ", "not-a-uuid", "-1", "\u0000"),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
);

describe("odd inputs: a 4xx that names the field, never a 5xx, nothing enqueued", () => {
  it("a correction or revocation with an odd supportId or field (property)", async () => {
    const { grant, correct, revoke, project, queued } = await given();
    const supportId = randomUUID();
    await grant({ ...grantExample, supportId });
    await project();
    const fields = [
      "supportId",
      "correctionId",
      "corrected",
      "corrected.reason",
      "corrected.moneyVnd",
      "corrected.goods",
      "reason",
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fields), odd, async (field, value) => {
        // Given
        const id = field === "supportId" ? String(JSON.stringify(value)) : supportId;
        const [head, tail] = field.split(".") as [string, string | undefined];
        const correction =
          tail === undefined
            ? { ...correctionExample, [head]: value }
            : { ...correctionExample, corrected: { ...correctionExample.corrected, [tail]: value } };
        // When
        const answer =
          field === "reason" || field === "supportId"
            ? await revoke(id, { ...revocationExample, ...(field === "reason" ? { reason: value } : {}) })
            : await correct(id, correction);
        // Then
        expect(answer.status).toBe(400);
        expect(answer.body.issues?.map((i) => i.path)).toEqual(
          expect.arrayContaining([expect.stringMatching(new RegExp(`^${field}`))]),
        );
        expect(await queued()).toEqual([]);
      }),
      { numRuns: 120 },
    );
  });
});
