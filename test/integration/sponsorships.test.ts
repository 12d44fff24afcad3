import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endHandler, startHandler } from "#functions/beneficiaries/sponsorships.ts";
import type { Clients } from "#storage/clients.ts";
import { createSponsorshipSlots } from "#storage/sponsorship-slots.ts";
import { createStore } from "#storage/store.ts";
import { createLedgerReader } from "#storage/support-reader.ts";
import { useEmulators } from "../helpers/emulators.ts";
import { type Answer, drainQueue, invoke, startStaffAuth } from "../helpers/staff-routes.ts";

const emulators = useEmulators();
let auth: Awaited<ReturnType<typeof startStaffAuth>>;
beforeAll(async () => {
  auth = await startStaffAuth();
});
afterAll(async () => {
  await auth?.stop();
});

const startExample = JSON.parse(readFileSync("events/examples/sponsorship-started.json", "utf8"));
const endExample = JSON.parse(readFileSync("events/examples/sponsorship-ended.json", "utf8"));
const START = "POST /v1/sponsorships";
const END = "POST /v1/sponsorships/{sponsorshipId}/end";

/** The two routes on a fresh set of tables and queue, with real storage; `ddb` may be wrapped to lose answers. */
const given = async (max = 2, wrap: (ddb: Clients["ddb"]) => Clients["ddb"] = (ddb) => ddb) => {
  const { config, clients } = await emulators.fresh();
  const ddb = wrap(clients.ddb);
  const store = createStore(config, clients);
  const slots = createSponsorshipSlots(config, { ddb }, max);
  const deps = { ...auth.deps(), store, ledger: createLedgerReader(config, clients), slots };
  const staff = auth.token("unit-staff", "04252");
  const start = (body: Record<string, unknown>) => invoke(startHandler(deps), START, staff, body);
  const end = (sponsorshipId: string, body: unknown = endExample) =>
    invoke(endHandler(deps), END, staff, body, { sponsorshipId });
  /** What the projector would do with the queue, as far as these routes read it: the ledger rows. */
  const project = async () => {
    const events = await drainQueue(config, clients);
    await store.insertLedger(events.map((event) => ({ event })));
    return events;
  };
  const queued = () => drainQueue(config, clients);
  return { start, end, project, queued, slots };
};

const aStart = (teacherId: string, over: Record<string, unknown> = {}) => ({
  ...startExample,
  sponsorshipId: randomUUID(),
  teacherId,
  studentId: randomUUID(),
  ...over,
});

describe("POST /v1/sponsorships: the per-teacher maximum", () => {
  it("given a teacher with 2 sponsorships and a maximum of 2, when a third starts, then 422 sponsorship_limit naming teacherId and nothing enqueued", async () => {
    // Given
    const { start, queued } = await given(2);
    const teacherId = randomUUID();
    const first = await start(aStart(teacherId));
    const second = await start(aStart(teacherId));
    const before = await queued();
    // When
    const third = await start(aStart(teacherId));
    // Then
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(before.map((e) => e.type)).toEqual(["SponsorshipStarted", "SponsorshipStarted"]);
    expect(third.status).toBe(422);
    expect(third.body.error).toBe("sponsorship_limit");
    expect(third.body.message).toMatch(/at most 2 students/);
    expect(third.body.issues?.map((i) => i.path)).toEqual(["teacherId"]);
    expect(await queued()).toEqual([]);
  });

  it("given a configured maximum of 1, when a second starts, then it is refused", async () => {
    // Given
    const { start } = await given(1);
    const teacherId = randomUUID();
    // When
    const answers = [await start(aStart(teacherId)), await start(aStart(teacherId))];
    // Then
    expect(answers.map((a) => a.status)).toEqual([202, 422]);
  });

  it("given a start accepted, when it is retried (before and after it is in the ledger), then the same 202 and one place taken", async () => {
    // Given
    const { start, project, slots } = await given(2);
    const teacherId = randomUUID();
    const body = aStart(teacherId);
    const first = await start(body);
    // When
    const retried = await start(body);
    await project();
    const retriedLater = await start(body);
    // Then
    expect(first.status).toBe(202);
    expect(retried).toEqual(first);
    expect(retriedLater).toEqual(first);
    expect([...(await slots.active(teacherId))]).toEqual([body.sponsorshipId]);
  });

  it("given the answer to the place's write is lost after it was done, when the start completes, then 202 and the place is counted once", async () => {
    // Given: the first UpdateItem reaches DynamoDB, then its answer is lost
    let lost = false;
    const losing = (ddb: Clients["ddb"]) =>
      ({
        send: async (command: unknown) => {
          const out = await ddb.send(command as never);
          if (command instanceof UpdateCommand && !lost) {
            lost = true;
            throw new Error("socket hang up");
          }
          return out;
        },
      }) as unknown as Clients["ddb"];
    const { start, queued, slots } = await given(2, losing);
    const teacherId = randomUUID();
    const body = aStart(teacherId);
    // When
    const answer = await start(body);
    // Then
    expect(lost).toBe(true);
    expect(answer.status).toBe(202);
    expect([...(await slots.active(teacherId))]).toEqual([body.sponsorshipId]);
    expect((await queued()).map((e) => e.type)).toEqual(["SponsorshipStarted"]);
  });

  it("given 5 starts for one teacher at once and a maximum of 2, then exactly 2 are accepted and 2 places taken", async () => {
    // Given
    const { start, queued, slots } = await given(2);
    const teacherId = randomUUID();
    const bodies = Array.from({ length: 5 }, () => aStart(teacherId));
    // When
    const answers = await Promise.all(bodies.map(start));
    // Then
    const accepted = bodies.filter((_, i) => answers[i]?.status === 202).map((b) => b.sponsorshipId);
    expect(accepted).toHaveLength(2);
    expect(answers.filter((a) => a.status === 422 && a.body.error === "sponsorship_limit")).toHaveLength(3);
    expect([...(await slots.active(teacherId))].sort()).toEqual(accepted.sort());
    const events = await queued();
    expect(events.map((e) => ("sponsorshipId" in e ? e.sponsorshipId : "")).sort()).toEqual(accepted.sort());
  });
});

describe("POST /v1/sponsorships/{sponsorshipId}/end", () => {
  it("given a teacher at the maximum, when one sponsorship ends, then its place is free for another start", async () => {
    // Given
    const { start, end, project, queued, slots } = await given(2);
    const teacherId = randomUUID();
    const a = aStart(teacherId);
    await start(a);
    await start(aStart(teacherId));
    await project();
    // When
    const ended = await end(a.sponsorshipId);
    const endedAgain = await end(a.sponsorshipId);
    const events = await queued();
    const third = await start(aStart(teacherId));
    // Then
    expect(ended.status).toBe(202);
    expect(endedAgain).toEqual(ended);
    // The retry came before the end reached the ledger, so it was enqueued again: the same event, counted once.
    expect(new Set(events.map((e) => e.eventId))).toEqual(new Set([ended.body.eventId]));
    expect(events[0]).toEqual(
      expect.objectContaining({
        type: "SponsorshipEnded",
        eventId: ended.body.eventId,
        sponsorshipId: a.sponsorshipId,
        unitCode: "04252",
        data: { teacherId, studentId: a.studentId, reason: "completed" },
      }),
    );
    expect(third.status).toBe(202);
    expect((await slots.active(teacherId)).has(a.sponsorshipId)).toBe(false);
  });

  it("given a start in the ledger, when it is started again after it ended (a late retry), then the place stays free", async () => {
    // Given
    const { start, end, project, slots } = await given(2);
    const teacherId = randomUUID();
    const a = aStart(teacherId);
    await start(a);
    await project();
    await end(a.sponsorshipId);
    // When
    const late = await start(a);
    // Then
    expect(late.status).toBe(202);
    expect(await slots.active(teacherId)).toEqual(new Set());
  });

  it("given no recorded start, when it is ended, then 404 and nothing enqueued", async () => {
    // Given
    const { end, queued } = await given(2);
    // When
    const answer = await end(randomUUID());
    // Then
    expect(answer.status).toBe(404);
    expect(answer.body.error).toBe("not_found");
    expect(await queued()).toEqual([]);
  });

  it("given a start, when its end is dated before it, then 422 ended_before_start and the place kept", async () => {
    // Given
    const { start, end, project, slots } = await given(2);
    const teacherId = randomUUID();
    const a = aStart(teacherId);
    await start(a);
    await project();
    // When
    const answer = await end(a.sponsorshipId, { ...endExample, occurredAt: "2026-09-01T08:00:00+07:00" });
    // Then
    expect(answer.status).toBe(422);
    expect(answer.body.error).toBe("ended_before_start");
    expect(await slots.active(teacherId)).toEqual(new Set([a.sponsorshipId]));
  });
});

/** Values no field of these bodies accepts. */
const odd = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom("", " ", "not-a-uuid", "2026-13-01T00:00:00+07:00", "9".repeat(300), "\u0000"),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
);

const names = (answer: Answer) => (answer.body.issues ?? []).map((i) => i.path.split(".")[0]);

describe("odd inputs: a 4xx that names the field, never a 5xx, nothing enqueued", () => {
  it("a start with one field odd or missing, or one field too many (property)", async () => {
    const { start, queued } = await given(2);
    const fields = Object.keys(startExample);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...fields, "extra"),
        fc.option(odd, { nil: undefined }),
        async (field, value) => {
          // Given
          const body: Record<string, unknown> = { ...aStart(randomUUID()), [field]: value };
          if (value === undefined) delete body[field];
          fc.pre(value !== undefined || (field !== "sponsorshipId" && field !== "extra"));
          // When
          const answer = await start(body);
          // Then
          expect(answer.status).toBeGreaterThanOrEqual(400);
          expect(answer.status).toBeLessThan(500);
          if (field === "extra") expect(JSON.stringify(answer.body.issues)).toContain('\\"extra\\"');
          else expect(names(answer)).toContain(field);
          expect(await queued()).toEqual([]);
        },
      ),
      { numRuns: 120 },
    );
  });

  it("an end with an odd sponsorshipId or body field (property)", async () => {
    const { end, queued } = await given(2);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("sponsorshipId", ...Object.keys(endExample)),
        odd,
        async (field, value) => {
          // Given
          const id = field === "sponsorshipId" ? String(JSON.stringify(value)) : randomUUID();
          const body = field === "sponsorshipId" ? endExample : { ...endExample, [field]: value };
          // When
          const answer = await end(id, body);
          // Then
          expect(answer.status).toBeGreaterThanOrEqual(400);
          expect(answer.status).toBeLessThan(500);
          if (field !== "sponsorshipId" || answer.status === 400) expect(names(answer)).toContain(field);
          expect(await queued()).toEqual([]);
        },
      ),
      { numRuns: 80 },
    );
  });
});
