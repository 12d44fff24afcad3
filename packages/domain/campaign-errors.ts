import { ClientError } from "./errors.ts";

/** No campaign has this id: a pledge or a command named one that was never defined. */
export class CampaignNotFound extends ClientError {
  readonly status = 404;
  readonly code = "campaign_not_found";
  constructor(campaignId: string) {
    super(`no campaign has the id ${campaignId}`, [
      { path: "campaignId", message: `no campaign has the id ${campaignId}`, code: "campaign_not_found" },
    ]);
  }
}

/** The campaign takes no pledges: its window has not begun, has passed, or it was closed. */
export class CampaignClosed extends ClientError {
  readonly status = 422;
  readonly code = "campaign_closed";
}

/** The pledge's unit does not roll up into any unit the campaign covers. */
export class UnitNotCovered extends ClientError {
  readonly status = 422;
  readonly code = "unit_not_covered";
}

/** A window whose first day is after its last: a rule across two fields, which no schema carries. */
export class CampaignWindowReversed extends ClientError {
  readonly status = 422;
  readonly code = "campaign_window_reversed";
}

/** A campaign id already defined with other content: defining is not updating. */
export class CampaignExists extends ClientError {
  readonly status = 409;
  readonly code = "campaign_exists";
}
