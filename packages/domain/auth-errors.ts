import { ClientError } from "./errors.ts";

/**
 * Any token that does not prove who is calling: missing, malformed, expired, not yet valid, from another
 * issuer or audience, unsigned or wrongly signed. One code for all, so a caller learns nothing of why.
 */
export class InvalidToken extends ClientError {
  readonly status = 401;
  readonly code = "invalid_token";
  override readonly headers = { "www-authenticate": 'Bearer realm="khuyenhoc", error="invalid_token"' };
  constructor() {
    super("a valid bearer token is required");
  }
}

/** The caller's role may not take this action anywhere. */
export class ForbiddenRole extends ClientError {
  readonly status = 403;
  readonly code = "forbidden_role";
  constructor() {
    super("your role may not do this");
  }
}

/** The caller's role may take this action, but not on this unit. */
export class ForbiddenScope extends ClientError {
  readonly status = 403;
  readonly code = "forbidden_scope";
  constructor() {
    super("this unit is outside your scope");
  }
}

/** The person's data was erased: the key that could read it no longer exists. */
export class PersonalDataErased extends ClientError {
  readonly status = 410;
  readonly code = "personal_data_erased";
  constructor() {
    super("this person's personal data has been erased");
  }
}

/** A beneficiaryId already registered with other content: a client reused an id it should not have. */
export class BeneficiaryIdConflict extends ClientError {
  readonly status = 409;
  readonly code = "beneficiary_id_conflict";
}

/** The person did not consent to their data being used for this purpose. */
export class PurposeNotConsented extends ClientError {
  readonly status = 403;
  readonly code = "purpose_not_consented";
  constructor() {
    super("the consents on record do not cover this purpose");
  }
}
