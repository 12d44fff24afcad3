import { z } from "zod";
import {
  AssessmentRecorded,
  AssessmentRegistered,
  AssessmentRegistrationRequest,
  AssessmentResultRequest,
} from "./assessment.ts";
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

const body = (name: string, schema: z.ZodType, description: string) => ({
  [`${name}.schema.json`]: {
    $id: `urn:khuyenhoc:schema:${name}`,
    title: name,
    description,
    ...z.toJSONSchema(schema, { io: "input", target: "draft-2020-12" }),
  },
});

const event = (name: string, schema: z.ZodType, description: string) => ({
  [`${name}.v1.schema.json`]: {
    $id: `urn:khuyenhoc:schema:${name}:v1`,
    title: `${name} v1`,
    description,
    ...z.toJSONSchema(schema, { io: "output", target: "draft-2020-12" }),
  },
});

/** The JSON Schemas of the support, sponsorship and assessment bodies and events, for json-schema.ts. */
export const familySchemas = (): Record<string, unknown> => ({
  ...body("SupportGrantRequest", SupportGrantRequest, "Body of POST /v1/support: one lượt of support."),
  ...body(
    "SupportCorrectionRequest",
    SupportCorrectionRequest,
    "Body of POST /v1/support/{supportId}/corrections: what the grant should have been.",
  ),
  ...body(
    "SupportRevocationRequest",
    SupportRevocationRequest,
    "Body of POST /v1/support/{supportId}/revocations: why the grant is withdrawn.",
  ),
  ...body(
    "SponsorshipStartRequest",
    SponsorshipStartRequest,
    "Body of POST /v1/sponsorships: a teacher starts sponsoring a student.",
  ),
  ...body(
    "SponsorshipEndRequest",
    SponsorshipEndRequest,
    "Body of POST /v1/sponsorships/{sponsorshipId}/end: why and when it ended.",
  ),
  ...body(
    "AssessmentRegistrationRequest",
    AssessmentRegistrationRequest,
    "Body of POST /v1/assessments/registrations: a subject registers to be assessed for a year.",
  ),
  ...body(
    "AssessmentResultRequest",
    AssessmentResultRequest,
    "Body of POST /v1/assessments/results: a result under a named scheme version.",
  ),
  ...event(
    "SupportGranted",
    SupportGranted,
    "One lượt of support (a registered beneficiary or a collective).",
  ),
  ...event("SupportCorrected", SupportCorrected, "A compensating correction of a grant's reason or amounts."),
  ...event("SupportRevoked", SupportRevoked, "A compensating withdrawal of a grant."),
  ...event("SponsorshipStarted", SponsorshipStarted, "A teacher started sponsoring a student."),
  ...event("SponsorshipEnded", SponsorshipEnded, "A sponsorship ended."),
  ...event("AssessmentRegistered", AssessmentRegistered, "A subject registered for a year's assessment."),
  ...event("AssessmentRecorded", AssessmentRecorded, "A result under a scheme version, with recognition."),
});
