import { createHmac, timingSafeEqual } from "node:crypto";

/** The headers a signed notification carries: when it was signed (Unix seconds) and the signature. */
export const TIMESTAMP_HEADER = "x-khuyenhoc-timestamp";
export const SIGNATURE_HEADER = "x-khuyenhoc-signature";

/** How far a notification's timestamp may be from the server's clock: a replay older than this is refused. */
export const SIGNATURE_WINDOW_SECONDS = 5 * 60;

const PREFIX = "sha256=";

/** The signature of a body signed at `timestamp`: HMAC-SHA256 over `<timestamp>.<raw body>`, hex. */
export const signatureOf = (secret: string, timestamp: string, rawBody: string | Uint8Array): string =>
  `${PREFIX}${createHmac("sha256", secret)
    .update(`${timestamp}.`, "utf8")
    .update(typeof rawBody === "string" ? Buffer.from(rawBody, "utf8") : rawBody)
    .digest("hex")}`;

/**
 * Whether a notification is the notifier's and fresh: its timestamp a whole number of seconds within
 * {@link SIGNATURE_WINDOW_SECONDS} of `nowMs`, and its signature the HMAC of that timestamp and the body
 * exactly as received, compared in constant time. The timestamp is inside the signature, so an old
 * notification cannot be replayed under a new timestamp.
 */
export const isAuthentic = (
  secret: string,
  timestamp: string | undefined,
  signature: string | undefined,
  rawBody: string | Uint8Array,
  nowMs: number,
): boolean => {
  if (timestamp === undefined || signature === undefined || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > SIGNATURE_WINDOW_SECONDS) return false;
  const expected = Buffer.from(signatureOf(secret, timestamp, rawBody), "utf8");
  const given = Buffer.from(signature.trim().toLowerCase(), "utf8");
  // timingSafeEqual needs equal lengths; the length of a well-formed signature is public anyway.
  return given.length === expected.length && timingSafeEqual(given, expected);
};
