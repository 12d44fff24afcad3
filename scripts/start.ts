/**
 * `npm start`: the whole product on this machine. Data lives in .local/ (or DATA_DIR), so a restart,
 * even after `kill -9`, keeps every event that was answered 202. Ctrl-C finishes in-flight batches.
 */
import { resolve } from "node:path";
import { startLocalStack } from "#local/stack.ts";
import { ensureWebBuilt, WEB_DIST } from "../packages/web/build.ts";

const port = Number(process.env.PORT ?? 3000);
const dataDir = resolve(process.env.DATA_DIR ?? ".local");
const say = (line: string) => console.log(`${new Date().toISOString()} ${line}`);

// The web app is built only when its sources changed since the last build (a second or so when they did).
await ensureWebBuilt(say);
say(`starting DynamoDB Local and the SQS emulator (data in ${dataDir})`);
let stack: Awaited<ReturnType<typeof startLocalStack>>;
try {
  stack = await startLocalStack({
    port,
    dataDir,
    say,
    // Locally nothing forces Lambda's long timeouts: redeliver sooner so a crash heals in seconds.
    visibilityTimeoutSeconds: Number(process.env.VISIBILITY_TIMEOUT_SECONDS ?? 10),
    webDir: WEB_DIST,
  });
} catch (error) {
  console.error(`could not start: ${error instanceof Error ? error.message : String(error)}`);
  if (error instanceof Error && "code" in error && error.code === "EADDRINUSE") {
    console.error(`port ${port} is taken: stop what uses it or run with PORT=<another port> npm start`);
  }
  process.exit(1);
}

console.log(`ready ${stack.url}`);
console.log(`  web app: ${stack.url}/  (a campaign: ${stack.url}/campaigns/quy-khuyen-tai-xa-2026)`);
console.log(`  POST ${stack.url}/v1/donations        (try: events/examples/donation-form.json)`);
console.log(`  GET  ${stack.url}/v1/campaigns/<campaignId>`);
console.log(`  bank transfers: npm run -s payment -- --code <donationCode> --amount <VND>`);
console.log(
  `  staff tokens: npm run -s token -- --role unit-staff --unit 04252 (JWKS ${stack.auth.jwksUri})`,
);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  say(`${signal}: no new requests; finishing in-flight batches`);
  await stack.stop();
  say("stopped");
  process.exit(0);
};
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
