import { campaignPledges } from "./campaign-pledges.ts";
import type { Projection } from "./contract.ts";
import { familyProjections } from "./families.ts";
import { fundLedger } from "./fund-ledger.ts";

export type { Contribution, Projection, Target } from "./contract.ts";

/**
 * Every projection on the engine contract; adding one is a pure function, a line here and `npm run
 * rebuild`. The projector applies every entry exactly once with the claim protocol (docs/exactly-once.md),
 * and the rebuild, the chaos drill and the benchmark fold the same list.
 */
export const projections: readonly Projection[] = [campaignPledges, ...familyProjections, fundLedger];
