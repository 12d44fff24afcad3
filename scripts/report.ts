/**
 * `npm run report`: makes one report now, from the projections of the running `npm start` (or AWS with
 * `--aws`), and writes its XLSX, JSON and CSV files into `.local/reports/` (or `--out`). The scheduled
 * report function makes the same reports (packages/reports/generate.ts) into the reports bucket.
 *
 *   npm run report -- --kind yearly --year 2018 --unit 15
 *   npm run report -- --kind monthly --year 2026 --month 09 --unit 15 --as-of current
 *   npm run report -- --kind campaign-daily --campaign thang-9-khuyen-hoc-2026 --day 2026-09-05
 *
 * Exit code 0 when written; 1 when it could not run; 2 on a usage error.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { vietnamDayOf } from "#domain/time.ts";
import { operatorConfig } from "#local/endpoints.ts";
import { baseNameOf, generateReport, type ReportRequest, ReportRequestError } from "#reports/generate.ts";
import { renderAll } from "#reports/render.ts";
import { createCampaignRegistry } from "#storage/campaigns.ts";
import { createClients } from "#storage/clients.ts";
import { createStore } from "#storage/store.ts";

const USAGE = `usage: npm run report -- --kind <yearly|monthly|campaign-daily|disclosure> [options]

  --kind yearly          --unit <code> --year <YYYY> [--as-of historic|current]
  --kind monthly         --unit <code> --year <YYYY> --month <MM> [--as-of historic|current]
  --kind campaign-daily  --campaign <id> [--day <YYYY-MM-DD>, default today in Vietnam]
  --kind disclosure      --unit <VN|province|commune> --year <YYYY>   (the fund's annual public disclosure)
  --out <dir>            where to write (default: <DATA_DIR or .local>/reports)
  --aws                  read the deployed tables (PROJECTION_TABLE, AWS_REGION, credentials)

  --unit is VN, a province (2 digits), a district before 2025 (3 digits) or a commune (5 digits).
  --as-of historic (default) reads the units of that year; current reads today's units.`;

const fail = (message: string, code: number): never => {
  console.error(message);
  process.exit(code);
};

const requestOf = (values: Record<string, string | boolean | undefined>, today: string): ReportRequest => {
  const text = (name: string): string => {
    const value = values[name];
    if (typeof value !== "string" || value === "") throw new ReportRequestError(`--${name} is required`);
    return value;
  };
  const year = (): number => {
    const raw = text("year");
    if (!/^\d{4}$/.test(raw) || Number(raw) < 2000 || Number(raw) > Number(today.slice(0, 4)))
      throw new ReportRequestError(`--year must be a year from 2000 to ${today.slice(0, 4)}, not ${raw}`);
    return Number(raw);
  };
  const asOf = (): "historic" | "current" => {
    const raw = values["as-of"] ?? "historic";
    if (raw !== "historic" && raw !== "current")
      throw new ReportRequestError(`--as-of must be historic or current, not ${String(raw)}`);
    return raw;
  };
  const unit = (): string => {
    const raw = text("unit");
    if (!/^(VN|\d{2}|\d{3}|\d{5})$/.test(raw))
      throw new ReportRequestError(`--unit must be VN or a 2-, 3- or 5-digit unit code, not ${raw}`);
    return raw;
  };
  switch (values.kind) {
    case "yearly":
      return { kind: "yearly", unit: unit(), year: year(), asOf: asOf() };
    case "monthly": {
      const month = text("month").padStart(2, "0");
      if (!/^(0[1-9]|1[0-2])$/.test(month))
        throw new ReportRequestError(`--month must be 01-12, not ${month}`);
      return { kind: "monthly", unit: unit(), year: year(), month, asOf: asOf() };
    }
    case "campaign-daily": {
      const day = typeof values.day === "string" ? values.day : today;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day))
        throw new ReportRequestError(`--day must be YYYY-MM-DD, not ${day}`);
      return { kind: "campaign-daily", campaignId: text("campaign"), day };
    }
    default:
      throw new ReportRequestError(
        `--kind must be yearly, monthly or campaign-daily, not ${String(values.kind)}`,
      );
  }
};

const main = async () => {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        kind: { type: "string" },
        unit: { type: "string" },
        year: { type: "string" },
        month: { type: "string" },
        campaign: { type: "string" },
        day: { type: "string" },
        "as-of": { type: "string" },
        out: { type: "string" },
        aws: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${USAGE}`, 2);
  }
  if (values.help) return console.log(USAGE);
  const today = vietnamDayOf(new Date().toISOString());
  let request: ReportRequest;
  try {
    request = requestOf(values, today);
  } catch (error) {
    if (error instanceof ReportRequestError) return fail(`${error.message}\n\n${USAGE}`, 2);
    throw error;
  }
  const target = await operatorConfig({
    aws: values.aws === true,
    needs: "dynamo",
    verb: "make reports",
    unused: ["queueUrl", "deadLetterQueueUrl", "ledgerTable"],
  });
  if ("problem" in target) return fail(target.problem, 1);
  const clients = createClients(target.config);
  const store = createStore(target.config, clients);
  const registry = createCampaignRegistry(target.config, clients);
  console.log(`report: ${request.kind} from the projections of the ${target.where}`);
  let partitions = 0;
  const started = Date.now();
  const report = await generateReport(request, {
    readPartition: async (partition) => {
      partitions += 1;
      if (partitions % 25 === 0) console.log(`  read ${partitions} partitions`);
      return store.readPartition(partition);
    },
    readCampaign: async (id) => (await registry.read(id))?.definition,
    today,
  }).catch((error: unknown) => {
    if (error instanceof ReportRequestError) return fail(`report: ${error.message}`, 1);
    throw error;
  });
  const dir = resolve(
    typeof values.out === "string" ? values.out : join(process.env.DATA_DIR ?? ".local", "reports"),
  );
  mkdirSync(dir, { recursive: true });
  const files = await renderAll(report, baseNameOf(request));
  for (const file of files) writeFileSync(join(dir, file.name), file.body);
  console.log(`report: read ${partitions} partition(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`report: ${report.headline.vi}`);
  for (const file of files) console.log(`  wrote ${join(dir, file.name)} (${file.body.length} bytes)`);
};

await main();
