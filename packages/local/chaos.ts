import { GetQueueAttributesCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { projections } from "#domain/projections/index.ts";
import type { DonationForm } from "#events/donation.ts";
import { campaignQueryHandler } from "#functions/campaign-query/query.ts";
import { ingestHandler } from "#functions/ingest/ingest.ts";
import { projectorHandler } from "#functions/projector/project.ts";
import { createCampaignRegistry } from "#storage/campaigns.ts";
import { createClients } from "#storage/clients.ts";
import type { Log } from "#storage/log.ts";
import { createPayments } from "#storage/payments.ts";
import { createStore, type Store } from "#storage/store.ts";
import { defineExampleCampaigns } from "./campaigns.ts";
import { deadLetterFindings } from "./chaos/dead-letters.ts";
import { checkLedger, countLedgerRows } from "./chaos/ledger.ts";
import type { ChaosOptions, FaultSettings } from "./chaos/options.ts";
import { defaultFaults } from "./chaos/options.ts";
import { pick, prng, uuidFrom } from "./chaos/random.ts";
import type { ChaosProgress, ChaosReport, ChaosResult, FaultCounts } from "./chaos/report.ts";
import { checkCampaigns, checkFamilies, checkMoney, projectedPartitions } from "./chaos/truth.ts";
import { CAMPAIGNS, chaosWorkload, eventOf, resubmittedOf } from "./chaos/workload.ts";
import { ensureResources, freePort, localConfig, startDynamo, startSqs } from "./emulators.ts";
import { injectThrottling, loseAnswers, randomCrashes, slowStore } from "./faults.ts";
import { type HttpHandler, startGateway } from "./gateway.ts";
import type { Transfer } from "./payment-workload.ts";
import { type SqsHandler, startPoller } from "./poller.ts";
import { readDeadLetters } from "./redrive.ts";

export { compareViews, partitionMismatches } from "./chaos/compare.ts";
export { type ChaosOptions, defaultFaults, type FaultSettings } from "./chaos/options.ts";
export { prng } from "./chaos/random.ts";
export {
  type ChaosProgress,
  type ChaosReport,
  type ChaosResult,
  type FaultCounts,
  passed,
  summaryLine,
} from "./chaos/report.ts";

/**
 * The chaos drill (`npm run chaos`, docs/chaos.md): the local pipeline under duplicate submissions,
 * redelivery of messages still being processed, projector crashes between any two writes, DynamoDB
 * throttling and poison messages; then the projections are compared with a ground truth folded from
 * what the driver itself sent and saw accepted.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How a bank-transfer notification reaches the pipeline: one function, so the drill can change the way. */
type NotificationSender = (transfer: Transfer) => Promise<void>;

/**
 * The money event straight on the queue, as the bank-transfer door enqueues it after verifying the
 * notification (the way the staff events go in). Where the door runs in the drill, a sender that posts
 * `transfer.notification`, signed, to `POST /v1/payments/bank-transfer` takes this one's place.
 */
const enqueueAsTheDoor =
  (store: Store): NotificationSender =>
  (transfer) =>
    store.enqueue(transfer.event);

// ---------------------------------------------------------------- the drill

/** Log lines of the projector and ingest, counted by message: the drill's evidence of what went wrong. */
const countingLog = (counts: Record<string, number>): Log => {
  const count = (level: string) => (message: string) => {
    const key = `${level}: ${message}`;
    counts[key] = (counts[key] ?? 0) + 1;
  };
  return { info: () => undefined, warn: count("warn"), error: count("error") };
};

/**
 * Runs the drill on fresh in-memory emulators and answers the verdict. Faults run until the queue has
 * drained (or `drainTimeoutMs`), then stop; the projector then finishes what is left, and the
 * projections are read and compared with the fold of the events answered 202.
 */
export const runChaos = async (options: ChaosOptions): Promise<ChaosResult> => {
  const started = Date.now();
  const faults: FaultSettings = { ...defaultFaults(options.events), ...options.faults };
  const visibilityTimeoutSeconds = options.visibilityTimeoutSeconds ?? 2;
  // Separate streams: the workload is the same for a seed whatever the faults do with timing.
  const workloadRand = prng(options.seed);
  const faultRand = prng(options.seed ^ 0x5eed_f00d);
  const driverRand = prng(options.seed ^ 0x0ddba11);

  const own = options.emulators
    ? undefined
    : { dynamo: await startDynamo(await freePort()), sqs: await startSqs(await freePort()) };
  const dynamoEndpoint = options.emulators?.dynamoEndpoint ?? own?.dynamo.endpoint ?? "";
  const sqsEndpoint = options.emulators?.sqsEndpoint ?? `http://127.0.0.1:${own?.sqs.port}`;
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const resources = await ensureResources(
      dynamoEndpoint,
      sqsEndpoint,
      { visibilityTimeoutSeconds, maxReceiveCount: options.maxReceiveCount ?? 30 },
      `chaos-${Date.now().toString(36)}`,
    );
    const config = localConfig(
      { ...resources, dynamoEndpoint, sqsEndpoint },
      { claimGraceMs: options.claimGraceMs ?? 1_000 },
    );
    // Three sets of clients: the ingest API's and the projector's, each throttled and counted apart,
    // and the driver's own, fault-free, for poison, the truth check and the ledger count.
    const clean = createClients(config);
    const ingestClients = createClients(config);
    const projectorClients = createClients(config);
    cleanups.push(async () => {
      for (const c of [clean, ingestClients, projectorClients]) {
        c.ddb.destroy();
        c.sqs.destroy();
      }
    });
    const cleanStore = createStore(config, clean);

    const stormStart = Date.now();
    const throttleNow = () =>
      (Date.now() - stormStart) % faults.stormEveryMs >= faults.stormEveryMs - faults.stormMs
        ? faults.stormProbability
        : faults.throttleProbability;
    const ingestThrottle = injectThrottling(ingestClients.ddb, {
      probability: throttleNow,
      rng: prng(options.seed ^ 0x1),
    });
    const projectorThrottle = injectThrottling(projectorClients.ddb, {
      probability: throttleNow,
      statementProbability: faults.statementThrottleProbability,
      rng: prng(options.seed ^ 0x2),
    });
    // Below the throttling in the stack order does not matter: each sees every attempt.
    const lostAnswers = loseAnswers(projectorClients.ddb, {
      probability: faults.lostAnswerProbability,
      rng: prng(options.seed ^ 0x3),
    });
    const crashes = randomCrashes({ probability: faults.crashProbability, rng: faultRand });
    const slow = slowStore({
      probability: faults.slowProbability,
      applyProbability: faults.slowProbability / 5,
      delayMs: faults.slowMs,
      rng: faultRand,
    });

    const logCounts: Record<string, number> = {};
    const log = countingLog(logCounts);

    // Who holds which message right now, to see SQS hand a message out while it is still being processed.
    const holding = new Map<string, number>();
    let redeliveredWhileProcessing = 0;
    let redelivered = 0;
    const observed =
      (handler: SqsHandler): SqsHandler =>
      async (event, context) => {
        for (const r of event.Records) {
          if ((holding.get(r.messageId) ?? 0) > 0) redeliveredWhileProcessing++;
          if (Number(r.attributes.ApproximateReceiveCount) > 1) redelivered++;
          holding.set(r.messageId, (holding.get(r.messageId) ?? 0) + 1);
        }
        try {
          return await handler(event, context);
        } finally {
          for (const r of event.Records) {
            const n = (holding.get(r.messageId) ?? 1) - 1;
            if (n === 0) holding.delete(r.messageId);
            else holding.set(r.messageId, n);
          }
        }
      };

    const projectorStore = crashes.store(slow.store(createStore(config, projectorClients)));
    const queueArn =
      (
        await clean.sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: config.queueUrl, AttributeNames: ["QueueArn"] }),
        )
      ).Attributes?.QueueArn ?? "";
    // The handler is wrapped (crashes, observation), which startPipeline cannot do: the same pieces here.
    const poller = startPoller({
      sqs: projectorClients.sqs,
      queueUrl: config.queueUrl,
      queueArn,
      handler: observed(
        crashes.handler(
          projectorHandler(
            projectorStore,
            log,
            undefined,
            undefined,
            options.projections,
          ) as unknown as SqsHandler,
        ),
      ),
      batchSize: options.batchSize ?? 10,
      batchWindowMs: 100,
      concurrency: options.concurrency ?? 3,
    });
    let pollerStopped = false;
    const stopPoller = async () => {
      if (pollerStopped) return;
      pollerStopped = true;
      await poller.stop();
    };
    cleanups.push(stopPoller);

    const ingestStore = createStore(config, ingestClients);
    const clock = { now: () => new Date(), newId: () => crypto.randomUUID() };
    // The campaigns pledged to, in the registry only: the drill's ledger holds just the events it checks.
    const registry = createCampaignRegistry(config, ingestClients);
    await defineExampleCampaigns({ registry: createCampaignRegistry(config, clean) });
    const gateway = await startGateway(
      0,
      {
        ingest: ingestHandler(
          ingestStore,
          log,
          clock,
          registry,
          createPayments(config, ingestClients),
        ) as unknown as HttpHandler,
        "campaign-query": campaignQueryHandler(ingestStore, log, registry) as unknown as HttpHandler,
      },
      (error) => log.error(`gateway: ${error instanceof Error ? error.name : String(error)}`),
    );
    cleanups.push(async () => {
      const closed = new Promise<void>((r) => gateway.server.close(() => r()));
      gateway.server.closeIdleConnections();
      await closed;
    });

    const backlog = async (): Promise<number> => {
      const out = await clean.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: config.queueUrl,
          AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        }),
      );
      return (
        Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) +
        Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
      );
    };

    // ---- the driver
    const { forms, submissions, family, money } = chaosWorkload(options, faults, workloadRand);
    const accepted = new Map<string, DonationForm>();
    const answers: Record<string, number> = {};
    const unexpected: string[] = [];
    let posted = 0;
    let conflictsRefused = 0;
    let poisonSent = 0;
    const poisonBodies = new Map<string, string>(); // body → the reason prefix it must be dead-lettered with

    /** Posts like a careful client: a 500 or no answer is retried with the same eventId, a few times. */
    const post = async (form: DonationForm): Promise<number> => {
      let status = 0;
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          const response = await fetch(`${gateway.url}/v1/donations`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(form),
          });
          await response.arrayBuffer();
          status = response.status;
        } catch {
          status = 0;
        }
        posted++;
        answers[String(status)] = (answers[String(status)] ?? 0) + 1;
        // A careful client retries what the API says may succeed later: 500, 503 (busy), no answer.
        if (status !== 500 && status !== 503 && status !== 0) return status;
        await sleep(100 * 2 ** attempt);
      }
      return status;
    };

    /** Waits until an accepted event is in the ledger, so that a reuse of its eventId is a visible conflict. */
    const inLedgerSoon = async (eventId: string): Promise<boolean> => {
      for (let i = 0; i < 300; i++) {
        if ((await cleanStore.ledgerHash(eventId)) !== undefined) return true;
        await sleep(200);
      }
      return false;
    };

    const sendPoison = async (body: string, reasonPrefix: string) => {
      await clean.sqs.send(new SendMessageCommand({ QueueUrl: config.queueUrl, MessageBody: body }));
      poisonBodies.set(body, reasonPrefix);
      poisonSent++;
    };

    const poison = async (n: number) => {
      const kind = n % 3;
      const base = eventOf(pick(driverRand, forms));
      if (kind === 0) {
        await sendPoison(`${JSON.stringify(base).slice(0, 40 + n)}`, "malformed: body is not JSON");
      } else if (kind === 1) {
        const wrong = [
          { ...base, eventId: uuidFrom(driverRand), type: "DonationLost" },
          { ...base, eventId: uuidFrom(driverRand), campaignId: undefined },
          {
            ...base,
            eventId: uuidFrom(driverRand),
            data: { ...base.data, contribution: { kind: "money", amountVnd: -n } },
          },
        ][Math.floor(n / 3) % 3];
        await sendPoison(JSON.stringify(wrong), "malformed:");
      } else {
        // A valid event reusing an accepted eventId with other content, as soon as the original is in the
        // ledger (before that, whichever gets there first wins: docs/exactly-once.md, Limits). The
        // original's own message may well still be on the queue then.
        const ids = [...accepted.keys()];
        const original = accepted.get(pick(driverRand, ids.length > 0 ? ids : [""]));
        if (original === undefined || !(await inLedgerSoon(original.eventId ?? ""))) return;
        const reused: DonationForm = {
          ...original,
          contribution: { kind: "money", amountVnd: 7_000 + n },
        };
        await sendPoison(JSON.stringify(eventOf(reused)), "conflict:");
        // The same reuse at the door: the ledger already holds the eventId, so the API refuses it.
        const status = await post(reused);
        if (status === 409) conflictsRefused++;
        else if (status === 202)
          unexpected.push(`202 to a reuse of ${original.eventId} already in the ledger`);
      }
    };

    const poisonSafely = (n: number) =>
      poison(n).catch((error: unknown) => {
        unexpected.push(
          `poison #${n} could not be sent: ${error instanceof Error ? error.message : String(error)}`,
        );
      });

    let phase: ChaosProgress["phase"] = "posting";
    const faultCounts = (): FaultCounts => ({
      throttled:
        ingestThrottle.stats.injected +
        ingestThrottle.stats.statements +
        projectorThrottle.stats.injected +
        projectorThrottle.stats.statements,
      lostAnswers: lostAnswers.stats.lost,
      crashes: crashes.stats.crashes,
      slowed: slow.stats.delayed,
      redeliveredWhileProcessing,
      redelivered,
      resubmitted: resubmittedOf(submissions),
      poisonSent,
    });
    let reporting = false;
    const progress = setInterval(async () => {
      if (reporting || !options.onProgress) return;
      reporting = true;
      try {
        options.onProgress({
          phase,
          elapsedMs: Date.now() - started,
          posted,
          accepted: accepted.size,
          backlog: await backlog(),
          faults: faultCounts(),
        });
      } catch {
        // progress is best effort
      } finally {
        reporting = false;
      }
    }, options.progressEveryMs ?? 1_500);
    cleanups.push(async () => clearInterval(progress));

    // Post from several clients; poison goes in at even intervals among the donations.
    const poisonEvery = Math.max(1, Math.floor(submissions.length / (faults.poison + 1)));
    let next = 0;
    let poisonDone = 0;
    // A conflict waits for its original to reach the ledger: poison runs beside the posting, not in its way.
    const poisoning: Promise<void>[] = [];
    const client = async () => {
      while (next < submissions.length) {
        const index = next++;
        const submission = submissions[index];
        if (submission === undefined) break;
        if (index > 0 && index % poisonEvery === 0 && poisonDone < faults.poison)
          poisoning.push(poisonSafely(poisonDone++));
        const statuses = await Promise.all(
          Array.from({ length: submission.copies }, () => post(submission.form)),
        );
        const eventId = submission.form.eventId ?? "";
        for (const status of statuses) {
          if (status === 202) accepted.set(eventId, submission.form);
          else if (status !== 500 && status !== 503)
            unexpected.push(
              `${status} to ${submission.resubmission ? "a resubmission" : "a donation"} ${eventId}`,
            );
        }
      }
    };
    // Staff events go on the queue as the staff routes put them (validated, ASCII JSON), some twice, beside
    // the donations: the projector meets every family at once.
    const sendFamily = async () => {
      for (const [i, event] of family.entries()) {
        for (let copy = 0; copy < (i % 10 === 0 ? 2 : 1); copy++) {
          try {
            await cleanStore.enqueue(event);
          } catch (error) {
            unexpected.push(
              `staff event ${event.eventId} not sent: ${error instanceof Error ? error.name : error}`,
            );
          }
        }
        if (i % 50 === 0) await sleep(20);
      }
    };
    const sendNotification = enqueueAsTheDoor(cleanStore);
    let moneySent = 0;
    const sendMoney = async () => {
      const rand = prng(options.seed ^ 0x6d0e8);
      for (let i = 0; i < money.deliveries.length; ) {
        const burst = money.deliveries.slice(i, i + 20 + Math.floor(rand() * 80));
        i += burst.length;
        await Promise.all(
          burst.map(async (transfer) => {
            try {
              await sendNotification(transfer);
              moneySent++;
            } catch (error) {
              unexpected.push(
                `notification ${transfer.notification.id} not sent: ${error instanceof Error ? error.name : error}`,
              );
            }
          }),
        );
        await sleep(200 + Math.floor(rand() * 800));
      }
    };
    await Promise.all([...Array.from({ length: options.clients ?? 6 }, client), sendFamily(), sendMoney()]);
    while (poisonDone < faults.poison) poisoning.push(poisonSafely(poisonDone++));
    await Promise.all(poisoning);

    // ---- drain with faults on, then without
    const drain = async (timeoutMs: number): Promise<boolean> => {
      const deadline = Date.now() + timeoutMs;
      let emptySince: number | undefined;
      while (Date.now() < deadline) {
        const left = await backlog();
        if (left > 0) emptySince = undefined;
        else {
          emptySince ??= Date.now();
          if (Date.now() - emptySince >= 1_000) return true;
        }
        await sleep(250);
      }
      return false;
    };
    phase = "draining";
    let drained = await drain(options.drainTimeoutMs ?? Math.max(60_000, options.events * 30));
    ingestThrottle.stop();
    projectorThrottle.stop();
    lostAnswers.stop();
    crashes.stop();
    slow.stop();
    if (!drained) {
      phase = "settling";
      drained = await drain(60_000);
    }
    phase = "checking";
    await stopPoller();

    // ---- the verdict
    const pledges = [...accepted.values()].map(eventOf);
    const found = await projectedPartitions(clean.ddb, config.projectionTable);
    const comparison = await checkCampaigns(cleanStore, pledges, [...CAMPAIGNS, ...found.campaigns]);
    const familyCheck = await checkFamilies(cleanStore, family, found.families);
    const moneyEvents = money.transfers.map((t) => t.event);
    const moneyCheck = await checkMoney(
      cleanStore,
      { pledges, family, money: moneyEvents },
      options.projections ?? projections,
      found.funds,
    );
    const inLedger = await countLedgerRows(clean.ddb, config.ledgerTable);
    const ledger = await checkLedger(cleanStore, clean.ddb, config.projectionTable, [
      ...accepted.keys(),
      ...family.map((e) => e.eventId),
      ...moneyEvents.map((e) => e.eventId),
    ]);
    const deadLetters = await readDeadLetters({
      sqs: clean.sqs,
      queueUrl: config.queueUrl,
      deadLetterQueueUrl: config.deadLetterQueueUrl,
    });
    const dead = deadLetterFindings(deadLetters, accepted, poisonBodies);

    const report: ChaosReport = {
      faults: faultCounts(),
      throttling: { ingest: ingestThrottle.stats, projector: projectorThrottle.stats },
      crashes: crashes.stats,
      lostAnswers: lostAnswers.stats,
      slow: slow.stats,
      answers,
      notAccepted: forms.filter((f) => !accepted.has(f.eventId ?? "")).length,
      conflictsRefused,
      unexpected,
      deadLetterReasons: dead.reasons,
      poison: { sent: poisonSent, deadLettered: dead.poisonDeadLettered },
      acceptedDeadLettered: dead.acceptedDeadLettered,
      mismatches: comparison.mismatches.slice(0, 20),
      families: { events: family.length, ...familyCheck },
      money: { events: moneyEvents.length, sent: moneySent, ...moneyCheck },
      ledger,
      logCounts,
      drained,
      durationMs: Date.now() - started,
    };
    return {
      accepted: accepted.size,
      inLedger,
      deadLettered: deadLetters.length,
      lost: comparison.lost,
      doubleCounted: comparison.doubleCounted,
      projectionsMatchTruth:
        comparison.mismatches.length === 0 && familyCheck.mismatched === 0 && moneyCheck.mismatched === 0,
      report,
    };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await own?.sqs.stop();
    await own?.dynamo.stop();
  }
};
