import { assessmentProjection } from "./assessment.ts";
import type { Projection } from "./contract.ts";
import { sponsorshipProjection } from "./sponsorship.ts";
import { supportProjection } from "./support.ts";

/** The support, sponsorship and assessment projections, for the registry in index.ts. */
export const familyProjections: readonly Projection[] = [
  supportProjection,
  sponsorshipProjection,
  assessmentProjection,
];
