/** How staff resolve a transfer on the review list: a pledge's code, a campaign, or not a donation. */
export type ResolutionChoice = "pledge" | "campaign" | "not-a-donation";

/** What the review form holds for one transfer, as typed. */
export interface ResolutionState {
  readonly choice: ResolutionChoice;
  readonly donationCode: string;
  readonly campaignId: string;
  readonly note: string;
}

export const emptyResolution = (): ResolutionState => ({
  choice: "pledge",
  donationCode: "",
  campaignId: "",
  note: "",
});

/**
 * The body of `POST /v1/payments/{transferId}/match` for what was typed: only the chosen kind's field,
 * sent as typed (trimmed), so the server finds a code however it was written and says what is missing.
 */
export const resolutionBodyOf = (state: ResolutionState): Record<string, string> => {
  switch (state.choice) {
    case "pledge":
      return { kind: "pledge", donationCode: state.donationCode.trim() };
    case "campaign":
      return { kind: "campaign", campaignId: state.campaignId };
    case "not-a-donation":
      return { kind: "not-a-donation", note: state.note.trim() };
    default: {
      const unhandled: never = state.choice;
      return unhandled;
    }
  }
};

/** The form field an issue's path names (`donationCode`, `campaignId`, `note`), or undefined. */
export const resolutionFieldOf = (path: string): keyof ResolutionState | undefined =>
  path === "donationCode" || path === "campaignId" || path === "note" ? path : undefined;
