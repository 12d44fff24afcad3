import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { campaignDefinedFrom, campaignUpdatedFrom, definitionOf } from "#domain/campaign.ts";
import type { Principal } from "#domain/principal.ts";
import { updateCampaignHandler } from "#functions/campaigns/commands.ts";
import { ingestHandler } from "#functions/ingest/ingest.ts";
import { isWithin } from "#functions/shared/units.ts";
import { queueDepth } from "#local/queue-depth.ts";
import { createCampaignRegistry } from "#storage/campaigns.ts";
import type { Config } from "#storage/config.ts";
import { createPayments } from "#storage/payments.ts";
import { createStore } from "#storage/store.ts";
import { aCampaignDefinition } from "../helpers/campaigns.ts";
import { useEmulators } from "../helpers/emulators.ts";
import { aDonationForm, fixedClock } from "../helpers/events.ts";
import { quiet } from "../helpers/projector.ts";

/**
 * The pledge door and the campaign registry on DynamoDB Local and the SQS emulator, with no projector
 * polling: what the queue holds after a request is exactly what the request put there.
 */
const emulators = useEmulators();
const context = {} as Context;
const admin: Principal = { subject: "admin-1", role: "association-admin", scope: "VN" };

const post = (body: unknown, pathParameters?: Record<string, string>) =>
  ({
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    isBase64Encoded: false,
    ...(pathParameters ? { pathParameters } : {}),
  }) as unknown as APIGatewayProxyEventV2;

const setup = async () => {
  const { config, clients } = await emulators.fresh();
  const store = createStore(config, clients);
  const registry = createCampaignRegistry(config, clients);
  const ingest = ingestHandler(
    store,
    quiet,
    fixedClock("2026-09-20T03:00:00Z"),
    registry,
    createPayments(config, clients),
  );
  const send = async (body: unknown) => {
    const response = (await ingest(post(body), context)) as APIGatewayProxyStructuredResultV2;
    return { status: response.statusCode, body: JSON.parse(response.body ?? "{}") };
  };
  const queued = async (c: Config = config) => {
    return queueDepth(clients.sqs, c.queueUrl);
  };
  return { store, registry, send, queued };
};

describe("the pledge door asks the campaign registry", () => {
  it.each([
    ["an unknown campaign", { campaignId: "chua-dinh-nghia" }, 404, "campaign_not_found", "campaignId"],
    [
      "a day before the window",
      { occurredAt: "2026-08-31T23:59:00+07:00" },
      422,
      "campaign_closed",
      "occurredAt",
    ],
    [
      "a day after the window (Vietnam time)",
      { occurredAt: "2026-09-15T17:30:00Z" },
      422,
      "campaign_closed",
      "occurredAt",
    ],
    ["a unit outside the campaign", { unitCode: "20101" }, 422, "unit_not_covered", "unitCode"],
  ])(
    "refuses a pledge to %s, and neither queues nor stores anything",
    async (_what, overrides, status, code, path) => {
      // Given: a Lào Cai campaign for the first half of September, in the registry only
      const { registry, store, send, queued } = await setup();
      const event = campaignDefinedFrom(
        aCampaignDefinition({
          id: "nua-dau-thang-9",
          window: { from: "2026-09-01", to: "2026-09-15" },
          units: ["15"],
        }),
        admin,
        fixedClock(),
      );
      await registry.define(definitionOf(event), event.source.contentHash);
      const form = aDonationForm({ campaignId: "nua-dau-thang-9", unitCode: "04252", ...overrides });
      // When
      const answer = await send(form);
      // Then
      expect(answer).toEqual({
        status,
        body: { error: code, message: expect.any(String), issues: [expect.objectContaining({ path })] },
      });
      expect(await queued()).toBe(0);
      expect(await store.ledgerHash(form.eventId ?? "")).toBeUndefined();
    },
  );

  it("takes a pledge inside the window and the units, 23:30 on the window's last day in Vietnam", async () => {
    // Given
    const { registry, send, queued } = await setup();
    const event = campaignDefinedFrom(
      aCampaignDefinition({
        id: "nua-dau-thang-9",
        window: { from: "2026-09-01", to: "2026-09-15" },
        units: ["15"],
      }),
      admin,
      fixedClock(),
    );
    await registry.define(definitionOf(event), event.source.contentHash);
    // When
    const answer = await send(
      aDonationForm({
        campaignId: "nua-dau-thang-9",
        unitCode: "04252",
        occurredAt: "2026-09-15T23:30:00+07:00",
      }),
    );
    // Then
    expect(answer.status).toBe(202);
    expect(await queued()).toBe(1);
  });

  it("refuses a pledge once the campaign is closed, and queues nothing", async () => {
    // Given
    const { registry, send, queued } = await setup();
    const event = campaignDefinedFrom(aCampaignDefinition({ id: "dong-som" }), admin, fixedClock());
    await registry.define(definitionOf(event), event.source.contentHash);
    expect(await registry.close("dong-som", "2026-09-10T08:00:00.000+07:00")).toBe(true);
    // When
    const answer = await send(aDonationForm({ campaignId: "dong-som" }));
    // Then
    expect(answer).toMatchObject({ status: 422, body: { error: "campaign_closed" } });
    expect(await queued()).toBe(0);
    expect(await registry.close("dong-som", "2026-09-11T08:00:00.000+07:00")).toBe(false);
    expect((await registry.read("dong-som"))?.closedAt).toBe("2026-09-10T08:00:00.000+07:00");
  });
});

describe("the campaign registry", () => {
  it("given a definition, when defined again the same or otherwise, then the first stays and says which", async () => {
    // Given
    const { registry } = await setup();
    const first = campaignDefinedFrom(aCampaignDefinition({ id: "mot-lan" }), admin, fixedClock());
    const other = campaignDefinedFrom(
      aCampaignDefinition({ id: "mot-lan", goals: { luot: 1 } }),
      admin,
      fixedClock(),
    );
    // When
    const outcomes = [
      await registry.define(definitionOf(first), first.source.contentHash),
      await registry.define(definitionOf(first), first.source.contentHash),
      await registry.define(definitionOf(other), other.source.contentHash),
    ];
    // Then
    expect(outcomes.map((o) => o.result)).toEqual(["defined", "exists", "exists"]);
    expect(outcomes.map((o) => (o.result === "exists" ? o.record.definedHash : undefined))).toEqual([
      undefined,
      first.source.contentHash,
      first.source.contentHash,
    ]);
    expect((await registry.read("mot-lan"))?.definition).toEqual(definitionOf(first));
  });

  it("given two updates read from one revision, when written at once, then one is refused and neither is lost after a re-read", async () => {
    // Given
    const { registry } = await setup();
    const defined = campaignDefinedFrom(aCampaignDefinition({ id: "hai-nguoi-sua" }), admin, fixedClock());
    await registry.define(definitionOf(defined), defined.source.contentHash);
    const read = await registry.read("hai-nguoi-sua");
    if (read === undefined) throw new Error("not defined");
    const names = { vi: "Tên mới", en: "New name" };
    const a = campaignUpdatedFrom(read.definition, { name: names }, admin, fixedClock());
    const b = campaignUpdatedFrom(read.definition, { goals: { luot: 99 } }, admin, {
      ...fixedClock(),
      newId: () => "00000000-0000-4000-8000-000000000002",
    });
    // When
    const written = await Promise.all([
      registry.update(a.next, read.revision, a.event.eventId, a.event.source.contentHash),
      registry.update(b.next, read.revision, b.event.eventId, b.event.source.contentHash),
    ]);
    const loser = written[0] ? b : a;
    const again = await registry.read("hai-nguoi-sua");
    if (again === undefined) throw new Error("gone");
    const retried = campaignUpdatedFrom(again.definition, { ...loser.event.data.changes }, admin, {
      ...fixedClock(),
      newId: () => loser.event.eventId,
    });
    await registry.update(
      retried.next,
      again.revision,
      retried.event.eventId,
      retried.event.source.contentHash,
    );
    // Then
    expect(written.filter(Boolean)).toHaveLength(1);
    const final = await registry.read("hai-nguoi-sua");
    expect(final?.revision).toBe(3);
    expect(final?.definition).toMatchObject({ name: names, goals: { luot: 99 } });
    expect([...(final?.applied.keys() ?? [])].sort()).toEqual([a.event.eventId, b.event.eventId].sort());
  });
});

describe("a campaign command whose write landed but whose answer was lost", () => {
  it("given the conditional update done and then reported refused (as the SDK's retry of it is), when an update is posted, then it is applied once, answered 202 and queued once", async () => {
    // Given: a registry whose first update writes, then answers as a refused retry of that write would
    const { registry, store, queued } = await setup();
    const defined = campaignDefinedFrom(aCampaignDefinition({ id: "mat-tra-loi" }), admin, fixedClock());
    await registry.define(definitionOf(defined), defined.source.contentHash);
    let lost = 0;
    const losing = {
      ...registry,
      update: async (...args: Parameters<typeof registry.update>) => {
        const done = await registry.update(...args);
        if (lost++ === 0) return false;
        return done;
      },
    };
    const handler = updateCampaignHandler({
      authenticate: async () => admin,
      isWithin,
      clock: fixedClock(),
      log: quiet,
      registry: losing,
      store,
    });
    const eventId = "6b1d2c3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e";
    // When
    const response = (await handler(
      post({ eventId, goals: { luot: 7 } }, { campaignId: "mat-tra-loi" }),
      context,
    )) as APIGatewayProxyStructuredResultV2;
    // Then
    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body ?? "{}")).toEqual({ campaignId: "mat-tra-loi", eventId });
    const record = await registry.read("mat-tra-loi");
    expect(record?.revision).toBe(2);
    expect(record?.definition.goals).toEqual({ luot: 7 });
    expect([...(record?.applied.keys() ?? [])]).toEqual([eventId]);
    expect(await queued()).toBe(1);
  });
});
