import {
  CampaignClosed,
  CampaignCloseRequest,
  CampaignDefined,
  CampaignDefinitionRequest,
  CampaignUpdated,
  CampaignUpdateRequest,
} from "./campaign.ts";
import { bodySchema, eventSchema } from "./schema-entry.ts";

/** The JSON Schemas of the campaign bodies and events, for json-schema.ts. */
export const campaignSchemas = (): Record<string, unknown> => ({
  ...bodySchema(
    "CampaignDefinitionRequest",
    CampaignDefinitionRequest,
    "Body of POST /v1/campaigns, and of each file in data/campaigns/: a campaign's definition.",
  ),
  ...bodySchema(
    "CampaignUpdateRequest",
    CampaignUpdateRequest,
    "Body of POST /v1/campaigns/{campaignId}/updates: only what changes.",
  ),
  ...bodySchema(
    "CampaignCloseRequest",
    CampaignCloseRequest,
    "Body of POST /v1/campaigns/{campaignId}/close: pledges are refused from then on.",
  ),
  ...eventSchema("CampaignDefined", CampaignDefined, "An association admin defined a campaign."),
  ...eventSchema("CampaignUpdated", CampaignUpdated, "An association admin changed a campaign."),
  ...eventSchema("CampaignClosed", CampaignClosed, "An association admin closed a campaign."),
});
