import { ClientError } from "./errors.ts";

/** A grant from a restricted purpose beyond what it received and has not yet committed to other grants. */
export class InsufficientRestrictedFunds extends ClientError {
  readonly status = 422;
  readonly code = "insufficient_restricted_funds";
}

/** The event named is not income a fund counted (an unmatched transfer, a pledge, a grant). */
export class NotIncome extends ClientError {
  readonly status = 422;
  readonly code = "not_income";
}

/** Income is reversed at most once: another reversal of the same event, with other content. */
export class IncomeAlreadyReversed extends ClientError {
  readonly status = 409;
  readonly code = "income_reversed";
}
