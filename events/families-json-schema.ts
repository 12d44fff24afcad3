import {
  AssessmentRecorded,
  AssessmentRegistered,
  AssessmentRegistrationRequest,
  AssessmentResultRequest,
} from "./assessment.ts";
import { bodySchema, eventSchema } from "./schema-entry.ts";
import {
  SponsorshipEnded,
  SponsorshipEndRequest,
  SponsorshipStarted,
  SponsorshipStartRequest,
} from "./sponsorship.ts";
import {
  SupportCorrected,
  SupportCorrectionRequest,
  SupportGranted,
  SupportGrantRequest,
  SupportRevocationRequest,
  SupportRevoked,
} from "./support.ts";

/** The JSON Schemas of the support, sponsorship and assessment bodies and events, for json-schema.ts. */
export const familySchemas = (): Record<string, unknown> => ({
  ...bodySchema("SupportGrantRequest", SupportGrantRequest, "Body of POST /v1/support: one lượt of support."),
  ...bodySchema(
    "SupportCorrectionRequest",
    SupportCorrectionRequest,
    "Body of POST /v1/support/{supportId}/corrections: what the grant should have been.",
  ),
  ...bodySchema(
    "SupportRevocationRequest",
    SupportRevocationRequest,
    "Body of POST /v1/support/{supportId}/revocations: why the grant is withdrawn.",
  ),
  ...bodySchema(
    "SponsorshipStartRequest",
    SponsorshipStartRequest,
    "Body of POST /v1/sponsorships: a teacher starts sponsoring a student.",
  ),
  ...bodySchema(
    "SponsorshipEndRequest",
    SponsorshipEndRequest,
    "Body of POST /v1/sponsorships/{sponsorshipId}/end: why and when it ended.",
  ),
  ...bodySchema(
    "AssessmentRegistrationRequest",
    AssessmentRegistrationRequest,
    "Body of POST /v1/assessments/registrations: a subject registers to be assessed for a year.",
  ),
  ...bodySchema(
    "AssessmentResultRequest",
    AssessmentResultRequest,
    "Body of POST /v1/assessments/results: a result under a named scheme version.",
  ),
  ...eventSchema(
    "SupportGranted",
    SupportGranted,
    "One lượt of support (a registered beneficiary or a collective).",
  ),
  ...eventSchema(
    "SupportCorrected",
    SupportCorrected,
    "A compensating correction of a grant's reason or amounts.",
  ),
  ...eventSchema("SupportRevoked", SupportRevoked, "A compensating withdrawal of a grant."),
  ...eventSchema("SponsorshipStarted", SponsorshipStarted, "A teacher started sponsoring a student."),
  ...eventSchema("SponsorshipEnded", SponsorshipEnded, "A sponsorship ended."),
  ...eventSchema(
    "AssessmentRegistered",
    AssessmentRegistered,
    "A subject registered for a year's assessment.",
  ),
  ...eventSchema(
    "AssessmentRecorded",
    AssessmentRecorded,
    "A result under a scheme version, with recognition.",
  ),
});
