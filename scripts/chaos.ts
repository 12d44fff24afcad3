/**
 * `npm run chaos`: the fault drill of docs/chaos.md. Posts donations through the local pipeline while
 * injecting duplicate submissions, redelivery of messages still being processed, projector crashes,
 * DynamoDB throttling and poison messages, then compares the projections with the truth.
 *
 *   npm run chaos -- --events 3000 --seed 42
 *
 * Progress and a breakdown of the faults go to stdout; the last line is one JSON object. Exit code 0 when
 * nothing was lost or double-counted and the projections match the truth, 1 otherwise, 2 on a usage error.
 */
import { parseArgs } from "node:util";
import { type ChaosProgress, type ChaosResult, passed, runChaos, summaryLine } from "#local/chaos.ts";

const USAGE = `usage: npm run chaos -- [--events <n>] [--seed <s>]

  --events <n>  distinct donations to post (default 3000)
  --seed <s>    seed of the workload and the faults (default 42); the same seed posts the same donations`;

const wholeNumber = (name: string, raw: string, min: number): number => {
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min)
    throw new Error(`--${name} must be a whole number ≥ ${min}`);
  return value;
};

const parseCommandLine = () => {
  const { values } = parseArgs({
    options: {
      events: { type: "string", default: "3000" },
      seed: { type: "string", default: "42" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  return {
    events: wholeNumber("events", values.events, 10),
    seed: wholeNumber("seed", values.seed, 0),
    help: values.help,
  };
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const progressLine = (p: ChaosProgress): string =>
  `${seconds(p.elapsedMs).padStart(7)} ${p.phase.padEnd(8)} posted ${p.posted}, accepted ${p.accepted}, ` +
  `backlog ${p.backlog} | throttled ${p.faults.throttled}, lost answers ${p.faults.lostAnswers}, crashes ${p.faults.crashes}, ` +
  `slowed ${p.faults.slowed}, redelivered ${p.faults.redelivered} (${p.faults.redeliveredWhileProcessing} ` +
  `while in progress), poison ${p.faults.poisonSent}`;

const entries = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ") || "none";

const breakdown = (r: ChaosResult): string[] => {
  const { report } = r;
  const { ingest, projector } = report.throttling;
  const lines = [
    `chaos: done in ${seconds(report.durationMs)}${report.drained ? "" : " (the queue never drained!)"}`,
    `faults injected:`,
    `  duplicate submissions  ${report.faults.resubmitted} (same eventId and body; some at the same moment)`,
    `  throttling             ingest ${ingest.injected} attempts (${entries(ingest.byError)}), projector ` +
      `${projector.injected} attempts (${entries(projector.byError)}) and ${projector.statements} PartiQL statements`,
    `  lost answers           ${report.lostAnswers.lost} projector DynamoDB calls executed with the answer lost ` +
      `(${entries(report.lostAnswers.byCommand)})`,
    `  projector crashes      ${report.crashes.crashes} of ${report.crashes.invocations} invocations: ` +
      entries(report.crashes.byPoint),
    `  slow writes            ${report.slow.delayed} stalls past the visibility timeout; ` +
      `${report.faults.redeliveredWhileProcessing} messages handed out again while still in progress`,
    `  redeliveries           ${report.faults.redelivered} records received more than once`,
    `  poison messages        ${report.poison.sent} sent, ${report.poison.deadLettered} dead-lettered with the right reason`,
    `answers to the driver:  ${entries(report.answers)}; ${report.notAccepted} donation(s) never accepted ` +
      `(not in the truth); ${report.conflictsRefused} reused eventId(s) refused with 409`,
    `dead-letter queue:      ${r.deadLettered} message(s): ${entries(report.deadLetterReasons)}`,
    `staff events:           ${report.families.events} (support, corrections, revocations, sponsorships, ` +
      `assessments); ${report.families.mismatched} counter(s) differ from the registry's fold`,
    `bank transfers:         ${report.money.events} notifications, ${report.money.sent} sent with their ` +
      `duplicates; ${report.money.mismatched} counter(s) differ from the registry's fold, ` +
      `${report.money.notInLedger} not in the ledger`,
  ];
  if (report.unexpected.length > 0)
    lines.push(
      `unexpected answers:     ${report.unexpected.length}`,
      ...report.unexpected.map((u) => `  ${u}`),
    );
  if (report.acceptedDeadLettered.length > 0)
    lines.push(
      `accepted events on the dead-letter queue (not counted): ${report.acceptedDeadLettered.length}`,
      ...report.acceptedDeadLettered.slice(0, 10).map((a) => `  ${a}`),
    );
  if (report.mismatches.length > 0)
    lines.push("projection cells that differ from the truth:", ...report.mismatches.map((m) => `  ${m}`));
  if (report.families.examples.length > 0)
    lines.push("staff figures that differ from the truth:", ...report.families.examples.map((m) => `  ${m}`));
  if (report.money.examples.length > 0)
    lines.push("money that differs from the truth:", ...report.money.examples.map((m) => `  ${m}`));
  if (report.ledger.missing + report.ledger.unapplied > 0)
    lines.push(
      `ledger: ${report.ledger.missing} accepted event(s) not in the ledger, ${report.ledger.unapplied} never applied`,
      ...report.ledger.examples.map((e) => `  ${e}`),
    );
  return lines;
};

let args: ReturnType<typeof parseCommandLine>;
try {
  args = parseCommandLine();
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

console.log(
  `chaos: ${args.events} donations, ${Math.round(args.events / 2)} staff events and ` +
    `${Math.round(args.events / 3)} bank-transfer notifications, seed ${args.seed}; ` +
    "starting DynamoDB Local and the SQS emulator",
);
try {
  const result = await runChaos({
    events: args.events,
    seed: args.seed,
    onProgress: (p) => console.log(progressLine(p)),
  });
  for (const line of breakdown(result)) console.log(line);
  console.log(summaryLine(result));
  process.exit(passed(result) ? 0 : 1);
} catch (error) {
  console.error(
    `chaos: the drill could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  process.exit(1);
}
