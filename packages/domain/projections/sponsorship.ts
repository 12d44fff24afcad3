import type { DomainEvent } from "#events/index.ts";
import type { Contribution, Projection } from "./contract.ts";
import { unitTargets, yearOf } from "./unit-targets.ts";

/**
 * Sponsorships per unit (all years in one partition, one item): started `s` and ended `e` (active is their
 * difference), by year (`y#<YYYY>#s|e`, two names a year), and distinct teachers `tp` and students `sp` who
 * ever took part. Started and ended are read in the unit the start and end name (the same unit).
 */
export const sponsorshipContributions = (event: DomainEvent): readonly Contribution[] => {
  switch (event.type) {
    case "SponsorshipStarted": {
      const year = yearOf(event.occurredAt);
      return unitTargets("spo", event.unitCode, event.occurredAt, "").map(({ partition, item, set }) => ({
        target: { partition, item },
        add: { s: 1, [`y#${year}#s`]: 1 },
        firsts: [
          { set: `${set}#t`, member: event.data.teacherId, counter: "tp" },
          { set: `${set}#s`, member: event.data.studentId, counter: "sp" },
        ],
      }));
    }
    case "SponsorshipEnded": {
      const year = yearOf(event.occurredAt);
      return unitTargets("spo", event.unitCode, event.occurredAt, "").map(({ partition, item }) => ({
        target: { partition, item },
        add: { e: 1, [`y#${year}#e`]: 1 },
      }));
    }
    case "DonationPledged":
    case "BeneficiaryRegistered":
    case "BeneficiaryErased":
    case "PersonalDataAccessed":
    case "SupportGranted":
    case "SupportCorrected":
    case "SupportRevoked":
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

export const sponsorshipProjection: Projection = {
  name: "sponsorships",
  eventTypes: ["SponsorshipStarted", "SponsorshipEnded"],
  contributions: sponsorshipContributions,
};
