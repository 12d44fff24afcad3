/**
 * `npm run redrive`: moves dead-lettered messages back to the events queue once what made them fail is
 * fixed, and says how many and why they had been dead-lettered (docs/chaos.md, "Redrive").
 *
 * Targets the running `npm start` (its DATA_DIR/endpoints.json) by default, or AWS with `--aws`
 * (QUEUE_URL, DEAD_LETTER_QUEUE_URL, AWS_REGION and the usual AWS credentials from the environment).
 * Exit code 0 when the redrive ran; 1 when it could not run; 2 on a usage error.
 */

import { parseArgs } from "node:util";
import { operatorConfig } from "#local/endpoints.ts";
import { EXHAUSTED_RETRIES, type RedriveReport, redrive } from "#local/redrive.ts";
import { createClients } from "#storage/clients.ts";
import { ConfigError } from "#storage/config.ts";

const USAGE = `usage: npm run redrive -- [--reason <prefix>] [--dry-run] [--aws]

  --reason <prefix>  only messages whose reason starts with <prefix>, e.g. "conflict" or
                     "${EXHAUSTED_RETRIES}" (moved by the queue after too many receives); the others stay
  --dry-run          list what would be moved, by reason, and move nothing
  --aws              use QUEUE_URL, DEAD_LETTER_QUEUE_URL, AWS_REGION and AWS credentials from the
                     environment instead of the local stack's DATA_DIR/endpoints.json`;

const fail = (message: string, code: number): never => {
  console.error(message);
  process.exit(code);
};

const summary = (report: RedriveReport, dryRun: boolean): string[] => {
  const reasons = Object.entries(report.byReason).sort(
    ([, a], [, b]) => b.redriven + b.kept - a.redriven - a.kept,
  );
  const lines = [
    dryRun
      ? `redrive: dry run: ${report.kept} message(s) on the dead-letter queue, nothing moved`
      : `redrive: moved ${report.redriven} message(s) back to the queue; ${report.kept} stay on the dead-letter queue`,
  ];
  for (const [reason, n] of reasons)
    lines.push(dryRun ? `  ${n.kept}  ${reason}` : `  ${n.redriven} moved, ${n.kept} kept  ${reason}`);
  if (report.arrivedDuringRun > 0)
    lines.push(
      `  (${report.arrivedDuringRun} of those kept were dead-lettered while this run went on: left for the next run)`,
    );
  if (!dryRun && report.redriven > 0)
    lines.push(
      "The projector takes them as new: an event already counted is dropped as a duplicate, and a message " +
        "that fails again is dead-lettered again with its reason.",
    );
  return lines;
};

const parseCommandLine = () => {
  const { values } = parseArgs({
    options: {
      reason: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      aws: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  return { reason: values.reason, dryRun: values["dry-run"], aws: values.aws, help: values.help };
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
  const target = await operatorConfig({
    aws: args.aws,
    needs: "sqs",
    verb: "redrive",
    unused: ["ledgerTable", "projectionTable"],
  });
  if ("problem" in target) return fail(target.problem, 1);
  const { config, where } = target;
  const { sqs } = createClients(config);
  console.log(`redrive: ${where}: from ${config.deadLetterQueueUrl} to ${config.queueUrl}`);
  if (args.reason !== undefined) console.log(`redrive: only reasons starting with "${args.reason}"`);
  const report = await redrive({
    sqs,
    queueUrl: config.queueUrl,
    deadLetterQueueUrl: config.deadLetterQueueUrl,
    dryRun: args.dryRun,
    ...(args.reason === undefined ? {} : { reasonPrefix: args.reason }),
  });
  for (const line of summary(report, args.dryRun)) console.log(line);
};

try {
  await main();
} catch (error) {
  if (error instanceof ConfigError)
    fail(`redrive: ${error.message} (with --aws, set it in the environment)`, 1);
  fail(`redrive failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, 1);
}
