import { campaignPledges } from "./campaign-pledges.ts";
import type { Projection } from "./contract.ts";
import { familyProjections } from "./families.ts";
import { fundLedger } from "./fund-ledger.ts";

export type { Contribution, Projection, Target } from "./contract.ts";

/**
 * Every projection on the engine contract; adding one is a pure function and a line here. The projector
 * does not read this list yet: it still applies campaign pledges through its original layout, and the
 * engine that applies every entry with the claim protocol is designed in docs/exactly-once.md ("Any
 * registered projection"), not built.
 */
export const projections: readonly Projection[] = [campaignPledges, ...familyProjections, fundLedger];
