/**
 * Errors a client can act on. Each maps to one HTTP status at the single edge in
 * functions/shared/http.ts; anything else is a 500 that tells the client nothing internal.
 */
export interface Issue {
  readonly path: string;
  readonly message: string;
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
