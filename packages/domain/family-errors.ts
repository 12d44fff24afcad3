import { ClientError } from "./errors.ts";

/** A grant of neither money nor goods: a rule across two fields, which the schema does not carry. */
export class SupportAmountRequired extends ClientError {
  readonly status = 422;
  readonly code = "support_amount_required";
}

/** A teacher would sponsor more students than the configured maximum. */
export class SponsorshipLimit extends ClientError {
  readonly status = 422;
  readonly code = "sponsorship_limit";
}

/** A result under a scheme version that does not cover its year, subject kind or level. */
export class SchemeNotApplicable extends ClientError {
  readonly status = 422;
  readonly code = "scheme_not_applicable";
}

/** A correction or revocation of a grant that was already revoked: there is nothing left to amend. */
export class SupportAlreadyRevoked extends ClientError {
  readonly status = 409;
  readonly code = "support_revoked";
}

/** A sponsorship's end dated before its start. */
export class EndedBeforeStart extends ClientError {
  readonly status = 422;
  readonly code = "ended_before_start";
}
