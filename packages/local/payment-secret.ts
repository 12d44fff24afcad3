import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { SIGNATURE_HEADER, signatureOf, TIMESTAMP_HEADER } from "#domain/webhook-signature.ts";

/** Where the local stack keeps the bank-transfer notifier's secret, under its data directory. */
export const paymentSecretFile = (dataDir: string): string => join(dataDir, "payments", "notifier.secret");

/**
 * The local notifier secret, made on first start (64 hex characters, readable by its owner alone) and
 * kept with the data, so `npm run payment` and a notifier pointed at this machine sign with it.
 */
export const ensurePaymentSecret = (file: string): string => {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
  }
  return readFileSync(file, "utf8").trim();
};

/** The headers that sign `text` (a body exactly as it will be sent) as the notifier signs it. */
export const signatureHeaders = (
  secret: string,
  text: string,
  nowMs: number = Date.now(),
): Record<string, string> => {
  const timestamp = String(Math.floor(nowMs / 1000));
  return {
    "content-type": "application/json",
    [TIMESTAMP_HEADER]: timestamp,
    [SIGNATURE_HEADER]: signatureOf(secret, timestamp, text),
  };
};

/** A notification body signed as the notifier signs it: the headers to send with the exact body text. */
export const signedNotification = (
  secret: string,
  body: unknown,
  nowMs: number = Date.now(),
): { readonly body: string; readonly headers: Record<string, string> } => {
  const text = JSON.stringify(body);
  return { body: text, headers: signatureHeaders(secret, text, nowMs) };
};
