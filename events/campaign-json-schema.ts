import { z } from "zod";
import {
  CampaignClosed,
  CampaignCloseRequest,
  CampaignDefined,
  CampaignDefinitionRequest,
  CampaignUpdated,
  CampaignUpdateRequest,
} from "./campaign.ts";

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

/** The JSON Schemas of the campaign bodies and events, for json-schema.ts. */
export const campaignSchemas = (): Record<string, unknown> => ({
  ...body(
    "CampaignDefinitionRequest",
    CampaignDefinitionRequest,
    "Body of POST /v1/campaigns, and of each file in data/campaigns/: a campaign's definition.",
  ),
  ...body(
    "CampaignUpdateRequest",
    CampaignUpdateRequest,
    "Body of POST /v1/campaigns/{campaignId}/updates: only what changes.",
  ),
  ...body(
    "CampaignCloseRequest",
    CampaignCloseRequest,
    "Body of POST /v1/campaigns/{campaignId}/close: pledges are refused from then on.",
  ),
  ...event("CampaignDefined", CampaignDefined, "An association admin defined a campaign."),
  ...event("CampaignUpdated", CampaignUpdated, "An association admin changed a campaign."),
  ...event("CampaignClosed", CampaignClosed, "An association admin closed a campaign."),
});
