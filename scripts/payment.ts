/**
 * `npm run payment -- --code <donationCode> --amount <VND> [--url <base>] [--content <note>] [--id <id>] [--out]`:
 * posts a bank-transfer notification to the local stack as a notifier would, signed with the local
 * secret (made in .local/ by `npm start`), and prints what it sent and the answer. The body is
 * events/examples/bank-transfer.json with the code in the note, the amount, a fresh id and the time now.
 */
import { randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { ensurePaymentSecret, paymentSecretFile, signedNotification } from "#local/payment-secret.ts";

const fail = (message: string): never => {
  console.error(`payment: ${message}`);
  console.error(
    "usage: npm run -s payment -- --code <donationCode> --amount <VND> [--url <base>] [--content <note>] [--id <notifier id>] [--out]",
  );
  process.exit(2);
};

const parse = () => {
  try {
    return parseArgs({
      options: {
        code: { type: "string" },
        amount: { type: "string" },
        url: { type: "string", default: `http://localhost:${process.env.PORT ?? 3000}` },
        content: { type: "string" },
        id: { type: "string" },
        out: { type: "boolean", default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
};

const values = parse();
const amount = Number(values.amount);
if (!Number.isSafeInteger(amount) || amount <= 0) fail("--amount must be a whole number of VND above 0");
if (values.code === undefined && values.content === undefined) fail("--code or --content is required");

/** Now as the banks write it: Vietnam's local time, without an offset. */
const vietnamLocal = (date: Date): string =>
  new Date(date.getTime() + 7 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");

const example = JSON.parse(readFileSync(resolve("events/examples/bank-transfer.json"), "utf8")) as Record<
  string,
  unknown
>;
const content = values.content ?? `NGUYEN VAN AN chuyen tien ung ho ${values.code}`;
const body = {
  ...example,
  id: values.id ?? randomInt(1, 2 ** 47),
  transactionDate: vietnamLocal(new Date()),
  content,
  description: `BankAPINotify ${content}`,
  transferType: values.out ? "out" : "in",
  transferAmount: amount,
};
const secretFile = paymentSecretFile(resolve(process.env.DATA_DIR ?? ".local"));
const secret = ensurePaymentSecret(secretFile);
const signed = signedNotification(secret, body);
const url = `${values.url.replace(/\/$/, "")}/v1/payments/bank-transfer`;
console.log(`POST ${url}`);
for (const [name, value] of Object.entries(signed.headers)) console.log(`${name}: ${value}`);
console.log(`\n${JSON.stringify(body, null, 2)}\n`);
try {
  const response = await fetch(url, { method: "POST", headers: signed.headers, body: signed.body });
  console.log(`${response.status} ${await response.text()}`);
  // The usual cause: `npm start` keeps its secret under another data directory than this command read.
  if (response.status === 401)
    console.error(
      `payment: signed with ${secretFile}; if \`npm start\` runs with DATA_DIR=…, run this with the same DATA_DIR`,
    );
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  fail(
    `could not reach ${url} (is \`npm start\` running?): ${error instanceof Error ? error.message : String(error)}`,
  );
}
