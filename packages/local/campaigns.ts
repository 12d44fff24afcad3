import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { campaignDefinedFrom, definitionOf } from "#domain/campaign.ts";
import { CampaignExists } from "#domain/campaign-errors.ts";
import type { Clock } from "#domain/donation.ts";
import type { Principal } from "#domain/principal.ts";
import { CampaignDefinitionRequest } from "#events/campaign.ts";
import { type CampaignCommandDeps, recordDefinition } from "#functions/campaigns/commands.ts";
import type { CampaignRegistry } from "#storage/campaigns.ts";

/** Where the example campaigns live: one definition per file, in the body of `POST /v1/campaigns`. */
export const EXAMPLE_CAMPAIGNS_DIR = fileURLToPath(new URL("../../data/campaigns/", import.meta.url));

/**
 * The example campaigns, each checked against the schema the API applies and named `<id>.json`; a bad
 * file fails loudly.
 */
export const exampleCampaigns = (dir = EXAMPLE_CAMPAIGNS_DIR): CampaignDefinitionRequest[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const parsed = CampaignDefinitionRequest.safeParse(JSON.parse(readFileSync(`${dir}/${f}`, "utf8")));
      if (!parsed.success) throw new Error(`data/campaigns/${f}: ${parsed.error.message}`);
      if (f !== `${parsed.data.id}.json`)
        throw new Error(`data/campaigns/${f}: must be named ${parsed.data.id}.json`);
      return parsed.data;
    });

/** Who defines the example campaigns: the national association, as the ledger's events record. */
const SEEDER: Principal = { subject: "data/campaigns", role: "association-admin", scope: "VN" };

const systemClock: Clock = { now: () => new Date(), newId: () => crypto.randomUUID() };

/**
 * Defines the example campaigns as an admin's `POST /v1/campaigns` would: registry item, then the event
 * on the queue for the ledger. Idempotent, so every start of a stack may call it. With no store (drills
 * and benchmarks, whose ledgers hold only the events they check) only the registry items are written.
 * Returns the ids whose stored definition differs from the file: those keep what is stored.
 */
export const defineExampleCampaigns = async (
  deps: { readonly registry: CampaignRegistry; readonly store?: CampaignCommandDeps["store"] },
  definitions: readonly CampaignDefinitionRequest[] = exampleCampaigns(),
  clock: Clock = systemClock,
): Promise<string[]> => {
  const differing: string[] = [];
  for (const body of definitions) {
    const event = campaignDefinedFrom(body, SEEDER, clock);
    try {
      if (deps.store) await recordDefinition({ registry: deps.registry, store: deps.store }, event);
      else await deps.registry.define(definitionOf(event), event.source.contentHash);
    } catch (error) {
      if (!(error instanceof CampaignExists)) throw error;
      differing.push(body.id);
    }
  }
  return differing;
};
