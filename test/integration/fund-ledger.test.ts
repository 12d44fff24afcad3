import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grantEventId } from "#domain/support-amendments.ts";
import type { DomainEvent } from "#events/index.ts";
import { correctionHandler, revocationHandler } from "#functions/beneficiaries/amend-support.ts";
import { supportHandler } from "#functions/beneficiaries/grant.ts";
import {
  cashReceiptHandler,
  goodsReceiptHandler,
  reversalHandler,
} from "#functions/beneficiaries/receipts.ts";
import { campaignQueryHandler } from "#functions/campaign-query/query.ts";
import { defineExampleCampaigns } from "#local/campaigns.ts";
import { loseAnswers } from "#local/faults.ts";
import { createCampaignRegistry } from "#storage/campaigns.ts";
import { createFundSpending } from "#storage/fund-spending.ts";
import { createProjector } from "#storage/projector.ts";
import { createStore } from "#storage/store.ts";
import { createLedgerReader } from "#storage/support-reader.ts";
import { useEmulators } from "../helpers/emulators.ts";
import { BOOKSHELF_FUND, BOOKSHELVES } from "../helpers/money-events.ts";
import { messagesOf, quiet } from "../helpers/projector.ts";
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
const cashExample = JSON.parse(readFileSync("events/examples/cash-received.json", "utf8"));
const goodsExample = JSON.parse(readFileSync("events/examples/goods-received.json", "utf8"));

/** A grant of `moneyVnd` paid from the restricted bookshelf campaign, money only. */
const bookshelfGrant = (moneyVnd: number) => {
  const { goods: _goods, ...body } = grantExample;
  return {
    ...body,
    supportId: randomUUID(),
    moneyVnd,
    fundedBy: { source: "campaign", campaignId: BOOKSHELVES },
  };
};

/** The staff routes of money on fresh tables and queue, with the example campaigns and the real projector. */
const given = async () => {
  const { config, clients } = await emulators.fresh();
  const store = createStore(config, clients);
  const registry = createCampaignRegistry(config, clients);
  await defineExampleCampaigns({ registry });
  const spending = createFundSpending(config, clients);
  const ledger = createLedgerReader(config, clients);
  const deps = { ...auth.deps(), store, registry, spending, ledger };
  const staff = auth.token("unit-staff", "04252");
  const post = (
    handler: ReturnType<typeof supportHandler>,
    route: string,
    body: unknown,
    token = staff,
    params = {},
  ) => invoke(handler, route, token, body, params);
  const projector = createProjector(store, quiet);
  /** Everything queued so far, through every projection and into the ledger, as the projector does. */
  const project = async (): Promise<DomainEvent[]> => {
    const events = await drainQueue(config, clients);
    const outcome = await projector(messagesOf(events));
    expect(outcome.failed).toEqual([]);
    return events;
  };
  const cash = (amountVnd: number, over: Record<string, unknown> = {}, token = staff) =>
    post(
      cashReceiptHandler(deps),
      "POST /v1/receipts/cash",
      { ...cashExample, receiptId: randomUUID(), amountVnd, ...over },
      token,
    );
  const goods = (over: Record<string, unknown> = {}, token = staff) =>
    post(
      goodsReceiptHandler(deps),
      "POST /v1/receipts/goods",
      { ...goodsExample, receiptId: randomUUID(), ...over },
      token,
    );
  const grant = (body: unknown) => post(supportHandler(deps), "POST /v1/support", body);
  const reverse = (eventId: string, body: unknown = { reason: "refund" }, token = staff) =>
    post(reversalHandler(deps), "POST /v1/receipts/{eventId}/reversals", body, token, { eventId });
  const revoke = (supportId: string) =>
    post(
      revocationHandler(deps),
      "POST /v1/support/{supportId}/revocations",
      { reason: "recorded-in-error" },
      staff,
      {
        supportId,
      },
    );
  const correct = (supportId: string, moneyVnd: number, correctionId = randomUUID()) =>
    post(
      correctionHandler(deps),
      "POST /v1/support/{supportId}/corrections",
      { correctionId, corrected: { reason: "hardship", moneyVnd } },
      staff,
      { supportId },
    );
  const campaign = async (campaignId: string) =>
    invoke(campaignQueryHandler(store, quiet, registry), "GET /v1/campaigns/{campaignId}", staff, undefined, {
      campaignId,
    });
  const queued = () => drainQueue(config, clients);
  return {
    config,
    clients,
    spending,
    cash,
    goods,
    grant,
    reverse,
    revoke,
    correct,
    campaign,
    project,
    queued,
  };
};

describe("restricted money at POST /v1/support", () => {
  it("given a restricted purpose that received 3,000,000 VND, when 10 grants of 500,000 arrive at once, then exactly 6 are accepted, the rest are 422 naming what is available, and committed never passes received", async () => {
    // Given
    const { cash, grant, project, queued, spending } = await given();
    expect((await cash(3_000_000)).status).toBe(202);
    await project();
    // When
    const answers = await Promise.all(Array.from({ length: 10 }, () => grant(bookshelfGrant(500_000))));
    // Then
    const accepted = answers.filter((a) => a.status === 202);
    const refused = answers.filter((a) => a.status === 422);
    expect(accepted).toHaveLength(6);
    expect(refused).toHaveLength(4);
    for (const r of refused) {
      expect(r.body.error).toBe("insufficient_restricted_funds");
      expect(r.body.message).toMatch(/has 0 VND available; this grant pays 500,000 VND/);
      expect(r.body.issues?.map((i) => i.path)).toEqual(["moneyVnd"]);
    }
    expect(await spending.balance(BOOKSHELF_FUND)).toEqual({
      receivedVnd: 3_000_000,
      committedVnd: 3_000_000,
    });
    const enqueued = await queued();
    expect(enqueued.map((e) => e.type)).toEqual(Array(6).fill("SupportGranted"));
    expect(enqueued.map((e) => e.type === "SupportGranted" && e.data.fundedBy.fund)).toEqual(
      Array(6).fill(BOOKSHELF_FUND),
    );
  });

  it("given a grant beyond what is left, when refused, then nothing is committed or enqueued, and a grant that fits is still accepted", async () => {
    // Given
    const { cash, grant, project, queued, spending } = await given();
    await cash(1_000_000);
    await project();
    // When
    const tooMuch = await grant(bookshelfGrant(1_000_001));
    const fits = await grant(bookshelfGrant(1_000_000));
    // Then
    expect([tooMuch.status, tooMuch.body.error]).toEqual([422, "insufficient_restricted_funds"]);
    expect(tooMuch.body.message).toMatch(/has 1,000,000 VND available/);
    expect(fits.status).toBe(202);
    expect((await queued()).length).toBe(1);
    expect((await spending.balance(BOOKSHELF_FUND)).committedVnd).toBe(1_000_000);
  });

  it("given a grant from an unrestricted campaign or the unit's fund, when recorded, then it names its fund and commits nothing", async () => {
    // Given
    const { grant, queued } = await given();
    // When
    const fromCampaign = await grant({ ...grantExample, supportId: randomUUID() });
    const fromFund = await grant({ ...grantExample, supportId: randomUUID(), fundedBy: { source: "fund" } });
    const unknown = await grant({
      ...grantExample,
      supportId: randomUUID(),
      fundedBy: { source: "campaign", campaignId: "khong-co" },
    });
    // Then
    expect([fromCampaign.status, fromFund.status]).toEqual([202, 202]);
    expect([unknown.status, unknown.body.error]).toEqual([404, "campaign_not_found"]);
    const funds = (await queued()).map((e) =>
      e.type === "SupportGranted" ? e.data.fundedBy.fund : undefined,
    );
    expect(funds).toEqual([
      { unitCode: "VN", purpose: "general" },
      { unitCode: "04252", purpose: "general" },
    ]);
  });

  it("given the answers of the commitment's transaction are lost, when the grant is sent and then retried by the client, then it is accepted and its money committed once", async () => {
    // Given
    const { cash, grant, project, spending, clients } = await given();
    await cash(2_000_000);
    await project();
    const lost = loseAnswers(clients.ddb, { when: (call) => call.command.startsWith("TransactWrite") });
    const body = bookshelfGrant(700_000);
    // When
    const first = await grant(body);
    lost.stop();
    const retried = await grant(body);
    // Then
    expect(lost.stats.lost).toBeGreaterThan(0);
    expect([first.status, retried.status]).toEqual([202, 202]);
    expect(retried.body.eventId).toBe(first.body.eventId);
    expect(await spending.balance(BOOKSHELF_FUND)).toEqual({ receivedVnd: 2_000_000, committedVnd: 700_000 });
  });

  it("given a restricted grant accepted but still on the queue, when its supportId comes again with other money, then 409 and the commitment is the first grant's", async () => {
    // Given
    const { cash, grant, project, queued, spending } = await given();
    await cash(2_000_000);
    await project();
    const body = bookshelfGrant(600_000);
    expect((await grant(body)).status).toBe(202);
    // When
    const reused = await grant({ ...body, moneyVnd: 900_000 });
    // Then
    expect([reused.status, reused.body.error]).toEqual([409, "event_id_conflict"]);
    expect((await queued()).length).toBe(1);
    expect((await spending.balance(BOOKSHELF_FUND)).committedVnd).toBe(600_000);
  });

  it("given an accepted restricted grant in the ledger, when it is revoked (twice), then its money is released once", async () => {
    // Given
    const { cash, grant, revoke, project, spending } = await given();
    await cash(1_000_000);
    await project();
    const body = bookshelfGrant(800_000);
    expect((await grant(body)).status).toBe(202);
    await project();
    expect((await spending.balance(BOOKSHELF_FUND)).committedVnd).toBe(800_000);
    // When
    const answers = [await revoke(body.supportId), await revoke(body.supportId)];
    // Then
    expect(answers.map((a) => a.status)).toEqual([202, 202]);
    expect((await spending.balance(BOOKSHELF_FUND)).committedVnd).toBe(0);
    expect((await grant(bookshelfGrant(1_000_000))).status).toBe(202);
  });
});

describe("corrections of a restricted grant", () => {
  it("given a grant of 800,000 from a purpose that received 1,000,000, when corrected up beyond it, up within it and then down (and retried), then the commitment follows and the refused one enqueues nothing", async () => {
    // Given
    const { cash, grant, correct, project, queued, spending } = await given();
    await cash(1_000_000);
    await project();
    const body = bookshelfGrant(800_000);
    await grant(body);
    await project();
    const committed = async () => (await spending.balance(BOOKSHELF_FUND)).committedVnd;
    // When: up by 400,000 with 200,000 available
    const beyond = await correct(body.supportId, 1_200_000);
    // Then
    expect([beyond.status, beyond.body.error]).toEqual([422, "insufficient_restricted_funds"]);
    expect(beyond.body.message).toMatch(/has 200,000 VND available; this grant pays 400,000 VND/);
    expect(await queued()).toEqual([]);
    expect(await committed()).toBe(800_000);
    // When: up within it
    expect((await correct(body.supportId, 1_000_000)).status).toBe(202);
    await project();
    // Then
    expect(await committed()).toBe(1_000_000);
    // When: down, and the same correction again once it is in the ledger
    const downId = randomUUID();
    expect((await correct(body.supportId, 300_000, downId)).status).toBe(202);
    await project();
    const again = await correct(body.supportId, 300_000, downId);
    // Then
    expect(again.status).toBe(202);
    expect(await committed()).toBe(300_000);
    expect((await grant(bookshelfGrant(700_000))).status).toBe(202);
    expect((await grant(bookshelfGrant(1))).status).toBe(422);
  });
});

describe("POST /v1/receipts/cash and /goods, and reversals", () => {
  it("given cash for a campaign, when it is posted and retried, then one event with one receipt number, and the campaign shows it received beside pledged", async () => {
    // Given
    const { cash, project, campaign } = await given();
    const body = { receiptId: randomUUID(), amountVnd: 1_250_000 };
    // When
    const first = await cash(0, body);
    const again = await cash(0, body);
    const events = await project();
    // Then
    expect(first.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(first.body.receiptNumber).toMatch(/^PT[0-9A-HJKMNP-TV-Z]{9}$/);
    expect(events.map((e) => e.eventId)).toEqual([first.body.eventId, first.body.eventId]);
    const view = await campaign(BOOKSHELVES);
    expect(view.body.received).toEqual({ moneyVnd: 1_250_000, inKindVnd: 0, count: 1 });
    expect(view.body.fulfilment).toEqual({ pledgedVnd: 0, receivedVnd: 1_250_000 });
  });

  it("given goods received, when reversed, then the campaign's received goes back to zero; a retry answers the same, another reversal is 409", async () => {
    // Given
    const { goods, reverse, project, campaign } = await given();
    const received = await goods();
    await project();
    // When
    const reversal = await reverse(String(received.body.eventId));
    const retry = await reverse(String(received.body.eventId));
    await project();
    const other = await reverse(String(received.body.eventId), { reason: "recorded-in-error" });
    // Then
    expect([reversal.status, retry.status]).toEqual([202, 202]);
    expect(retry.body).toEqual(reversal.body);
    expect([other.status, other.body.error]).toEqual([409, "income_reversed"]);
    expect((await campaign(BOOKSHELVES)).body.received).toEqual({ moneyVnd: 0, inKindVnd: 0, count: 0 });
  });

  it("given bad receipts, when posted, then a clear 4xx and nothing enqueued", async () => {
    // Given
    const { cash, reverse, grant, project, queued } = await given();
    const other = auth.token("unit-staff", "00004");
    const auditor = auth.token("auditor", "VN");
    await grant({ ...grantExample, supportId: randomUUID() });
    const [granted] = await project();
    // When
    const answers = [
      await cash(100_000, { campaignId: "khong-co" }),
      await cash(100_000, {}, other),
      await cash(100_000, {}, auditor),
      await cash(-5),
      await reverse(randomUUID()),
      await reverse(grantEventId(granted?.type === "SupportGranted" ? granted.supportId : "")),
    ];
    // Then
    expect(answers.map((a) => [a.status, a.body.error])).toEqual([
      [404, "campaign_not_found"],
      [403, "forbidden_scope"],
      [403, "forbidden_role"],
      [400, "validation_failed"],
      [404, "not_found"],
      [422, "not_income"],
    ]);
    expect(await queued()).toEqual([]);
  });
});
