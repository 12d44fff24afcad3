import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { DEFAULT_MAX_SPONSORED_PER_TEACHER } from "#domain/family-commands.ts";
import type { Clients } from "./clients.ts";
import { type Config, ConfigError } from "./config.ts";

/** The setting that bounds how many students one teacher sponsors at a time. */
export const SPONSORSHIP_ENV = { maxPerTeacher: "SPONSORSHIP_MAX_PER_TEACHER" } as const;

/** The maximum unless configured: "each teacher sponsors 1–2 students". */
export const DEFAULT_SPONSORSHIP_MAX = DEFAULT_MAX_SPONSORED_PER_TEACHER;

/** Reads SPONSORSHIP_MAX_PER_TEACHER once at cold start; a value that is not a whole number ≥ 1 fails it. */
export const sponsorshipMaxFrom = (env: NodeJS.ProcessEnv = process.env): number => {
  const raw = env[SPONSORSHIP_ENV.maxPerTeacher];
  if (raw === undefined || raw === "") return DEFAULT_SPONSORSHIP_MAX;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1)
    throw new ConfigError(`${SPONSORSHIP_ENV.maxPerTeacher} must be a whole number of at least 1`);
  return value;
};

/** The teacher's item in the projection table: outside every projection's key space (`v<n>#…`, `claim#…`). */
const slotKey = (teacherId: string) => ({ pk: `spon#${teacherId}`, sk: "active" });

/** `taken`: the sponsorship holds one of the teacher's places (now or already); `full`: every place is held. */
export type TakeResult =
  | { readonly outcome: "taken" }
  | { readonly outcome: "full"; readonly active: number };

/**
 * The per-teacher places of sponsorship, decided at the door: a string set of the active sponsorship ids
 * on one item per teacher. Command-side state, not a projection: a rebuild neither reads nor writes it.
 */
export interface SponsorshipSlots {
  readonly max: number;
  /** Takes a place for `sponsorshipId`; idempotent, so a retried start counts once. */
  take(teacherId: string, sponsorshipId: string): Promise<TakeResult>;
  /** Gives the place back; idempotent (removing an absent member changes nothing). */
  release(teacherId: string, sponsorshipId: string): Promise<void>;
  /** The active sponsorship ids, strongly consistent. */
  active(teacherId: string): Promise<ReadonlySet<string>>;
}

/**
 * One conditional UpdateItem per start: add the id if the set is absent, has room, or already holds it.
 * The last clause makes a repeat (a client's retry, or the SDK re-sending a request whose answer was lost)
 * succeed without counting twice, so a refusal always means full. Any other failure may have done its
 * work: the set is read back, strongly consistent, before deciding.
 */
export const createSponsorshipSlots = (
  config: Config,
  { ddb }: Pick<Clients, "ddb">,
  max: number = DEFAULT_SPONSORSHIP_MAX,
): SponsorshipSlots => {
  const active = async (teacherId: string): Promise<ReadonlySet<string>> => {
    const { Item } = await ddb.send(
      new GetCommand({
        TableName: config.projectionTable,
        Key: slotKey(teacherId),
        ProjectionExpression: "ids",
        ConsistentRead: true,
      }),
    );
    return Item?.ids instanceof Set ? (Item.ids as Set<string>) : new Set();
  };
  return {
    max,
    active,
    async take(teacherId, sponsorshipId) {
      try {
        await ddb.send(
          new UpdateCommand({
            TableName: config.projectionTable,
            Key: slotKey(teacherId),
            UpdateExpression: "ADD ids :sid",
            ConditionExpression: "attribute_not_exists(ids) OR size(ids) < :max OR contains(ids, :id)",
            ExpressionAttributeValues: {
              ":sid": new Set([sponsorshipId]),
              ":id": sponsorshipId,
              ":max": max,
            },
          }),
        );
        return { outcome: "taken" };
      } catch (error) {
        const ids = await active(teacherId).catch(() => undefined);
        if (ids?.has(sponsorshipId)) return { outcome: "taken" };
        if (error instanceof ConditionalCheckFailedException)
          return { outcome: "full", active: ids?.size ?? max };
        throw error;
      }
    },
    async release(teacherId, sponsorshipId) {
      await ddb.send(
        new UpdateCommand({
          TableName: config.projectionTable,
          Key: slotKey(teacherId),
          UpdateExpression: "DELETE ids :sid",
          ExpressionAttributeValues: { ":sid": new Set([sponsorshipId]) },
        }),
      );
    },
  };
};
