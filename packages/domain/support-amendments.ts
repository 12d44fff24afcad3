import {
  type GrantFacts,
  SupportCorrected,
  type SupportCorrectionRequest,
  SupportGranted,
  type SupportRevocationRequest,
  type SupportRevoked,
} from "#events/support.ts";
import { derivedEventId } from "./beneficiary.ts";
import type { Clock } from "./donation.ts";
import { hashOf } from "./family-commands.ts";
import { SupportAlreadyRevoked, SupportAmountRequired } from "./family-errors.ts";
import { actorOf, type Principal } from "./principal.ts";
import { toVietnamIso } from "./time.ts";

/** The grant's own event: its id derives from the supportId (family-commands.ts `supportGrantedFrom`). */
export const grantEventId = (supportId: string): string => derivedEventId(supportId, "granted");

/** The n-th correction of a grant (from 1): positional, so two corrections cannot share an id. */
export const correctionEventId = (supportId: string, n: number): string =>
  derivedEventId(supportId, `corrected#${n}`);

/** A grant is revoked at most once, so the revocation's id is the supportId's alone. */
export const revocationEventId = (supportId: string): string => derivedEventId(supportId, "revoked");

/** What the ledger holds under an eventId: the content hash recorded and the event. */
export interface Recorded {
  readonly contentHash: string;
  readonly event: unknown;
}

/** A strongly consistent read of one ledger row (packages/storage/support-reader.ts). */
export type ReadRecorded = (eventId: string) => Promise<Recorded | undefined>;

/** An amendment already in the ledger: its id, and the content hash that tells a retry from another body. */
export interface Amendment {
  readonly eventId: string;
  readonly contentHash: string;
}

/** A grant as the ledger has it now: its facts with every correction applied, and what amended it. */
export interface SupportHistory {
  readonly standing: GrantFacts;
  readonly corrections: readonly Amendment[];
  readonly revocation?: Amendment;
}

/** The facts a correction leaves: the same grant, with the reason and amounts it names. */
export const applyCorrection = (
  facts: GrantFacts,
  corrected: SupportCorrected["data"]["corrected"],
): GrantFacts => {
  // A correction without goods takes the goods' description away with their value.
  const { goodsDescription: _was, ...kept } = facts;
  return { ...kept, ...corrected };
};

/**
 * Reads a grant and its amendments from the ledger, or undefined when the grant is not there (never
 * recorded, or still on the queue). Corrections are read in order until the first gap, so the standing
 * facts are those the next correction or the revocation must restate for projections to move by the
 * difference. One read per amendment: a grant has few.
 */
export const readSupportHistory = async (
  read: ReadRecorded,
  supportId: string,
): Promise<SupportHistory | undefined> => {
  const [grant, revoked] = await Promise.all([
    read(grantEventId(supportId)),
    read(revocationEventId(supportId)),
  ]);
  if (grant === undefined) return undefined;
  const granted = SupportGranted.parse(grant.event);
  let standing: GrantFacts = { ...granted.data, occurredAt: granted.occurredAt, unitCode: granted.unitCode };
  const corrections: Amendment[] = [];
  for (let n = 1; ; n += 1) {
    const eventId = correctionEventId(supportId, n);
    const row = await read(eventId);
    if (row === undefined) break;
    standing = applyCorrection(standing, SupportCorrected.parse(row.event).data.corrected);
    corrections.push({ eventId, contentHash: row.contentHash });
  }
  return {
    standing,
    corrections,
    ...(revoked === undefined
      ? {}
      : { revocation: { eventId: revocationEventId(supportId), contentHash: revoked.contentHash } }),
  };
};

/** What a request comes to: the answer of an earlier identical request, or a new event to enqueue. */
export type Amending<E> =
  | { readonly kind: "retry"; readonly eventId: string }
  | { readonly kind: "new"; readonly event: E };

const envelope = (standing: GrantFacts, contentHash: string, principal: Principal, clock: Clock) => {
  // An amendment happens now; the grant's date and unit travel in `original`, where projections read them.
  const now = toVietnamIso(clock.now());
  return {
    occurredAt: now,
    recordedAt: now,
    unitCode: standing.unitCode,
    source: { channel: "staff" as const, contentHash },
    actor: actorOf(principal),
  };
};

const revokedAlready = (supportId: string) =>
  new SupportAlreadyRevoked(`support ${supportId} was revoked; a revoked grant cannot be amended`);

/**
 * A correction of a grant as it stands, or the retry it repeats (same correctionId and body), or 409
 * `support_revoked`; money and/or goods as for a grant (422 `support_amount_required`). A request without a
 * correctionId is a new correction each time.
 */
export const supportCorrectedFrom = (
  supportId: string,
  history: SupportHistory,
  body: SupportCorrectionRequest,
  principal: Principal,
  clock: Clock,
): Amending<SupportCorrected> => {
  const { corrected } = body;
  if (corrected.moneyVnd === undefined && corrected.goods === undefined) {
    const message = "must give money (moneyVnd), goods (goods) or both";
    throw new SupportAmountRequired(`a correction ${message}`, [{ path: "corrected.moneyVnd", message }]);
  }
  const contentHash = hashOf({ supportId, correctionId: body.correctionId ?? clock.newId(), corrected });
  const same = history.corrections.find((c) => c.contentHash === contentHash);
  if (same !== undefined) return { kind: "retry", eventId: same.eventId };
  if (history.revocation !== undefined) throw revokedAlready(supportId);
  return {
    kind: "new",
    event: {
      eventId: correctionEventId(supportId, history.corrections.length + 1),
      type: "SupportCorrected",
      schemaVersion: 1,
      ...envelope(history.standing, contentHash, principal, clock),
      supportId,
      data: {
        original: history.standing,
        corrected: {
          reason: corrected.reason,
          moneyVnd: corrected.moneyVnd ?? 0,
          inKindVnd: corrected.goods?.valuationVnd ?? 0,
          ...(corrected.goods === undefined ? {} : { goodsDescription: corrected.goods.description }),
        },
      },
    },
  };
};

/**
 * The revocation of a grant as it stands (with its corrections), or the retry it repeats (same reason),
 * or 409 `support_revoked` when it was revoked for another reason.
 */
export const supportRevokedFrom = (
  supportId: string,
  history: SupportHistory,
  body: SupportRevocationRequest,
  principal: Principal,
  clock: Clock,
): Amending<SupportRevoked> => {
  const contentHash = hashOf({ supportId, reason: body.reason });
  if (history.revocation !== undefined) {
    if (history.revocation.contentHash === contentHash)
      return { kind: "retry", eventId: history.revocation.eventId };
    throw revokedAlready(supportId);
  }
  return {
    kind: "new",
    event: {
      eventId: revocationEventId(supportId),
      type: "SupportRevoked",
      schemaVersion: 1,
      ...envelope(history.standing, contentHash, principal, clock),
      supportId,
      data: { original: history.standing, reason: body.reason },
    },
  };
};
