/**
 * Key schemas of the two tables, shared by the CDK stack and the local stack so both create the same
 * tables. Both tables are on-demand; neither has a secondary index (each would add a write per item).
 */
export const ledgerKey = { partitionKey: "eventId" } as const;

/** Projection items: `pk` = `c#<campaignId>`, `sk` = `v<version>#s#<shard>` for totals, `claim#<id>` for claim records. */
export const projectionKey = { partitionKey: "pk", sortKey: "sk" } as const;
