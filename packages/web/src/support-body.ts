import { occurredAtOf } from "./occurred-at.ts";

/** The support form as typed: every value a string, as the inputs hold them. */
export interface SupportFormState {
  readonly recipientType: "beneficiary" | "collective";
  readonly beneficiaryId: string;
  readonly beneficiaryKind: "student" | "teacher";
  readonly collectiveKind: "school" | "class" | "community-learning-centre";
  readonly collectiveName: string;
  readonly reason: string;
  readonly moneyVnd: string;
  readonly goodsDescription: string;
  readonly goodsValuation: string;
  readonly fundedBy: "fund" | "campaign";
  readonly campaignId: string;
  /** `YYYY-MM-DD`, a day in Vietnam. */
  readonly date: string;
  readonly unitCode: string;
}

/** Digits with or without `.` separators as integer VND; what is not a number is sent as typed. */
const amountOf = (text: string): number | string | undefined => {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  const digits = trimmed.replace(/[.\s,₫đ]/g, "");
  return /^\d+$/.test(digits) ? Number(digits) : trimmed;
};

/**
 * The body of `POST /v1/support` from what was typed, as typed: the API validates it (one set of rules) and
 * the form words each issue beside its field. `supportId` is made once per form, so a retry records one
 * lượt. A past day is its noon in Vietnam, so it stays that day in every time zone's reading of it; today
 * is the current minute, since noon today would be ahead of the server's clock all morning (a 422).
 */
export const supportBodyOf = (supportId: string, f: SupportFormState, now: Date = new Date()) => {
  const money = amountOf(f.moneyVnd);
  const valuation = amountOf(f.goodsValuation);
  const goods = f.goodsDescription.trim() !== "" || valuation !== undefined;
  return {
    supportId,
    recipient:
      f.recipientType === "beneficiary"
        ? { type: "beneficiary", beneficiaryId: f.beneficiaryId.trim(), beneficiaryKind: f.beneficiaryKind }
        : { type: "collective", kind: f.collectiveKind, name: f.collectiveName },
    ...(f.reason === "" ? {} : { reason: f.reason }),
    ...(money === undefined ? {} : { moneyVnd: money }),
    ...(goods
      ? {
          goods: {
            description: f.goodsDescription,
            ...(valuation === undefined ? {} : { valuationVnd: valuation }),
          },
        }
      : {}),
    fundedBy: f.fundedBy === "fund" ? { source: "fund" } : { source: "campaign", campaignId: f.campaignId },
    ...(f.date === "" ? {} : { occurredAt: occurredAtOf(f.date, now) }),
    ...(f.unitCode.trim() === "" ? {} : { unitCode: f.unitCode.trim() }),
  };
};

/** Which field an issue's path belongs to (an input's id); undefined: said above the form. */
export const supportFieldOf = (path: string): string | undefined => {
  const fields: Record<string, string> = {
    recipient: "recipientType",
    "recipient.type": "recipientType",
    "recipient.beneficiaryId": "beneficiaryId",
    "recipient.beneficiaryKind": "beneficiaryKind",
    "recipient.kind": "collectiveKind",
    "recipient.name": "collectiveName",
    reason: "reason",
    moneyVnd: "moneyVnd",
    goods: "goodsDescription",
    "goods.description": "goodsDescription",
    "goods.valuationVnd": "goodsValuation",
    fundedBy: "campaignId",
    "fundedBy.campaignId": "campaignId",
    occurredAt: "date",
    unitCode: "unitCode",
  };
  return fields[path];
};
