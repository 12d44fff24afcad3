import type { Issue } from "#domain/errors.ts";

/** What the donation form learns from one pledge, after any retries. */
export type SubmitOutcome =
  | {
      readonly kind: "accepted";
      readonly eventId: string;
      readonly receipt: string;
      /** Added by the payments work: the code to write on a bank transfer, and its VietQR payload. */
      readonly donationCode?: string;
      readonly vietQr?: string;
    }
  | { readonly kind: "invalid"; readonly issues: readonly Issue[] }
  | {
      readonly kind: "refused";
      readonly status: number;
      readonly error: string;
      readonly message: string;
      /** A 422's issues (`unit_not_covered` names `unitCode`), so the form says them beside their fields. */
      readonly issues: readonly Issue[];
    }
  | { readonly kind: "unreachable" };

export interface SubmitDeps {
  readonly fetch: typeof fetch;
  readonly sleep: (ms: number) => Promise<void>;
  /** Tries in all, the first included; the eventId makes each retry safe. */
  readonly tries?: number;
}

/** Seconds to wait on a 503 that names none, and between tries after a network error. */
const DEFAULT_WAIT_SECONDS = 2;

const waitOf = (response: Response): number => {
  const seconds = Number(response.headers.get("retry-after"));
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 30) : DEFAULT_WAIT_SECONDS;
};

/**
 * Posts a pledge, sending the very same body (its `eventId` included) again after a network error or a
 * 503 busy, so a pledge is counted once however often it is sent. Other answers are final.
 */
export const submitDonation = async (
  apiUrl: string,
  body: { eventId: string },
  deps: SubmitDeps,
): Promise<SubmitOutcome> => {
  const text = JSON.stringify(body);
  const tries = deps.tries ?? 3;
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await deps.fetch(new URL("v1/donations", apiUrl), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: text,
      });
    } catch {
      if (attempt >= tries) return { kind: "unreachable" } satisfies SubmitOutcome;
      await deps.sleep(DEFAULT_WAIT_SECONDS * 1000);
      continue;
    }
    if (response.status === 503 && attempt < tries) {
      await deps.sleep(waitOf(response) * 1000);
      continue;
    }
    return outcomeOf(response);
  }
};

const outcomeOf = async (response: Response): Promise<SubmitOutcome> => {
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.status === 202) {
    return {
      kind: "accepted",
      eventId: String(answer.eventId),
      receipt: String(answer.receipt),
      ...(typeof answer.donationCode === "string" ? { donationCode: answer.donationCode } : {}),
      ...(typeof answer.vietQr === "string" ? { vietQr: answer.vietQr } : {}),
    };
  }
  if (response.status === 400 && Array.isArray(answer.issues)) {
    return { kind: "invalid", issues: answer.issues as Issue[] };
  }
  return {
    kind: "refused",
    status: response.status,
    error: String(answer.error ?? "unknown"),
    message: String(answer.message ?? ""),
    issues: Array.isArray(answer.issues) ? (answer.issues as Issue[]) : [],
  };
};
