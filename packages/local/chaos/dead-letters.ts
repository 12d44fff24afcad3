import type { DonationForm } from "#events/donation.ts";
import { EXHAUSTED_RETRIES } from "../redrive.ts";
import { eventOf } from "./workload.ts";

/** What is on the dead-letter queue: poison, as it should be, and no accepted event. */

const reasonKind = (reason: string): string => {
  if (reason === EXHAUSTED_RETRIES) return reason;
  if (reason.startsWith("malformed: body is not JSON")) return "malformed: not JSON";
  if (reason.startsWith("malformed:")) return "malformed: not a valid event";
  if (reason.startsWith("conflict:")) return "conflict: eventId reused with other content";
  return reason;
};

/**
 * Dead letters by reason kind; the accepted events among them (their own content: not counted), with why;
 * and how many poison messages (body → the reason prefix it must carry) are there with the right reason.
 */
export const deadLetterFindings = (
  deadLetters: readonly { readonly body: string; readonly reason: string }[],
  accepted: ReadonlyMap<string, DonationForm>,
  poisonBodies: ReadonlyMap<string, string>,
) => {
  const reasons: Record<string, number> = {};
  for (const d of deadLetters) {
    const kind = reasonKind(d.reason);
    reasons[kind] = (reasons[kind] ?? 0) + 1;
  }
  const acceptedHashes = new Map(
    [...accepted.values()].map((f) => [f.eventId ?? "", eventOf(f).source.contentHash]),
  );
  const acceptedDeadLettered: string[] = [];
  for (const d of deadLetters) {
    let event: { eventId?: unknown; source?: { contentHash?: unknown } } | undefined;
    try {
      event = JSON.parse(d.body) as typeof event;
    } catch {
      continue;
    }
    const eventId = typeof event?.eventId === "string" ? event.eventId : "";
    if (acceptedHashes.get(eventId) === event?.source?.contentHash)
      acceptedDeadLettered.push(`${eventId}: ${d.reason}`);
  }
  const poisonDeadLettered = [...poisonBodies].filter(([body, prefix]) =>
    deadLetters.some((d) => d.body === body && d.reason.startsWith(prefix)),
  ).length;
  return { reasons, acceptedDeadLettered, poisonDeadLettered };
};
