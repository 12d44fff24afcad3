import { randomUUID } from "node:crypto";
import { GetCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaignDefinedFrom, definitionOf } from "#domain/campaign.ts";
import { donationCodeFor, donationCodeOf } from "#domain/donation-code.ts";
import type { Principal } from "#domain/principal.ts";
import { SIGNATURE_HEADER, signatureOf, TIMESTAMP_HEADER } from "#domain/webhook-signature.ts";
import type { CampaignDefinitionRequest } from "#events/campaign.ts";
import type { DomainEvent } from "#events/index.ts";
import { ingestHandler } from "#functions/ingest/ingest.ts";
import { bankTransferHandler } from "#functions/payments/bank-transfer.ts";
import { resolveTransferHandler, reviewListHandler } from "#functions/payments/review.ts";
import { loseAnswers } from "#local/faults.ts";
import { signedNotification } from "#local/payment-secret.ts";
import { createCampaignRegistry } from "#storage/campaigns.ts";
import type { Clients } from "#storage/clients.ts";
import type { Config } from "#storage/config.ts";
import { createPayments } from "#storage/payments.ts";
import { createProjector } from "#storage/projector.ts";
import { createStore } from "#storage/store.ts";
import { aCampaignDefinition } from "../helpers/campaigns.ts";
import { useEmulators } from "../helpers/emulators.ts";
import { aDonationForm, fixedClock } from "../helpers/events.ts";
import { quiet } from "../helpers/projector.ts";
import { drainQueue, invoke, startStaffAuth } from "../helpers/staff-routes.ts";

/**
 * The bank-transfer door on DynamoDB Local and the SQS emulator, with no projector polling: what the
 * queue holds after a request is what the request put there. The notifier's secret is a test's own.
 */
const emulators = useEmulators();
let auth: Awaited<ReturnType<typeof startStaffAuth>>;
beforeAll(async () => {
  auth = await startStaffAuth();
});
afterAll(async () => {
  await auth?.stop();
});

const context = {} as Context;
const NOW = "2026-09-20T03:00:00Z";
const SECRET = "a-test-secret-of-enough-length-0123456789abcdef";
const admin: Principal = { subject: "admin-1", role: "association-admin", scope: "VN" };

const httpEvent = (body: string, headers: Record<string, string>) =>
  ({
    routeKey: "POST /v1/payments/bank-transfer",
    headers,
    body,
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

/** A notification as a SePay-style notifier sends it; override what the test is about. */
const aNotification = (overrides: Record<string, unknown> = {}) => ({
  id: Math.floor(Math.random() * 2 ** 40),
  gateway: "Vietcombank",
  transactionDate: "2026-09-20 09:55:00",
  accountNumber: "0071000888888",
  subAccount: null,
  code: null,
  content: "chuyen tien",
  transferType: "in",
  description: "BankAPINotify",
  transferAmount: 500_000,
  referenceCode: "FT26263000001",
  accumulated: 19_077_000,
  ...overrides,
});

const answerOf = (response: unknown) => {
  const r = response as APIGatewayProxyStructuredResultV2;
  return { status: r.statusCode ?? 0, body: JSON.parse(r.body ?? "{}") as Record<string, unknown> };
};

const setup = async (campaign: Partial<CampaignDefinitionRequest> = {}) => {
  const { config, clients } = await emulators.fresh();
  const store = createStore(config, clients);
  const registry = createCampaignRegistry(config, clients);
  const payments = createPayments(config, clients);
  const defined = campaignDefinedFrom(aCampaignDefinition(campaign), admin, fixedClock(NOW));
  await registry.define(definitionOf(defined), defined.source.contentHash);
  const clock = fixedClock(NOW);
  const ingest = ingestHandler(store, quiet, clock, registry, payments);
  const door = bankTransferHandler({
    store,
    log: quiet,
    clock,
    campaigns: registry,
    payments,
    secret: async () => SECRET,
  });
  /** Pledges money (or goods) to the test's campaign; the door's answer. */
  const pledge = async (amountVnd = 500_000) => {
    const form = aDonationForm({
      campaignId: defined.campaignId,
      contribution: { kind: "money", amountVnd },
    });
    const response = await ingest(
      httpEvent(JSON.stringify(form), { "content-type": "application/json" }),
      context,
    );
    const answer = answerOf(response);
    if (answer.status !== 202) throw new Error(`pledge refused: ${JSON.stringify(answer)}`);
    return { eventId: String(answer.body.eventId), code: String(answer.body.donationCode) };
  };
  /** Posts a notification signed with the secret at the door's clock (or as `sign` says). */
  const notify = async (body: unknown, sign: { secret?: string; atMs?: number } = {}) => {
    const signed = signedNotification(sign.secret ?? SECRET, body, sign.atMs ?? Date.parse(NOW));
    return answerOf(await door(httpEvent(signed.body, signed.headers), context));
  };
  return { config, clients, store, registry, payments, campaignId: defined.campaignId, pledge, notify };
};

const ofType = <T extends DomainEvent["type"]>(events: DomainEvent[], type: T) =>
  events.filter((e): e is Extract<DomainEvent, { type: T }> => e.type === type);

const reviewItems = async (config: Config, { ddb }: Pick<Clients, "ddb">) =>
  (await ddb.send(new ScanCommand({ TableName: config.projectionTable }))).Items?.filter(
    (item) => String(item.pk) === "review#transfers",
  ) ?? [];

describe("a signed notification naming a pledge's donation code", () => {
  it.each([
    ["the exact amount", 500_000, "exact"],
    ["less than pledged", 200_000, "partial"],
    ["more than pledged", 700_000, "over"],
  ])("is matched to the pledge, %s recorded as such", async (_what, amountVnd, outcome) => {
    // Given: a pledge of 500,000 VND to a restricted campaign funded by Lào Cai
    const { pledge, notify, config, clients, campaignId } = await setup({
      restrictedPurpose: "Tủ sách cho Trạm Tấu",
      fundUnit: "15",
    });
    const { eventId, code } = await pledge(500_000);
    // When: the bank reports a transfer whose note carries the code as a donor typed it
    const note = `NGUYEN VAN AN ung ho ${code.slice(0, 5).toLowerCase()} ${code.slice(5)}`;
    const answer = await notify(aNotification({ content: note, transferAmount: amountVnd }));
    // Then: 200, matched to that pledge with the campaign's restricted fund, queued once
    expect(answer).toEqual({
      status: 200,
      body: { eventId: expect.any(String), matched: "pledge", outcome },
    });
    const [received, ...more] = ofType(await drainQueue(config, clients), "BankTransferReceived");
    expect(more).toEqual([]);
    expect(received?.eventId).toBe(answer.body.eventId);
    expect(received?.unitCode).toBe("15");
    expect(received?.data.match).toEqual({
      kind: "pledge",
      pledgeEventId: eventId,
      donationCode: code,
      campaignId,
      fund: { unitCode: "15", purpose: `campaign:${campaignId}` },
      pledgedVnd: 500_000,
      outcome,
    });
    expect(received?.data.transfer.transactionAt).toBe("2026-09-20T09:55:00+07:00");
  });

  it("compares each transfer with what was still owed, and a retried transfer reads as it did the first time", async () => {
    // Given: a pledge of 500,000 VND paid in two transfers
    const { pledge, notify } = await setup();
    const { code } = await pledge(500_000);
    const firstPart = aNotification({ content: code, transferAmount: 200_000 });
    // When
    const first = await notify(firstPart);
    const rest = await notify(aNotification({ content: code, transferAmount: 300_000 }));
    const retried = await notify(firstPart);
    const extra = await notify(aNotification({ content: code, transferAmount: 1 }));
    // Then
    expect([first, rest, retried, extra].map((a) => a.body.outcome)).toEqual([
      "partial",
      "exact",
      "partial",
      "over",
    ]);
  });

  it("ignores fields a notifier adds, once the body is authenticated", async () => {
    // Given
    const { pledge, notify } = await setup();
    const { code } = await pledge();
    // When
    const answer = await notify({
      ...aNotification({ content: code }),
      bankBrandName: "VCB",
      extra: { a: 1 },
    });
    // Then
    expect(answer.status).toBe(200);
    expect(answer.body.matched).toBe("pledge");
  });
});

describe("notifications that do not prove they come from the notifier", () => {
  it.each([
    ["signed with another secret", { secret: "another-secret-of-enough-length-0123456789abcdef" }],
    ["signed six minutes ago (a replay)", { atMs: Date.parse(NOW) - 6 * 60_000 }],
    ["signed six minutes ahead", { atMs: Date.parse(NOW) + 6 * 60_000 }],
  ])("refuses one %s with a 401, and records nothing", async (_what, sign) => {
    // Given
    const { pledge, notify, config, clients } = await setup();
    const { code } = await pledge();
    await drainQueue(config, clients);
    // When
    const answer = await notify(aNotification({ content: code }), sign);
    // Then
    expect(answer).toEqual({
      status: 401,
      body: { error: "invalid_signature", message: "a valid, current signature is required" },
    });
    expect(await drainQueue(config, clients)).toEqual([]);
  });

  it.each([
    ["without a signature", (h: Record<string, string>) => ({ ...h, [SIGNATURE_HEADER]: "" })],
    ["without a timestamp", (h: Record<string, string>) => ({ ...h, [TIMESTAMP_HEADER]: "" })],
    [
      "whose timestamp was changed after signing",
      (h: Record<string, string>) => ({ ...h, [TIMESTAMP_HEADER]: String(Number(h[TIMESTAMP_HEADER]) + 1) }),
    ],
  ])("refuses one %s, and one whose body was changed after signing", async (_what, tamper) => {
    // Given
    const { notify: _n, config, clients, payments, store, registry } = await setup();
    const door = bankTransferHandler({
      store,
      log: quiet,
      clock: fixedClock(NOW),
      campaigns: registry,
      payments,
      secret: async () => SECRET,
    });
    const signed = signedNotification(SECRET, aNotification(), Date.parse(NOW));
    // When
    const tampered = answerOf(await door(httpEvent(signed.body, tamper(signed.headers)), context));
    const edited = answerOf(
      await door(httpEvent(signed.body.replace("500000", "5000000"), signed.headers), context),
    );
    // Then
    expect([tampered.status, edited.status]).toEqual([401, 401]);
    expect(await drainQueue(config, clients)).toEqual([]);
    expect(await reviewItems(config, clients)).toEqual([]);
  });

  it("refuses a body that is not JSON only after checking its signature: unsigned garbage is a 401", async () => {
    // Given
    const { store, registry, payments } = await setup();
    const door = bankTransferHandler({
      store,
      log: quiet,
      clock: fixedClock(NOW),
      campaigns: registry,
      payments,
      secret: async () => SECRET,
    });
    // When
    const unsigned = answerOf(
      await door(httpEvent("{not json", { "content-type": "application/json" }), context),
    );
    const timestamp = String(Date.parse(NOW) / 1000);
    const signedGarbage = answerOf(
      await door(
        httpEvent("{not json", {
          "content-type": "application/json",
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: signatureOf(SECRET, timestamp, "{not json"),
        }),
        context,
      ),
    );
    // Then: the stranger learns nothing about the body; the notifier learns what is wrong
    expect(unsigned.status).toBe(401);
    expect(signedGarbage).toMatchObject({ status: 400, body: { error: "malformed_json" } });
  });
});

describe("a notifier's retries", () => {
  it("answer 200 with the same eventId each time, and the ledger counts the transfer once", async () => {
    // Given: a transfer reported, then reported again with the same id before and after projection
    const { pledge, notify, config, clients, store } = await setup();
    const { code } = await pledge();
    await drainQueue(config, clients);
    const notification = aNotification({ content: `ung ho ${code}` });
    const first = await notify(notification);
    const second = await notify(notification);
    const queued = await drainQueue(config, clients);
    const projector = createProjector(store, quiet);
    await projector(queued.map((e, i) => ({ messageId: `m${i}`, body: JSON.stringify(e) })));
    // When: the notifier tries once more, after the transfer was counted
    const third = await notify(notification);
    // Then
    expect([first, second, third].map((a) => a.body.eventId)).toEqual([
      first.body.eventId,
      first.body.eventId,
      first.body.eventId,
    ]);
    expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
    expect(queued).toHaveLength(2);
    expect(await drainQueue(config, clients)).toEqual([]);
    const ledger = (await clients.ddb.send(new ScanCommand({ TableName: config.ledgerTable }))).Items ?? [];
    const transfers = ledger
      .map((row) => JSON.parse(String(row.event)) as DomainEvent)
      .filter((e) => e.type === "BankTransferReceived");
    expect(transfers.map((e) => e.eventId)).toEqual([first.body.eventId]);
  });

  it("are one event per gateway and id: the same id from another gateway is another transfer", async () => {
    // Given
    const { notify } = await setup();
    // When
    const a = await notify(aNotification({ id: 42, gateway: "Vietcombank" }));
    const b = await notify(aNotification({ id: 42, gateway: "MBBank" }));
    // Then
    expect(a.body.eventId).not.toBe(b.body.eventId);
  });
});

describe("transfers without a known donation code", () => {
  it.each([
    ["no code at all", "chuyen tien hoc phi", "no-code"],
    ["a well-formed code that was never issued", `ung ho ${donationCodeOf(randomUUID())}`, "unknown-code"],
  ])(
    "with %s go to the review list, as unattributed money of the central fund",
    async (_what, content, reason) => {
      // Given
      const { notify, config, clients } = await setup();
      // When
      const answer = await notify(aNotification({ content, transferAmount: 300_000 }));
      // Then
      expect(answer).toEqual({ status: 200, body: { eventId: expect.any(String), matched: "unmatched" } });
      const [event] = ofType(await drainQueue(config, clients), "BankTransferReceived");
      expect(event?.data.match).toEqual({
        kind: "unmatched",
        reason,
        fund: { unitCode: "VN", purpose: "general" },
      });
      const list = await invoke(
        reviewListHandler(reviewDeps(config, clients)),
        "GET /v1/payments/review",
        auth.token("association-admin", "VN"),
        "",
      );
      expect(list.body.transfers).toEqual([
        expect.objectContaining({ transferId: answer.body.eventId, amountVnd: 300_000, content, reason }),
      ]);
    },
  );
});

const reviewDeps = (config: Config, clients: Clients) => ({
  ...auth.deps(fixedClock(NOW)),
  store: createStore(config, clients),
  payments: createPayments(config, clients),
  registry: createCampaignRegistry(config, clients),
});

describe("staff resolve the review list", () => {
  const resolve = (
    config: Config,
    clients: Clients,
    transferId: string,
    body: unknown,
    token = auth.token("association-admin", "VN"),
  ) =>
    invoke(
      resolveTransferHandler(reviewDeps(config, clients)),
      "POST /v1/payments/{transferId}/match",
      token,
      body,
      { transferId },
    );

  it("to a pledge by its code: one TransferMatched, the same request again is a retry, another one a 409", async () => {
    // Given: a transfer whose note lost the code, and the pledge it was for
    const { pledge, notify, config, clients, campaignId } = await setup();
    const { eventId, code } = await pledge(500_000);
    const transfer = await notify(
      aNotification({ content: "ung ho hoc sinh ngheo", transferAmount: 500_000 }),
    );
    await drainQueue(config, clients);
    const transferId = String(transfer.body.eventId);
    // When
    const first = await resolve(config, clients, transferId, {
      kind: "pledge",
      donationCode: code.toLowerCase(),
    });
    const again = await resolve(config, clients, transferId, { kind: "pledge", donationCode: code });
    const other = await resolve(config, clients, transferId, { kind: "not-a-donation", note: "hội phí" });
    // Then
    expect(first.status).toBe(202);
    expect(again).toEqual(first);
    expect(other).toMatchObject({ status: 409, body: { error: "transfer_already_resolved" } });
    const events = await drainQueue(config, clients);
    const matched = ofType(events, "TransferMatched");
    // The retry may queue its event again before the first is projected: one eventId, counted once.
    expect([...new Set(matched.map((e) => e.eventId))]).toEqual([first.body.eventId]);
    expect(matched[0]?.data).toMatchObject({
      transferEventId: transferId,
      amountVnd: 500_000,
      match: { kind: "pledge", pledgeEventId: eventId, campaignId, outcome: "exact" },
    });
    const list = await invoke(
      reviewListHandler(reviewDeps(config, clients)),
      "GET /v1/payments/review",
      auth.token("association-admin", "VN"),
      "",
    );
    expect(list.body.transfers).toEqual([]);
  });

  it("as not a donation: a TransferDismissed, and a late retry of the notification does not reopen it", async () => {
    // Given
    const { notify, config, clients } = await setup();
    const notification = aNotification({ content: "hoi phi 2026" });
    const transfer = await notify(notification);
    await drainQueue(config, clients);
    // When
    const dismissed = await resolve(config, clients, String(transfer.body.eventId), {
      kind: "not-a-donation",
      note: "Hội phí",
    });
    await notify(notification);
    // Then
    expect(dismissed.status).toBe(202);
    expect(ofType(await drainQueue(config, clients), "TransferDismissed")).toHaveLength(1);
    expect(await reviewItems(config, clients)).toEqual([]);
  });

  it("to a campaign, only by staff whose scope holds the fund", async () => {
    // Given
    const { notify, config, clients, campaignId } = await setup();
    const transfer = await notify(aNotification({ content: "ung ho" }));
    const transferId = String(transfer.body.eventId);
    // When
    const commune = await resolve(
      config,
      clients,
      transferId,
      { kind: "campaign", campaignId },
      auth.token("unit-staff", "04252"),
    );
    const auditor = await invoke(
      reviewListHandler(reviewDeps(config, clients)),
      "GET /v1/payments/review",
      auth.token("auditor", "VN"),
      "",
    );
    const national = await resolve(config, clients, transferId, { kind: "campaign", campaignId });
    const unknown = await resolve(config, clients, randomUUID(), { kind: "campaign", campaignId });
    // Then
    expect(commune).toMatchObject({ status: 403, body: { error: "forbidden_scope" } });
    expect(auditor).toMatchObject({ status: 403, body: { error: "forbidden_role" } });
    expect(national.status).toBe(202);
    expect(unknown).toMatchObject({ status: 404, body: { error: "transfer_not_found" } });
  });

  it("refuses a transfer that was matched when it arrived", async () => {
    // Given
    const { pledge, notify, config, clients, store, campaignId } = await setup();
    const { code } = await pledge();
    const transfer = await notify(aNotification({ content: code }));
    const queued = await drainQueue(config, clients);
    await createProjector(
      store,
      quiet,
    )(queued.map((e, i) => ({ messageId: `m${i}`, body: JSON.stringify(e) })));
    // When
    const answer = await resolve(config, clients, String(transfer.body.eventId), {
      kind: "campaign",
      campaignId,
    });
    // Then
    expect(answer).toMatchObject({ status: 409, body: { error: "transfer_already_resolved" } });
  });

  it("raced by two staff with different decisions: one is taken, the other a 409, one event queued", async () => {
    // Given: a transfer on the review list
    const { notify, config, clients, campaignId } = await setup();
    const transfer = await notify(aNotification({ content: "ung ho" }));
    await drainQueue(config, clients);
    const transferId = String(transfer.body.eventId);
    // When: a match and a dismissal arrive at once
    const answers = await Promise.all([
      resolve(config, clients, transferId, { kind: "campaign", campaignId }),
      resolve(config, clients, transferId, { kind: "not-a-donation", note: "hội phí" }),
    ]);
    // Then
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
    expect(answers.find((a) => a.status === 409)?.body).toMatchObject({ error: "transfer_already_resolved" });
    const resolved = (await drainQueue(config, clients)).filter(
      (e) => e.type === "TransferMatched" || e.type === "TransferDismissed",
    );
    expect(resolved).toHaveLength(1);
  });
});

describe("outgoing transfers", () => {
  it("are recorded apart as BankTransferSent, never as income nor on the review list", async () => {
    // Given
    const { pledge, notify, config, clients } = await setup();
    const { code } = await pledge();
    await drainQueue(config, clients);
    // When: money leaves the account, even with a donation code in its note
    const answer = await notify(aNotification({ transferType: "out", content: `hoan tien ${code}` }));
    // Then
    expect(answer).toEqual({ status: 200, body: { eventId: expect.any(String), matched: "outgoing" } });
    const events = await drainQueue(config, clients);
    expect(events.map((e) => e.type)).toEqual(["BankTransferSent"]);
    expect(await reviewItems(config, clients)).toEqual([]);
  });
});

/** A code as banks and donors mangle it: case, separators between characters, words glued on either side. */
const mangled = (code: string) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: code.length, maxLength: code.length }),
      fc.array(fc.constantFrom("", "", "", " ", "-", ".", "  "), {
        minLength: code.length,
        maxLength: code.length,
      }),
      fc.stringMatching(/^[a-zA-Z ]{0,12}$/),
      fc.stringMatching(/^[a-zA-Z0-9 ]{0,12}$/),
    )
    .map(([lower, separators, before, after]) => {
      const body = [...code].map((c, i) => (lower[i] ? c.toLowerCase() : c) + (separators[i] ?? "")).join("");
      return `${before}${body}${after}`;
    });

describe("matching through mangled notes (property)", () => {
  it("finds the pledge whatever the case, separators and glued words, and never another pledge", async () => {
    // Given: two pledges, so a wrong match has somewhere to go
    const { pledge, notify, config, clients } = await setup();
    const mine = await pledge(400_000);
    const other = await pledge(600_000);
    await drainQueue(config, clients);
    // When / Then
    await fc.assert(
      fc.asyncProperty(mangled(mine.code), async (note) => {
        const answer = await notify(aNotification({ content: note, transferAmount: 400_000 }));
        const [event] = ofType(await drainQueue(config, clients), "BankTransferReceived");
        expect(answer.body.matched).toBe("pledge");
        expect(event?.data.match).toMatchObject({ kind: "pledge", pledgeEventId: mine.eventId });
        expect(event?.data.match).not.toMatchObject({ pledgeEventId: other.eventId });
      }),
      { numRuns: 30 },
    );
  });

  it("matches random text to no pledge", async () => {
    // Given
    const { pledge, notify, config, clients } = await setup();
    await pledge();
    await drainQueue(config, clients);
    // When / Then
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 80 }), async (note) => {
        const answer = await notify(aNotification({ content: note }));
        expect(answer).toMatchObject({ status: 200, body: { matched: "unmatched" } });
        await drainQueue(config, clients);
      }),
      { numRuns: 30 },
    );
  });
});

describe("the donation-code item the pledge door writes", () => {
  it("keeps the first code when the answer to its write is lost (the re-sent put is refused, then read back)", async () => {
    // Given: DynamoDB does the code item's put but its answer is lost once, so the SDK sends it again
    const { config, clients } = await emulators.fresh();
    let lost = 0;
    const faults = loseAnswers(clients.ddb, {
      when: ({ command, input }) =>
        command === "PutItemCommand" && String(input.TableName) === config.projectionTable && lost++ === 0,
    });
    const payments = createPayments(config, clients);
    const eventId = randomUUID();
    // When
    const code = await payments.claimCode({
      eventId,
      campaignId: "c",
      unitCode: "04252",
      amountVnd: 500_000,
    });
    faults.stop();
    // Then: the refused re-send was read back as this pledge's own, not a collision
    expect(faults.stats.lost).toBe(1);
    expect(code).toBe(donationCodeOf(eventId));
    const { Item } = await clients.ddb.send(
      new GetCommand({ TableName: config.projectionTable, Key: { pk: `code#${code}`, sk: "pledge" } }),
    );
    expect(Item).toMatchObject({ eventId, campaignId: "c", unitCode: "04252", amountVnd: 500_000 });
  });

  it("moves on to the pledge's next code when another pledge holds the first, and a retry finds it again", async () => {
    // Given: another pledge already holds this pledge's first code (a 40-bit collision, staged)
    const { config, clients } = await emulators.fresh();
    const payments = createPayments(config, clients);
    const eventId = randomUUID();
    const squatter = randomUUID();
    await clients.ddb.send(
      new (await import("@aws-sdk/lib-dynamodb")).PutCommand({
        TableName: config.projectionTable,
        Item: {
          pk: `code#${donationCodeOf(eventId)}`,
          sk: "pledge",
          eventId: squatter,
          campaignId: "c",
          unitCode: "04252",
          amountVnd: 1,
        },
      }),
    );
    const pledge = { eventId, campaignId: "c", unitCode: "04252", amountVnd: 500_000 };
    // When
    const first = await payments.claimCode(pledge);
    const retry = await payments.claimCode(pledge);
    // Then
    expect(first).toBe(donationCodeFor(eventId, 1));
    expect(retry).toBe(first);
    expect((await payments.pledgeOfCode(donationCodeOf(eventId)))?.eventId).toBe(squatter);
    expect((await payments.pledgeOfCode(first))?.eventId).toBe(eventId);
  });

  it("is written before the pledge is queued: a pledge whose enqueue failed already has its code, and its retry the same", async () => {
    // Given: the queue refuses the first attempt
    const { store, registry, payments, campaignId } = await setup();
    let refusals = 1;
    const flaky = {
      ...store,
      enqueue: async (event: DomainEvent) => {
        if (refusals-- > 0) throw new Error("the queue is unreachable");
        await store.enqueue(event);
      },
    };
    const ingest = ingestHandler(flaky, quiet, fixedClock(NOW), registry, payments);
    const form = aDonationForm({ campaignId });
    const send = async () =>
      answerOf(
        await ingest(httpEvent(JSON.stringify(form), { "content-type": "application/json" }), context),
      );
    // When
    const failed = await send();
    const held = await payments.pledgeOfCode(donationCodeOf(String(form.eventId)));
    const retried = await send();
    // Then
    expect(failed.status).toBe(500);
    expect(held?.eventId).toBe(form.eventId);
    expect(retried).toMatchObject({
      status: 202,
      body: { donationCode: donationCodeOf(String(form.eventId)) },
    });
  });

  it("records goods pledged as 0 VND, so any money for them reads as more than pledged", async () => {
    // Given
    const { config, clients, store, registry, payments, campaignId, notify } = await setup();
    const ingest = ingestHandler(store, quiet, fixedClock(NOW), registry, payments);
    const form = aDonationForm({
      campaignId,
      contribution: { kind: "in-kind", description: "20 bộ sách giáo khoa", valuationVnd: 2_400_000 },
    });
    const answer = answerOf(
      await ingest(httpEvent(JSON.stringify(form), { "content-type": "application/json" }), context),
    );
    // When
    const transfer = await notify(
      aNotification({ content: String(answer.body.donationCode), transferAmount: 100_000 }),
    );
    // Then
    expect((await payments.pledgeOfCode(String(answer.body.donationCode)))?.amountVnd).toBe(0);
    expect(transfer.body).toMatchObject({ matched: "pledge", outcome: "over" });
    await drainQueue(config, clients);
  });
});
