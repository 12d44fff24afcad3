import fc from "fast-check";
import { QRPay } from "vietnam-qr-pay";
import { describe, expect, it } from "vitest";
import { donationCodeOf } from "#domain/donation-code.ts";
import { pledgeVietQr, vietQrPayload } from "#domain/vietqr.ts";
import type { BankAccount } from "#events/campaign.ts";

const account: BankAccount = {
  bankBin: "970436",
  accountNumber: "HOIKHUYENHOCVN",
  accountName: "HOI KHUYEN HOC VIET NAM",
};

/** What a banking app reads back from a payload, decoded by the same library, CRC checked. */
const decode = (payload: string) => {
  const qr = new QRPay(payload);
  return {
    valid: qr.isValid,
    crcMatches: QRPay.genCRCCode(payload.slice(0, -4)) === payload.slice(-4),
    bankBin: qr.consumer.bankBin,
    accountNumber: qr.consumer.bankNumber,
    amount: qr.amount,
    note: qr.additionalData.purpose,
    currency: qr.currency,
  };
};

const accounts = fc.record({
  bankBin: fc.stringMatching(/^\d{6}$/),
  accountNumber: fc.stringMatching(/^[0-9A-Z]{4,19}$/),
  accountName: fc.constant("HOI KHUYEN HOC"),
});

describe("the VietQR payload of a pledge", () => {
  it("given any account, amount and donation code, when decoded back, then it names them with a valid CRC", () => {
    fc.assert(
      fc.property(accounts, fc.integer({ min: 1, max: 1_000_000_000_000 }), fc.uuid(), (acc, amount, id) => {
        // Given
        const code = donationCodeOf(id);
        // When
        const decoded = decode(vietQrPayload(acc, amount, code));
        // Then
        expect(decoded).toEqual({
          valid: true,
          crcMatches: true,
          bankBin: acc.bankBin,
          accountNumber: acc.accountNumber,
          amount: String(amount),
          note: code,
          currency: "704",
        });
      }),
    );
  });

  it("given a payload with one character changed, when decoded, then its CRC refuses it", () => {
    // Given
    const payload = vietQrPayload(account, 1_500_000, donationCodeOf("3f6c1e0a-8f4b-4c2e-9d7a-2b5e8c1f4a90"));
    const tampered = payload.replace("1500000", "9500000");
    // When
    const decoded = decode(tampered);
    // Then
    expect(tampered).not.toBe(payload);
    expect(decoded.valid).toBe(false);
    expect(decoded.crcMatches).toBe(false);
  });

  it("is there for money to a campaign with an account, and absent for goods or a campaign without one", () => {
    // Given
    const code = donationCodeOf("3f6c1e0a-8f4b-4c2e-9d7a-2b5e8c1f4a90");
    const money = { kind: "money", amountVnd: 250_000 } as const;
    const goods = { kind: "in-kind", description: "200 quyển vở", valuationVnd: 1_000_000 } as const;
    // When
    const answers = {
      money: pledgeVietQr({ bankAccount: account }, money, code),
      goods: pledgeVietQr({ bankAccount: account }, goods, code),
      noAccount: pledgeVietQr({}, money, code),
    };
    // Then
    expect(answers.money && decode(answers.money)).toMatchObject({
      valid: true,
      amount: "250000",
      note: code,
    });
    expect(answers.goods).toBeUndefined();
    expect(answers.noAccount).toBeUndefined();
  });
});
