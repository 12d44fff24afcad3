import { campaignPledges } from "./campaign-pledges.ts";
import type { Projection } from "./contract.ts";

export type { Contribution, Projection, Target } from "./contract.ts";

/** Every projection the engine applies and `npm run rebuild` rebuilds; adding one is a line here. */
export const projections: readonly Projection[] = [campaignPledges];
