/**
 * What `GET /v1/donations/{eventId}` tells a form of its pledge, and nothing else: no amount, no name.
 * - `counted`: this content is in the campaign totals;
 * - `queued`: this content holds the eventId in the ledger and is on its way into the totals;
 * - `rejected`: the eventId was taken by different content, which is the one counted.
 */
export type PledgeStatus =
  | { readonly status: "counted" }
  | { readonly status: "queued" }
  | { readonly status: "rejected"; readonly reason: "event_id_conflict" };

/** What the ledger holds under an eventId (see StatusReader in packages/storage/status-reader.ts). */
export interface Recorded {
  readonly contentHash: string;
  readonly counted: boolean;
}

/**
 * The status of the pledge whose content hashes to `receipt` (the value its 202 answer returned), given
 * what the ledger holds under its eventId. Undefined when the ledger holds nothing: the pledge may still
 * be on the queue or may never have been accepted, and without a write per pledge at the door the two
 * cannot be told apart, so the caller answers 404 rather than guess `queued`.
 */
export const pledgeStatusOf = (recorded: Recorded | undefined, receipt: string): PledgeStatus | undefined => {
  if (recorded === undefined) return undefined;
  if (recorded.contentHash !== receipt) return { status: "rejected", reason: "event_id_conflict" };
  return recorded.counted ? { status: "counted" } : { status: "queued" };
};
