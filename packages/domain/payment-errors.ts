import { ClientError } from "./errors.ts";

/** No transfer waiting for review has this id. */
export class TransferNotFound extends ClientError {
  readonly status = 404;
  readonly code = "transfer_not_found";
}

/** The transfer is not on the review list: it was matched when it arrived, or resolved otherwise before. */
export class TransferAlreadyResolved extends ClientError {
  readonly status = 409;
  readonly code = "transfer_already_resolved";
}

/** The donation code staff named is not one the pledge door issued. */
export class DonationCodeNotFound extends ClientError {
  readonly status = 422;
  readonly code = "donation_code_not_found";
  constructor(text: string) {
    super(`no pledge has the donation code ${text}`, [
      { path: "donationCode", message: "names no pledge", code: "donation_code_not_found" },
    ]);
  }
}
