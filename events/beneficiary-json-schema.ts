import { z } from "zod";
import {
  BeneficiaryErased,
  BeneficiaryRegistered,
  BeneficiaryRegistration,
  PersonalDataAccessed,
} from "./beneficiary.ts";

/** The JSON Schemas of the beneficiary request body and events, for events/json-schema.ts. */
export const beneficiarySchemas = (): Record<string, unknown> => ({
  "BeneficiaryRegistration.schema.json": {
    $id: "urn:khuyenhoc:schema:BeneficiaryRegistration",
    title: "BeneficiaryRegistration",
    description:
      "Body of POST /v1/beneficiaries: a beneficiary, their personal data (kept in the vault) and consents.",
    ...z.toJSONSchema(BeneficiaryRegistration, { io: "input", target: "draft-2020-12" }),
  },
  "BeneficiaryRegistered.v1.schema.json": {
    $id: "urn:khuyenhoc:schema:BeneficiaryRegistered:v1",
    title: "BeneficiaryRegistered v1",
    description: "The event the ledger holds for a registration: coded facts and an actor, no personal data.",
    ...z.toJSONSchema(BeneficiaryRegistered, { io: "output", target: "draft-2020-12" }),
  },
  "BeneficiaryErased.v1.schema.json": {
    $id: "urn:khuyenhoc:schema:BeneficiaryErased:v1",
    title: "BeneficiaryErased v1",
    description: "A person's data key and vault item were destroyed (crypto-shredding).",
    ...z.toJSONSchema(BeneficiaryErased, { io: "output", target: "draft-2020-12" }),
  },
  "PersonalDataAccessed.v1.schema.json": {
    $id: "urn:khuyenhoc:schema:PersonalDataAccessed:v1",
    title: "PersonalDataAccessed v1",
    description: "An access record: who read whose personal data, when and why.",
    ...z.toJSONSchema(PersonalDataAccessed, { io: "output", target: "draft-2020-12" }),
  },
});
