import type { CampaignView } from "#domain/projection.ts";
import {
  compareCampaign,
  generateSeptemberNational,
  NATIONAL_CAMPAIGN,
  pledgeTruth,
} from "./september-national.ts";

export interface NationalTarget {
  readonly url: string;
  /** What the stack has spent (npm start's capacity.json), when it says. */
  readonly capacity: () => { write: number; read: number } | undefined;
  readonly say: (line: string) => void;
  readonly concurrency?: number;
}

export interface NationalSummary {
  readonly scenario: "september-national";
  readonly seed: number;
  readonly pledges: number;
  readonly communes: number;
  readonly matchesTruth: boolean;
  readonly mismatches: readonly string[];
  readonly refused: number;
  readonly eventsPerSecond: number;
  readonly lagP50Ms: number;
  readonly lagP99Ms: number;
  readonly writeUnitsPerEvent: number | null;
  readonly readUnitsPerEvent: number | null;
  readonly seconds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quantile = (sorted: readonly number[], q: number) =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);

/** One pledge in `SAMPLE_EVERY` is followed until counted, for the lag from 202 to the dashboard. */
const SAMPLE_EVERY = 50;

const readView = async (url: string): Promise<CampaignView> => {
  const response = await fetch(`${url}/v1/campaigns/${NATIONAL_CAMPAIGN}`);
  if (!response.ok) throw new Error(`GET /v1/campaigns/${NATIONAL_CAMPAIGN} answered ${response.status}`);
  return (await response.json()) as CampaignView;
};

/**
 * September across the nation through the public API: pledges from every commune at `rate` a second (0:
 * as fast as the machine takes them), the lag of sampled pledges from their 202 to "counted", the national
 * dashboard's movement checked against the pledges, and write units per event from the stack's meter.
 */
export const runSeptemberNational = async (
  target: NationalTarget,
  seed: number,
  count: number,
  rate: number,
): Promise<NationalSummary> => {
  const started = Date.now();
  const { say, url } = target;
  const pledges = generateSeptemberNational(seed, count);
  const truth = pledgeTruth(pledges);
  say(
    `demo: September across the nation: ${pledges.length} pledges from ${truth.byUnit.size} communes, ${rate > 0 ? `${rate}/s` : "as fast as the stack takes them"}`,
  );
  const before = await readView(url);
  const spentBefore = target.capacity();
  const lags: number[] = [];
  const followers: Promise<void>[] = [];
  let next = 0;
  let refused = 0;
  let done = 0;
  let lastSaid = 0;
  const sendStart = Date.now();
  const follow = async (eventId: string, receipt: string, acceptedAt: number) => {
    for (let i = 0; i < 2_000; i++) {
      const r = await fetch(`${url}/v1/donations/${eventId}?receipt=${receipt}`);
      if (r.ok && ((await r.json()) as { status: string }).status === "counted") {
        lags.push(Date.now() - acceptedAt);
        return;
      }
      // Polling is load too: a few times a second per followed pledge keeps it small beside the pledges.
      await sleep(250);
    }
  };
  const worker = async () => {
    while (next < pledges.length) {
      const i = next++;
      const pledge = pledges[i];
      if (pledge === undefined) return;
      if (rate > 0) {
        const due = sendStart + (i * 1000) / rate;
        if (due > Date.now()) await sleep(due - Date.now());
      }
      for (let attempt = 1; ; attempt++) {
        try {
          const response = await fetch(`${url}/v1/donations`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(pledge),
          });
          if (response.status === 503 && attempt < 8) {
            await sleep(1000);
            continue;
          }
          const body = (await response.json()) as { eventId?: string; receipt?: string };
          if (response.status !== 202) refused += 1;
          else if (i % SAMPLE_EVERY === 0 && body.eventId && body.receipt)
            followers.push(follow(body.eventId, body.receipt, Date.now()));
          break;
        } catch (error) {
          if (attempt >= 8) {
            refused += 1;
            say(`  gave up on a pledge: ${String(error)}`);
            break;
          }
          await sleep(200 * attempt);
        }
      }
      done += 1;
      if (Date.now() - lastSaid > 2_000) {
        lastSaid = Date.now();
        say(
          `  pledges: ${done}/${pledges.length} sent (${Math.round(done / ((Date.now() - sendStart) / 1000))}/s)`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: target.concurrency ?? 16 }, worker));
  const sendSeconds = (Date.now() - sendStart) / 1000;
  await Promise.all(followers);
  // The dashboard has caught up when its count moved by every pledge (or after a minute, reported).
  let after = await readView(url);
  for (
    let waited = 0;
    after.pledged.count - before.pledged.count < truth.total.count && waited < 60_000;
    waited += 500
  ) {
    await sleep(500);
    after = await readView(url);
  }
  await sleep(1_500); // the stack writes its meter readings every second
  const spentAfter = target.capacity();
  const mismatches = compareCampaign(before, after, truth);
  const sorted = [...lags].sort((a, b) => a - b);
  const per = (k: "write" | "read") =>
    spentBefore === undefined || spentAfter === undefined
      ? null
      : Math.round(((spentAfter[k] - spentBefore[k]) / pledges.length) * 1000) / 1000;
  return {
    scenario: "september-national",
    seed,
    pledges: pledges.length,
    communes: truth.byUnit.size,
    matchesTruth: mismatches.length === 0,
    mismatches: mismatches.slice(0, 20),
    refused,
    eventsPerSecond: Math.round(pledges.length / sendSeconds),
    lagP50Ms: quantile(sorted, 0.5),
    lagP99Ms: quantile(sorted, 0.99),
    writeUnitsPerEvent: per("write"),
    readUnitsPerEvent: per("read"),
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
};
