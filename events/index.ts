import { z } from "zod";
import { AssessmentRecorded, AssessmentRegistered } from "./assessment.ts";
import { BeneficiaryErased, BeneficiaryRegistered, PersonalDataAccessed } from "./beneficiary.ts";
import { CampaignClosed, CampaignDefined, CampaignUpdated } from "./campaign.ts";
import { DonationPledged } from "./donation.ts";
import {
  BankTransferReceived,
  BankTransferSent,
  CashReceived,
  GoodsReceived,
  IncomeReversed,
  TransferDismissed,
  TransferMatched,
} from "./payment.ts";
import { SponsorshipEnded, SponsorshipStarted } from "./sponsorship.ts";
import { SupportCorrected, SupportGranted, SupportRevoked } from "./support.ts";

/**
 * Every event the ledger accepts. Beneficiary-support and assessment families join this union; an
 * exhaustive switch over `type` in the projector then fails to compile until they are folded.
 */
export const DomainEvent = z.discriminatedUnion("type", [
  DonationPledged,
  BeneficiaryRegistered,
  BeneficiaryErased,
  PersonalDataAccessed,
  SupportGranted,
  SupportCorrected,
  SupportRevoked,
  SponsorshipStarted,
  SponsorshipEnded,
  AssessmentRegistered,
  AssessmentRecorded,
  CampaignDefined,
  CampaignUpdated,
  CampaignClosed,
  BankTransferReceived,
  BankTransferSent,
  TransferMatched,
  TransferDismissed,
  CashReceived,
  GoodsReceived,
  IncomeReversed,
]);
export type DomainEvent = z.infer<typeof DomainEvent>;
export type EventType = DomainEvent["type"];

export { DonationForm, DonationPledged } from "./donation.ts";
