/**
 * `npm run demo -- --scenario yen-bai-2018 [--seed N] [--scale S]`: the seed article's year through a
 * running `npm start`, by its public and staff APIs only, then the yearly report checked against the
 * generator's own truth (docs/demo.md). The last line on stdout is one JSON object.
 * Exit code 0 when every figure matches; 1 when one does not or the stack is not running; 2 on a usage error.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { runYenBai2018 } from "#demo/run.ts";
import { runSeptemberNational } from "#demo/run-national.ts";
import { vietnamDayOf } from "#domain/time.ts";
import { operatorConfig } from "#local/endpoints.ts";
import { ensurePaymentSecret, paymentSecretFile, signedNotification } from "#local/payment-secret.ts";
import { loadSigningKey, mintToken } from "#local/token-issuer.ts";
import { createCampaignRegistry } from "#storage/campaigns.ts";
import { createClients } from "#storage/clients.ts";
import { createStore } from "#storage/store.ts";

const USAGE = `usage: npm run demo -- --scenario <yen-bai-2018|september-national> [options]

  --scenario yen-bai-2018        Yên Bái's 2018 (22,173 teachers and students supported, ~39 billion VND)
    --scale <s>                  a fraction of the year, e.g. 0.02 for a quick run (default 1)
  --scenario september-national  September's pledges from all 3,321 communes of the 34 provinces
    --events <n>                 pledges to send (default 20000)
    --rate <n>                   pledges a second (default 0: as fast as the stack takes them)
  --seed <n>                the generator's seed (default 2018): the same seed sends the same requests
  --concurrency <n>         requests in flight (default 16)
  --url <url>               the running stack (default http://127.0.0.1:$PORT, PORT 3000)`;

const fail = (message: string, code: number): never => {
  console.error(message);
  process.exit(code);
};

const main = async () => {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        scenario: { type: "string" },
        seed: { type: "string", default: "2018" },
        scale: { type: "string", default: "1" },
        events: { type: "string", default: "20000" },
        rate: { type: "string", default: "0" },
        concurrency: { type: "string", default: "16" },
        url: { type: "string" },
        help: { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${USAGE}`, 2);
  }
  if (values.help) return console.log(USAGE);
  if (values.scenario !== "yen-bai-2018" && values.scenario !== "september-national")
    return fail(
      `--scenario must be yen-bai-2018 or september-national, not ${String(values.scenario)}\n\n${USAGE}`,
      2,
    );
  const seed = Number(values.seed);
  const scale = Number(values.scale);
  const concurrency = Number(values.concurrency);
  if (!Number.isSafeInteger(seed)) return fail(`--seed must be a whole number\n\n${USAGE}`, 2);
  if (!(scale > 0 && scale <= 1)) return fail(`--scale must be more than 0 and at most 1\n\n${USAGE}`, 2);
  if (!(Number.isSafeInteger(concurrency) && concurrency >= 1 && concurrency <= 256))
    return fail(`--concurrency must be 1-256\n\n${USAGE}`, 2);
  const target = await operatorConfig({
    aws: false,
    needs: "dynamo",
    verb: "run the demo",
    unused: [],
  });
  if ("problem" in target) return fail(target.problem, 1);
  const dataDir = resolve(process.env.DATA_DIR ?? ".local");
  const url = typeof values.url === "string" ? values.url : `http://127.0.0.1:${process.env.PORT ?? 3000}`;
  try {
    await fetch(`${url}/v1/campaigns/none`, { signal: AbortSignal.timeout(3_000) });
  } catch {
    return fail(`no stack answers at ${url}: start it with npm start (or give --url)`, 1);
  }
  if (values.scenario === "september-national") {
    const events = Number(values.events);
    const rate = Number(values.rate);
    if (!(Number.isSafeInteger(events) && events >= 1))
      return fail(`--events must be a whole number ≥ 1\n\n${USAGE}`, 2);
    if (!(rate >= 0)) return fail(`--rate must be 0 or more\n\n${USAGE}`, 2);
    const capacityFile = join(dataDir, "capacity.json");
    const national = await runSeptemberNational(
      {
        url,
        capacity: () => {
          try {
            return JSON.parse(readFileSync(capacityFile, "utf8")) as { write: number; read: number };
          } catch {
            return undefined;
          }
        },
        say: (line) => console.log(line),
        concurrency,
      },
      seed,
      events,
      rate,
    );
    for (const m of national.mismatches.slice(0, 10)) console.log(`  MISMATCH ${m}`);
    console.log(
      `demo: ${national.pledges} pledges from ${national.communes} communes at ${national.eventsPerSecond}/s; ` +
        `lag p50 ${national.lagP50Ms} ms, p99 ${national.lagP99Ms} ms; ` +
        `${national.writeUnitsPerEvent ?? "?"} write units per pledge (door and projector)`,
    );
    console.log(`demo: the national dashboard moved by exactly the pledges sent: ${national.matchesTruth}`);
    console.log(`  campaign page ${url}/campaigns/thang-9-khuyen-hoc-2026`);
    console.log(JSON.stringify(national));
    if (!national.matchesTruth) process.exitCode = 1;
    return;
  }
  const key = loadSigningKey(dataDir);
  const notifierSecret = ensurePaymentSecret(paymentSecretFile(dataDir));
  const clients = createClients(target.config);
  const store = createStore(target.config, clients);
  const registry = createCampaignRegistry(target.config, clients);
  const summary = await runYenBai2018(
    {
      url,
      token: (role, unit) =>
        mintToken(key, { subject: `demo-${role}-${unit}`, role, unit, name: "Demo", ttlSeconds: 3_600 }),
      sources: {
        readPartition: (p) => store.readPartition(p),
        readCampaign: async (id) => (await registry.read(id))?.definition,
        today: vietnamDayOf(new Date().toISOString()),
      },
      reportsDir: join(dataDir, "reports"),
      say: (line) => console.log(line),
      concurrency,
      signNotification: (body) => signedNotification(notifierSecret, body),
    },
    seed,
    scale,
  );
  console.log(`demo: sent in ${summary.seconds} s; ${summary.refused} request(s) refused`);
  console.log(`demo: every report figure equals the generator's truth: ${summary.matchesTruth}`);
  console.log(`demo: the same totals in today's units (Lào Cai): ${summary.currentUnitsMatch}`);
  console.log(
    `demo: every campaign's received equals the transfers, cash and goods sent (${summary.receivedVnd.toLocaleString("en-US")} VND): ${summary.receivedMatches}`,
  );
  for (const path of summary.reports) console.log(`  report ${path}`);
  console.log(`  campaign page ${url}/campaigns/thang-9-khuyen-hoc-2018-yen-bai`);
  console.log(`  transparency page ${url}/transparency (choose Yên Bái's successor, Lào Cai, and 2018)`);
  console.log(JSON.stringify(summary));
  if (!summary.matchesTruth || !summary.currentUnitsMatch || !summary.receivedMatches) process.exitCode = 1;
};

await main();
