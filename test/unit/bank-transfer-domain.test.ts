import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fundOfCampaign, outcomeOf, transactionInstant, transferEventId } from "#domain/bank-transfer.ts";
import { donationCodeFor, donationCodeOf, donationCodesIn, findDonationCode } from "#domain/donation-code.ts";
import { isAuthentic, SIGNATURE_WINDOW_SECONDS, signatureOf } from "#domain/webhook-signature.ts";
import type { CampaignDefinition } from "#events/campaign.ts";
import { aCampaignDefinition } from "../helpers/campaigns.ts";

const SECRET = "a-test-secret-of-enough-length-0123456789abcdef";
const NOW_MS = Date.parse("2026-09-20T03:00:00Z");
const NOW_S = String(NOW_MS / 1000);

describe("the webhook signature", () => {
  it("accepts the HMAC of timestamp and body, within the window", () => {
    // Given
    const body = '{"id":1,"content":"KH66N94BQR5"}';
    // When / Then
    expect(isAuthentic(SECRET, NOW_S, signatureOf(SECRET, NOW_S, body), body, NOW_MS)).toBe(true);
    expect(signatureOf(SECRET, NOW_S, body)).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it("refuses any body changed after signing (property)", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (bytes, at, flip) => {
          // Given: a body signed, then one byte changed
          const body = Buffer.from(bytes);
          const signature = signatureOf(SECRET, NOW_S, body);
          const changed = Buffer.from(body);
          const i = at % changed.length;
          changed[i] = (changed[i] ?? 0) ^ flip;
          // When / Then
          expect(isAuthentic(SECRET, NOW_S, signature, changed, NOW_MS)).toBe(false);
        },
      ),
    );
  });

  it("refuses a timestamp outside ±5 minutes, however well signed", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: SIGNATURE_WINDOW_SECONDS + 1, max: 10 ** 8 }),
        fc.boolean(),
        (off, past) => {
          const ts = String(NOW_MS / 1000 + (past ? -off : off));
          expect(isAuthentic(SECRET, ts, signatureOf(SECRET, ts, "{}"), "{}", NOW_MS)).toBe(false);
        },
      ),
    );
  });

  it.each([
    ["no timestamp", undefined, "sig"],
    ["no signature", NOW_S, undefined],
    ["a timestamp that is not a number", "soon", "sig"],
    ["a signature of another length", NOW_S, "sha256=abc"],
    ["a signature without its prefix", NOW_S, signatureOf(SECRET, NOW_S, "{}").slice(7)],
    [
      "another secret's signature",
      NOW_S,
      signatureOf("another-secret-of-enough-length-0123456789", NOW_S, "{}"),
    ],
  ])("refuses %s", (_what, ts, signature) => {
    expect(isAuthentic(SECRET, ts, signature, "{}", NOW_MS)).toBe(false);
  });
});

describe("donation codes of a pledge's probe sequence", () => {
  it("start with the pledge's code, differ from it after, and are valid codes found in notes", () => {
    fc.assert(
      fc.property(fc.uuid(), fc.integer({ min: 1, max: 4 }), (id, attempt) => {
        // Given / When
        const next = donationCodeFor(id, attempt);
        // Then
        expect(donationCodeFor(id, 0)).toBe(donationCodeOf(id));
        expect(next).not.toBe(donationCodeOf(id));
        expect(donationCodeFor(id.toUpperCase(), attempt)).toBe(next);
        expect(findDonationCode(`ung ho ${next.toLowerCase()}`)).toBe(next);
      }),
    );
  });

  it("finds the real code behind a glued word that forms a valid-looking run", () => {
    // Given: a word glued before the code, starting with KH, whose run into the code passes the check
    const real = donationCodeOf("3f6c1b2a-8d4e-4c1f-9a7b-2e5d6c8f0a11");
    const glued = fc.sample(fc.stringMatching(/^KH[0-9A-HJKMNP-TV-Z]{7}$/), 5000).find((word) => {
      const codes = donationCodesIn(`${word}${real}`);
      return codes.length > 1 && codes[0] !== real;
    });
    // When
    const codes = donationCodesIn(`${glued}${real}`);
    // Then: the first candidate is a phantom; the real code is among the candidates
    expect(glued).toBeDefined();
    expect(codes).toContain(real);
  });
});

describe("the pure parts of a transfer", () => {
  it("compares a transfer with what was still owed", () => {
    expect([outcomeOf(500_000, 500_000), outcomeOf(200_000, 500_000), outcomeOf(1, 0)]).toEqual([
      "exact",
      "partial",
      "over",
    ]);
  });

  it("reads a notifier's local time as Vietnam's, and keeps an offset it was given", () => {
    expect(transactionInstant("2026-09-05 09:30:00")).toBe("2026-09-05T09:30:00+07:00");
    expect(transactionInstant("2026-09-05T02:30:00Z")).toBe("2026-09-05T02:30:00Z");
    expect(transactionInstant("2026-09-05 09:30:00+07:00")).toBe("2026-09-05T09:30:00+07:00");
  });

  it("derives one eventId per gateway and notifier id", () => {
    expect(transferEventId("Vietcombank", "42")).toBe(transferEventId("Vietcombank", "42"));
    expect(transferEventId("Vietcombank", "42")).not.toBe(transferEventId("MBBank", "42"));
    expect(transferEventId("Vietcombank", "42")).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it.each([
    ["its fund unit", { fundUnit: "15", units: ["15001", "15002"] }, { unitCode: "15", purpose: "general" }],
    ["its single covered unit", { units: ["04252"] }, { unitCode: "04252", purpose: "general" }],
    [
      "the central association when it covers several",
      { units: ["04", "15"] },
      { unitCode: "VN", purpose: "general" },
    ],
  ])("puts a campaign's money in %s", (_what, overrides, fund) => {
    const definition = { goals: {}, ...aCampaignDefinition(overrides) } as CampaignDefinition;
    expect(fundOfCampaign(definition)).toEqual(fund);
  });

  it("keeps a restricted campaign's money under its own purpose", () => {
    const definition = {
      goals: {},
      ...aCampaignDefinition({ id: "tu-sach", restrictedPurpose: "Tủ sách" }),
    } as CampaignDefinition;
    expect(fundOfCampaign(definition).purpose).toBe("campaign:tu-sach");
  });
});
