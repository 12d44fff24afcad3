/**
 * Errors a client can act on. Each maps to one HTTP status at the single edge in
 * functions/shared/http.ts; anything else is a 500 that tells the client nothing internal.
 */
export interface Issue {
  readonly path: string;
  readonly message: string;
  /** A stable, language-free kind (e.g. `required`, `too_long`, `blank`) a form translates for its reader. */
  readonly code?: string;
}

export abstract class ClientError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  readonly issues: readonly Issue[];
  /** Extra response headers the status calls for (e.g. `WWW-Authenticate` on a 401). */
  readonly headers: Readonly<Record<string, string>> = {};
  constructor(message: string, issues: readonly Issue[] = []) {
    super(message);
    this.issues = issues;
  }
}

export class ValidationFailed extends ClientError {
  readonly status = 400;
  readonly code = "validation_failed";
}

/** Valid by the contract, but not true of the world yet: a pledge dated ahead of the server's clock. */
export class OccurredAtInFuture extends ClientError {
  readonly status = 422;
  readonly code = "occurred_at_in_future";
}

/**
 * Valid by the contract, but the consents it carries do not cover the person on that date (a guardian's
 * for a minor, the child's own from age 7, given between birth and the registration). These rules read
 * several fields and the person's age on the day, which no JSON Schema can carry: so 422, not 400.
 */
export class ConsentRequired extends ClientError {
  readonly status = 422;
  readonly code = "consent_required";
}

export class MalformedJson extends ClientError {
  readonly status = 400;
  readonly code = "malformed_json";
}

export class UnsupportedMediaType extends ClientError {
  readonly status = 415;
  readonly code = "unsupported_media_type";
}

export class PayloadTooLarge extends ClientError {
  readonly status = 413;
  readonly code = "payload_too_large";
}

export class EventIdConflict extends ClientError {
  readonly status = 409;
  readonly code = "event_id_conflict";
}

export class NotFound extends ClientError {
  readonly status = 404;
  readonly code = "not_found";
}

/**
 * AWS kept refusing for lack of capacity even after the SDK's own retries. Nothing was queued for this
 * request, or it was and a retry with the same eventId is counted once: the client should retry later.
 */
export class Busy extends ClientError {
  readonly status = 503;
  readonly code = "busy";
  /** How long a client should wait before retrying, for the `Retry-After` header. */
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * A bank-transfer notification that does not prove it comes from the notifier: unsigned, wrongly signed,
 * or signed too long ago. One code for all, so a caller learns nothing of which.
 */
export class InvalidSignature extends ClientError {
  readonly status = 401;
  readonly code = "invalid_signature";
  constructor() {
    super("a valid, current signature is required");
  }
}
