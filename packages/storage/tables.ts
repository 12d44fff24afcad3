/**
 * Key schemas of the tables, shared by the CDK stack and the local stack so both create the same tables.
 * All are on-demand. The only secondary index is the ledger's sparse audit index (below): donations carry
 * none of its keys, so they cost no index write.
 */
export const ledgerKey = { partitionKey: "eventId" } as const;

/** Projection items: `pk` = `c#<campaignId>`, `sk` = `v<version>#s#<shard>` for totals, `claim#<id>` for claim records. */
export const projectionKey = { partitionKey: "pk", sortKey: "sk" } as const;

/** Vault items (ciphertext or an erasure tombstone) and wrapped per-person keys: both keyed by beneficiaryId. */
export const vaultKey = { partitionKey: "beneficiaryId" } as const;

/**
 * The ledger's audit index: staff events (those with an actor) by unit and recording time, so the
 * audit trail pages by unit without a scan. Sparse: donations carry no `auditUnit` and cost no index write.
 */
export const auditIndex = { name: "byUnitAndTime", partitionKey: "auditUnit", sortKey: "auditAt" } as const;
