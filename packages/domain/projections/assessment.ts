import type { SubjectKind } from "#events/assessment.ts";
import type { DomainEvent } from "#events/index.ts";
import type { Contribution, Projection } from "./contract.ts";
import { unitTargets } from "./unit-targets.ts";

/** Short counter prefixes for subject kinds: counter names are attribute names, billed by the byte. */
export const KIND_PREFIX: Readonly<Record<SubjectKind, string>> = {
  "learning-family": "fam",
  "learning-clan": "clan",
  "learning-community": "com",
  "learning-unit": "unit",
  "commune-learning-community": "clc",
};

/**
 * Assessments per unit and assessment year: per subject kind, subjects registered (`<kind>#r`), assessed
 * (`<kind>#a`) and recognised (`<kind>#ok`), each subject once. A registration is one event per subject and
 * year (its eventId derives from both, so the ledger refuses a second), so it simply adds; a subject may be
 * assessed more than once in a year (another level, another scheme version), so assessed and recognised
 * are distinct counts (`firsts`): one assessed subject, recognised if any of its results recognised it.
 * Results keep the recognition their scheme version gave them, so changing a scheme never moves these
 * counters.
 */
export const assessmentContributions = (event: DomainEvent): readonly Contribution[] => {
  switch (event.type) {
    case "AssessmentRegistered": {
      const { subject, year } = event.data;
      return unitTargets("asm", event.unitCode, event.occurredAt, `#${year}`).map(({ partition, item }) => ({
        target: { partition, item },
        add: { [`${KIND_PREFIX[subject.kind]}#r`]: 1 },
      }));
    }
    case "AssessmentRecorded": {
      const { subject, year } = event.data;
      const kind = KIND_PREFIX[subject.kind];
      const counters = event.data.recognised ? [`${kind}#a`, `${kind}#ok`] : [`${kind}#a`];
      return unitTargets("asm", event.unitCode, event.occurredAt, `#${year}`).map(
        ({ partition, item, set }) => ({
          target: { partition, item },
          add: {},
          firsts: counters.map((counter) => ({
            set: `${set}#${counter}`,
            // One member row per subject and year (storage keeps one row per member): rows stay small.
            member: `${subject.subjectId}@${year}`,
            counter,
          })),
        }),
      );
    }
    case "DonationPledged":
    case "BeneficiaryRegistered":
    case "BeneficiaryErased":
    case "PersonalDataAccessed":
    case "SupportGranted":
    case "SupportCorrected":
    case "SupportRevoked":
    case "SponsorshipStarted":
    case "SponsorshipEnded":
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

export const assessmentProjection: Projection = {
  name: "assessments",
  eventTypes: ["AssessmentRegistered", "AssessmentRecorded"],
  contributions: assessmentContributions,
};
