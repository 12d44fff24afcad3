import { type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { ValidationFailed } from "#domain/errors.ts";
import { eventOfLedgerItem } from "./store.ts";
import { auditIndex } from "./tables.ts";

export interface AuditPage {
  /** The staff events of the unit in the window, oldest first, as the ledger holds them. */
  readonly events: readonly unknown[];
  /** Pass back as `cursor` for the next page; absent on the last one. */
  readonly next?: string;
}

export interface AuditQuery {
  readonly unitCode: string;
  /** Inclusive bounds, in the index's form (`toVietnamIso`). */
  readonly from: string;
  readonly to: string;
  readonly limit: number;
  readonly cursor?: string;
}

const encodeCursor = (key: Record<string, unknown>): string =>
  Buffer.from(JSON.stringify(key), "utf8").toString("base64url");

/**
 * A cursor is only ever one we issued for this unit and window; anything else is the caller's mistake.
 * DynamoDB refuses a start key with an empty key value or outside the query's range, so those are a 400 here
 * rather than a failed Query.
 */
const decodeCursor = (cursor: string, query: AuditQuery): Record<string, string> => {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      typeof key === "object" &&
      key !== null &&
      Object.keys(key).length === 3 &&
      "eventId" in key &&
      typeof key.eventId === "string" &&
      key.eventId !== "" &&
      "auditAt" in key &&
      typeof key.auditAt === "string" &&
      key.auditAt >= query.from &&
      key.auditAt <= query.to &&
      "auditUnit" in key &&
      key.auditUnit === query.unitCode
    ) {
      return { eventId: key.eventId, auditAt: key.auditAt, auditUnit: query.unitCode };
    }
  } catch {
    // reported below
  }
  throw new ValidationFailed("the cursor is not valid", [
    { path: "cursor", message: "must be a cursor from a previous page of this unit and window" },
  ]);
};

/** Pages through the ledger's audit index: one Query per page, never a scan. */
export const readAuditPage = async (
  ddb: DynamoDBDocumentClient,
  ledgerTable: string,
  query: AuditQuery,
): Promise<AuditPage> => {
  const out = await ddb.send(
    new QueryCommand({
      TableName: ledgerTable,
      IndexName: auditIndex.name,
      KeyConditionExpression: "#unit = :unit AND #at BETWEEN :from AND :to",
      ExpressionAttributeNames: { "#unit": auditIndex.partitionKey, "#at": auditIndex.sortKey },
      ExpressionAttributeValues: { ":unit": query.unitCode, ":from": query.from, ":to": query.to },
      Limit: query.limit,
      ...(query.cursor === undefined ? {} : { ExclusiveStartKey: decodeCursor(query.cursor, query) }),
    }),
  );
  const events = (out.Items ?? []).map(eventOfLedgerItem);
  return {
    events,
    ...(out.LastEvaluatedKey === undefined ? {} : { next: encodeCursor(out.LastEvaluatedKey) }),
  };
};
