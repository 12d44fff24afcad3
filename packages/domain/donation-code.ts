import { createHash } from "node:crypto";

/**
 * Crockford's base-32 alphabet: digits and capitals without I, L, O, U, so a donor reading the code aloud
 * or typing it into a bank app's note cannot confuse 1/I/L or 0/O.
 */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** Every donation code starts with this, so a code can be found inside a bank note glued to other words. */
export const DONATION_CODE_PREFIX = "KH";

/** Characters of payload after the prefix (40 bits: collisions stay negligible at an association's volume). */
const PAYLOAD_LENGTH = 8;

const symbolValue = (symbol: string): number => ALPHABET.indexOf(symbol);

/**
 * Luhn mod 32 check character over the payload: catches every single mistyped character and every swap
 * of two adjacent characters but one, the two mistakes people make when copying a code by hand. The one
 * swap it cannot see, as Luhn mod N never can, is of the alphabet's first and last symbols (`0Z` ↔ `Z0`).
 */
const checkCharacter = (payload: string): string => {
  const n = ALPHABET.length;
  let sum = 0;
  let factor = 2;
  for (let i = payload.length - 1; i >= 0; i--) {
    const product = factor * symbolValue(payload.charAt(i));
    sum += Math.floor(product / n) + (product % n);
    factor = factor === 2 ? 1 : 2;
  }
  return ALPHABET.charAt((n - (sum % n)) % n);
};

/**
 * A typeable code derived from an eventId, so a retried command answers the same code: `prefix`, 8
 * payload characters from a hash of the eventId, 1 check character. Donation codes and receipt numbers
 * are both this, told apart by their prefix.
 */
export const codeOf = (prefix: string, seed: string): string => {
  const digest = createHash("sha256").update(seed.toLowerCase()).digest();
  let bits = 0n;
  for (let i = 0; i < 5; i++) bits = (bits << 8n) | BigInt(digest[i] ?? 0);
  let payload = "";
  for (let i = 0; i < PAYLOAD_LENGTH; i++) {
    payload = ALPHABET.charAt(Number(bits & 31n)) + payload;
    bits >>= 5n;
  }
  return `${prefix}${payload}${checkCharacter(payload)}`;
};

/**
 * The donation code of a pledge, derived from its eventId so a retried pledge answers the same code:
 * prefix, 8 payload characters from a hash of the eventId, 1 check character (11 characters in all).
 */
export const donationCodeOf = (eventId: string): string => donationCodeFor(eventId, 0);

/**
 * How many codes the pledge door tries for one pledge before it gives up: with 40 bits and an
 * association's volume, a second attempt is already a rarity and a fifth a sign of something broken.
 */
export const MAX_CODE_ATTEMPTS = 5;

/**
 * The code a pledge gets at its `attempt`-th try (0 first): {@link donationCodeOf} first, then codes
 * derived from the eventId and the attempt number, so that when a code is taken by another pledge a
 * retried request probes the same sequence and finds again the code it was given.
 */
export const donationCodeFor = (eventId: string, attempt: number): string =>
  codeOf(DONATION_CODE_PREFIX, attempt === 0 ? eventId : `${eventId}#${attempt}`);

/** Every receipt number starts with this (phiếu thu, the receipt staff write for money or goods). */
export const RECEIPT_NUMBER_PREFIX = "PT";

/** The receipt number of a cash or goods receipt, derived from its eventId like a donation code. */
export const receiptNumberOf = (eventId: string): string => codeOf(RECEIPT_NUMBER_PREFIX, eventId);

/**
 * Text as a donor or a bank may have mangled it, folded to the alphabet: capitals, no separators
 * (spaces, hyphens, dots, underscores), Vietnamese diacritics removed, and the look-alikes O→0, I/L→1.
 */
const fold = (text: string): string =>
  text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/đ/gi, "D")
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, "")
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");

const isValid = (candidate: string): boolean => {
  const payload = candidate.slice(DONATION_CODE_PREFIX.length, -1);
  return (
    candidate.startsWith(DONATION_CODE_PREFIX) &&
    candidate.length === DONATION_CODE_PREFIX.length + PAYLOAD_LENGTH + 1 &&
    [...payload].every((c) => symbolValue(c) >= 0) &&
    checkCharacter(payload) === candidate.slice(-1)
  );
};

/**
 * Every valid donation code in free text such as a bank transfer's note, in order, tolerant of case,
 * spaces, hyphens and words glued on either side; the check character rejects most look-alike runs (for
 * example inside "KHUYEN HOC"). All of them, not only the first: a word glued before the code that ends
 * in "KH" makes a run that passes the check one time in 32, and the real code comes after it.
 */
export const donationCodesIn = (text: string): string[] => {
  const folded = fold(text);
  const length = DONATION_CODE_PREFIX.length + PAYLOAD_LENGTH + 1;
  const found: string[] = [];
  for (
    let at = folded.indexOf(DONATION_CODE_PREFIX);
    at >= 0;
    at = folded.indexOf(DONATION_CODE_PREFIX, at + 1)
  ) {
    const candidate = folded.slice(at, at + length);
    if (isValid(candidate) && !found.includes(candidate)) found.push(candidate);
  }
  return found;
};

/**
 * Finds the first valid donation code anywhere in free text (see {@link donationCodesIn}). Returns
 * undefined when the text holds no valid code.
 */
export const findDonationCode = (text: string): string | undefined => donationCodesIn(text)[0];
