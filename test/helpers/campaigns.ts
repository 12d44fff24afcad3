import { randomUUID } from "node:crypto";
import type { CampaignDefinition, CampaignDefinitionRequest } from "#events/campaign.ts";
import type { LocalStack } from "#local/stack.ts";
import { mintToken } from "#local/token-issuer.ts";
import type { CampaignReader } from "#storage/campaigns.ts";

/** A valid campaign definition, open nationwide through 2026; override what the test is about. */
export const aCampaignDefinition = (
  overrides: Partial<CampaignDefinitionRequest> = {},
): CampaignDefinitionRequest => ({
  id: `test-${randomUUID().slice(0, 8)}`,
  name: { vi: "Chiến dịch thử nghiệm", en: "Test campaign" },
  kind: "other",
  window: { from: "2026-01-01", to: "2026-12-31" },
  goals: { moneyVnd: 10_000_000, luot: 4 },
  units: ["VN"],
  ...overrides,
});

/** A registry in which every campaign asked for is defined and open: for tests about something else. */
export const everyCampaignOpen: CampaignReader = {
  read: async (campaignId) => ({
    definition: { goals: {}, ...aCampaignDefinition({ id: campaignId }) } as CampaignDefinition,
  }),
};

/** A national association admin's bearer header for the local stack's token issuer. */
export const adminBearer = (stack: LocalStack, unit = "VN") => ({
  authorization: `Bearer ${mintToken(stack.auth.signingKey, { subject: "campaign-admin", role: "association-admin", unit, name: "Quản trị" })}`,
});

/** POST /v1/campaigns on the local stack as a national admin; the answer's status and body. */
export const postCampaign = async (stack: LocalStack, path: string, body: unknown, unit = "VN") => {
  const response = await fetch(`${stack.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...adminBearer(stack, unit) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

/** Defines a campaign on the local stack (a test's setup); throws unless it is accepted. */
export const defineCampaign = async (
  stack: LocalStack,
  overrides: Partial<CampaignDefinitionRequest> = {},
): Promise<CampaignDefinitionRequest> => {
  const definition = aCampaignDefinition(overrides);
  const answer = await postCampaign(stack, "/v1/campaigns", definition);
  if (answer.status !== 202) throw new Error(`defining ${definition.id}: ${JSON.stringify(answer)}`);
  return definition;
};
