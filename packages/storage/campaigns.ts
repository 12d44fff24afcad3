import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { CampaignState } from "#domain/campaign.ts";
import { CampaignDefinition } from "#events/campaign.ts";
import type { Clients } from "./clients.ts";
import { conditional } from "./conditional.ts";
import type { Config } from "./config.ts";

/**
 * The campaign registry: each campaign's definition as it stands now, ONE item per campaign, written when
 * an admin's command arrives and read by the pledge door with one strongly consistent GetItem
 * (docs/campaigns.md). The ledger keeps the events; this item is what the door decides on, since a
 * projection reached through the queue would let a pledge in after its campaign closed.
 *
 * Item (projection table): `pk` = `campaign#<id>`, `sk` = `registry`; `definition` (JSON text),
 * `definedHash` (content hash of the definition it was created with), `revision` (1, then one more per
 * change), `closedAt` once closed, and `e#<eventId>` = content hash for every update applied. Its keys
 * share no prefix with projection items (`v<n>#…`), claim records or member rows.
 */
export interface CampaignRecord extends CampaignState {
  readonly revision: number;
  readonly definedHash: string;
  /** The updates applied, by eventId: the content hash of each. */
  readonly applied: ReadonlyMap<string, string>;
}

export type DefineResult =
  | { readonly result: "defined" }
  /** The id was taken already (perhaps by an earlier attempt of this very call): the record as it is. */
  | { readonly result: "exists"; readonly record: CampaignRecord };

/** What the pledge door and the campaign query need: a campaign as it stands, or undefined. */
export interface CampaignReader {
  read(campaignId: string): Promise<CampaignState | undefined>;
}

export interface CampaignRegistry extends CampaignReader {
  /** The campaign as it stands, read strongly consistent; undefined when it was never defined. */
  read(campaignId: string): Promise<CampaignRecord | undefined>;
  /** Creates the campaign's item unless its id is taken. */
  define(definition: CampaignDefinition, hash: string): Promise<DefineResult>;
  /**
   * Replaces the definition if the item is still at `revision` and open, noting the update's eventId;
   * false when it is not (changed meanwhile, closed, or this very update landed already: read again).
   */
  update(next: CampaignDefinition, revision: number, eventId: string, hash: string): Promise<boolean>;
  /** Marks the campaign closed at `closedAt`; false when it is missing or was closed already. */
  close(campaignId: string, closedAt: string): Promise<boolean>;
}

export const registryKey = (campaignId: string) => ({ pk: `campaign#${campaignId}`, sk: "registry" });

const APPLIED = "e#";

/** The item as a record; an item this module did not write is an error, never a campaign. */
const recordOf = (item: Record<string, unknown>): CampaignRecord => {
  const applied = new Map<string, string>();
  for (const [name, value] of Object.entries(item))
    if (name.startsWith(APPLIED) && typeof value === "string") applied.set(name.slice(APPLIED.length), value);
  return {
    definition: CampaignDefinition.parse(JSON.parse(String(item.definition))),
    ...(typeof item.closedAt === "string" ? { closedAt: item.closedAt } : {}),
    revision: Number(item.revision),
    definedHash: String(item.definedHash),
    applied,
  };
};

/** The registry on the projection table (config.projectionTable). */
export const createCampaignRegistry = (
  config: Pick<Config, "projectionTable">,
  { ddb }: Pick<Clients, "ddb">,
): CampaignRegistry => {
  const TableName = config.projectionTable;
  const read = async (campaignId: string) => {
    const { Item } = await ddb.send(
      new GetCommand({ TableName, Key: registryKey(campaignId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : recordOf(Item);
  };
  return {
    read,
    async define(definition, hash) {
      const done = await conditional(() =>
        ddb.send(
          new PutCommand({
            TableName,
            Item: {
              ...registryKey(definition.id),
              definition: JSON.stringify(definition),
              definedHash: hash,
              revision: 1,
            },
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        ),
      );
      if (done) return { result: "defined" };
      // Refused: the item exists. When the SDK retried a put whose answer was lost, it is this call's own.
      const record = await read(definition.id);
      if (record === undefined) throw new Error(`campaign ${definition.id}: refused, then not found`);
      return { result: "exists", record };
    },
    update: (next, revision, eventId, hash) =>
      conditional(() =>
        ddb.send(
          new UpdateCommand({
            TableName,
            Key: registryKey(next.id),
            UpdateExpression: "SET #definition = :definition, #revision = :next, #applied = :hash",
            ConditionExpression: "#revision = :revision AND attribute_not_exists(#closedAt)",
            ExpressionAttributeNames: {
              "#definition": "definition",
              "#revision": "revision",
              "#applied": `${APPLIED}${eventId}`,
              "#closedAt": "closedAt",
            },
            ExpressionAttributeValues: {
              ":definition": JSON.stringify(next),
              ":revision": revision,
              ":next": revision + 1,
              ":hash": hash,
            },
          }),
        ),
      ),
    close: (campaignId, closedAt) =>
      conditional(() =>
        ddb.send(
          new UpdateCommand({
            TableName,
            Key: registryKey(campaignId),
            UpdateExpression: "SET #closedAt = :closedAt ADD #revision :one",
            ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(#closedAt)",
            ExpressionAttributeNames: { "#closedAt": "closedAt", "#revision": "revision" },
            ExpressionAttributeValues: { ":closedAt": closedAt, ":one": 1 },
          }),
        ),
      ),
  };
};
