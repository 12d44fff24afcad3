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
