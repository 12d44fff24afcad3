import type { DomainEvent } from "#events/index.ts";
import type { GrantFacts, Recipient } from "#events/support.ts";
import type { Contribution, Projection } from "./contract.ts";
import { monthOf, unitTargets, yearOf } from "./unit-targets.ts";

/** The beneficiary kind a lượt counts under: the person's registered kind, or the collective's kind. */
export const recipientKind = (recipient: Recipient): string =>
  recipient.type === "beneficiary" ? recipient.beneficiaryKind : recipient.kind;

/**
 * The counters one grant moves, times `sign` (+1 to add it, -1 to take it back): lượt `n`, money `m` and
 * in-kind `k` in VND, by reason (`r#<reason>#n|m|k`), by beneficiary kind (`b#<kind>#n`) and by month
 * (`mo#<MM>#n|m|k`). A fixed set of names (6 reasons, 5 kinds, 12 months), so an item stays small.
 */
export const grantCounters = (
  grant: Pick<GrantFacts, "recipient" | "reason" | "moneyVnd" | "inKindVnd" | "occurredAt">,
  sign: 1 | -1,
  instances: 0 | 1 = 1,
): Record<string, number> => {
  const month = monthOf(grant.occurredAt);
  const add: Record<string, number> = {};
  const put = (name: string, value: number) => {
    if (value !== 0) add[name] = (add[name] ?? 0) + sign * value;
  };
  put("n", instances);
  put("m", grant.moneyVnd);
  put("k", grant.inKindVnd);
  put(`r#${grant.reason}#n`, 1);
  put(`r#${grant.reason}#m`, grant.moneyVnd);
  put(`r#${grant.reason}#k`, grant.inKindVnd);
  put(`b#${recipientKind(grant.recipient)}#n`, instances);
  put(`mo#${month}#n`, instances);
  put(`mo#${month}#m`, grant.moneyVnd);
  put(`mo#${month}#k`, grant.inKindVnd);
  return add;
};

/** Adds two counter sets, dropping names that cancel out. */
const plus = (a: Record<string, number>, b: Record<string, number>): Record<string, number> => {
  const sum: Record<string, number> = { ...a };
  for (const [name, value] of Object.entries(b)) {
    const total = (sum[name] ?? 0) + value;
    if (total === 0) delete sum[name];
    else sum[name] = total;
  }
  return sum;
};

/** The partition suffix of support figures: one partition per unit and year. */
const supportPartitions = (grant: GrantFacts) =>
  unitTargets("sup", grant.unitCode, grant.occurredAt, `#${yearOf(grant.occurredAt)}`);

/**
 * Support per unit and year, in the units of the time and today's. A grant to a registered beneficiary also
 * counts the person once per unit and year (`p`, via `firsts`). A correction moves the counters by the
 * difference between what was recorded and what should have been, in the original's unit, year and month;
 * a revocation takes the lượt back. Neither takes a person back: `p` counts people ever supported that year
 * (an exactly-once "last time seen" would need a per-person count, see docs/assessments.md#support).
 */
export const supportContributions = (event: DomainEvent): readonly Contribution[] => {
  switch (event.type) {
    case "SupportGranted": {
      const grant: GrantFacts = { ...event.data, occurredAt: event.occurredAt, unitCode: event.unitCode };
      const add = grantCounters(grant, 1);
      // One member row per person and year (storage keeps one row per member): rows stay small.
      const person =
        grant.recipient.type === "beneficiary"
          ? `${grant.recipient.beneficiaryId}@${yearOf(grant.occurredAt)}`
          : undefined;
      return supportPartitions(grant).map(({ partition, item, set }) => ({
        target: { partition, item },
        add,
        ...(person === undefined ? {} : { firsts: [{ set, member: person, counter: "p" }] }),
      }));
    }
    case "SupportCorrected": {
      const { original, corrected } = event.data;
      const add = plus(grantCounters(original, -1, 0), grantCounters({ ...original, ...corrected }, 1, 0));
      if (Object.keys(add).length === 0) return [];
      return supportPartitions(original).map(({ partition, item }) => ({ target: { partition, item }, add }));
    }
    case "SupportRevoked": {
      const add = grantCounters(event.data.original, -1);
      return supportPartitions(event.data.original).map(({ partition, item }) => ({
        target: { partition, item },
        add,
      }));
    }
    case "DonationPledged":
    case "BeneficiaryRegistered":
    case "BeneficiaryErased":
    case "PersonalDataAccessed":
    case "SponsorshipStarted":
    case "SponsorshipEnded":
    case "AssessmentRegistered":
    case "AssessmentRecorded":
    case "CampaignDefined":
    case "CampaignUpdated":
    case "CampaignClosed":
    case "BankTransferReceived":
    case "BankTransferSent":
    case "TransferMatched":
    case "TransferDismissed":
    case "CashReceived":
    case "GoodsReceived":
    case "IncomeReversed":
      return [];
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
};

export const supportProjection: Projection = {
  name: "support",
  eventTypes: ["SupportGranted", "SupportCorrected", "SupportRevoked"],
  contributions: supportContributions,
};
