/**
 * `npm run rebuild`: re-derives every registered projection from the ledger into a new projection version
 * beside the live one, and says whether the two are equal (docs/rebuild.md). It never switches versions:
 * that is one configuration change the operator makes after reading the result.
 *
 * Targets the running `npm start` (its DATA_DIR/endpoints.json) by default, or AWS with `--aws`
 * (LEDGER_TABLE, PROJECTION_TABLE, AWS_REGION and the usual AWS credentials from the environment).
 * Exit code 0 when the rebuild ran, equal or not; 1 when it could not run; 2 on a usage error.
 */

import { parseArgs } from "node:util";
import { operatorConfig } from "#local/endpoints.ts";
import { createClients } from "#storage/clients.ts";
import { ConfigError } from "#storage/config.ts";
import {
  RebuildError,
  type RebuildProgress,
  type RebuildReport,
  rebuildProjections,
} from "#storage/rebuild.ts";
import { createStore } from "#storage/store.ts";

const USAGE = `usage: npm run rebuild -- [--from <version>] [--to <version>] [--segments <n>] [--aws]

  --from <version>  the live version to compare with (default: PROJECTION_VERSION, else 1)
  --to <version>    the version to write (default: from + 1); never the live one
  --segments <n>    parallel Scan segments over the ledger (default 4)
  --aws             use LEDGER_TABLE, PROJECTION_TABLE, AWS_REGION and AWS credentials from the
                    environment instead of the local stack's DATA_DIR/endpoints.json`;

const fail = (message: string, code: number): never => {
  console.error(message);
  process.exit(code);
};

const positiveArg = (name: string, raw: string | undefined): number | undefined => {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} must be a whole number ≥ 1`);
  return value;
};

const number = (n: number) => n.toLocaleString("en-US");

const progressLine = (p: RebuildProgress): string => {
  switch (p.phase) {
    case "scan":
      return `  scanned ${p.scanned} ledger items${p.done ? " (done)" : ""}, ${p.events} events to fold`;
    case "clear":
      return `  cleared ${p.deleted} of ${p.of} item(s) an earlier rebuild left in the target version`;
    case "write":
      return `  wrote ${p.written} of ${p.of} projection item(s)`;
    case "compare":
      return `  compared ${p.compared} of ${p.of} partition(s)`;
    default: {
      const unhandled: never = p;
      return String(unhandled);
    }
  }
};

const summary = (report: RebuildReport, aws: boolean): string[] => {
  const { fromVersion: from, toVersion: to } = report;
  // Locally, the stack must come back on the same data (and port): repeat what the operator set.
  const local = ["DATA_DIR", "PORT"]
    .filter((name) => process.env[name])
    .map((name) => `${name}=${process.env[name]} `)
    .join("");
  const switchTo = (v: number) =>
    aws
      ? `npx cdk deploy -c stage=<stage> -c projectionVersion=${v}`
      : `${local}PROJECTION_VERSION=${v} npm start`;
  if (report.equalsLive) {
    return [
      `Version ${to} equals live version ${from}: ${report.partitions} partition(s), ${report.events} event(s).`,
      `To switch, ${aws ? "deploy" : "restart the stack"} with version ${to}: ${switchTo(to)}`,
      `To roll back, switch back: ${switchTo(from)} (events counted after the switch are only in version ${to})`,
    ];
  }
  const lines = [
    `Version ${to} differs from live version ${from} in ${report.differingPartitions} of ${report.partitions} partition(s):`,
  ];
  for (const d of report.differences) {
    lines.push(`  ${d.partition}: ${d.differingItems} item(s) differ`);
    for (const item of d.items) {
      const counters = item.counters.map(
        (c) => `${c.counter} live ${number(c.live)}, rebuilt ${number(c.rebuilt)}`,
      );
      const more = item.differingCounters - item.counters.length;
      lines.push(`    ${item.item}: ${counters.join("; ")}${more > 0 ? ` (and ${more} more)` : ""}`);
    }
    if (d.unsettledEvents > 0) lines.push(`    ${d.unsettledEvents} event(s) still in flight on the queue`);
  }
  if (report.differences.length < report.differingPartitions) {
    lines.push(`  (and ${report.differingPartitions - report.differences.length} more partition(s))`);
  }
  if (report.unsettledEvents > 0) {
    lines.push(
      "Events still in flight are in the rebuild but not yet live. Do not switch now (they would count " +
        "twice in the new version): let the queue drain, then run the rebuild again.",
    );
  }
  lines.push(
    `Switching (${switchTo(to)}) is your decision: read docs/rebuild.md and explain every difference first.`,
  );
  return lines;
};

const parseCommandLine = () => {
  const { values } = parseArgs({
    options: {
      from: { type: "string" },
      to: { type: "string" },
      segments: { type: "string" },
      aws: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  return {
    from: positiveArg("from", values.from),
    to: positiveArg("to", values.to),
    segments: positiveArg("segments", values.segments),
    aws: values.aws,
    help: values.help,
  };
};

const main = async () => {
  let args: ReturnType<typeof parseCommandLine>;
  try {
    args = parseCommandLine();
  } catch (error) {
    return fail(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`, 2);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const { from, to, segments } = args;
  const aws = args.aws;
  const target = await operatorConfig({
    aws: aws,
    needs: "dynamo",
    verb: "rebuild",
    unused: ["queueUrl", "deadLetterQueueUrl"],
  });
  if ("problem" in target) return fail(target.problem, 1);
  const { config, where } = target;
  const fromVersion = from ?? config.projectionVersion;
  const toVersion = to ?? fromVersion + 1;
  console.log(`rebuild: ${where}: ledger ${config.ledgerTable}, projections ${config.projectionTable}`);
  console.log(
    `rebuild: folding the ledger into version ${toVersion}, to compare with version ${fromVersion}`,
  );
  const started = Date.now();
  const clients = createClients(config);
  const report = await rebuildProjections(
    createStore({ ...config, projectionVersion: fromVersion }, clients),
    clients.ddb,
    {
      fromVersion,
      toVersion,
      ...(segments === undefined ? {} : { segments }),
      onProgress: (p) => console.log(progressLine(p)),
    },
  );
  console.log(`rebuild: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const line of summary(report, aws)) console.log(line);
  console.log(JSON.stringify(report));
};

try {
  await main();
} catch (error) {
  if (error instanceof ConfigError)
    fail(`rebuild: ${error.message} (with --aws, set it in the environment)`, 1);
  if (error instanceof RebuildError) fail(`rebuild: ${error.message}`, 1);
  fail(`rebuild failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, 1);
}
