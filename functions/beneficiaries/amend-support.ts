import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import { z } from "zod";
import type { Clock } from "#domain/donation.ts";
import { NotFound } from "#domain/errors.ts";
import { fundOfGrant, insufficientRestrictedFunds, isRestricted } from "#domain/funds.ts";
import type { Principal } from "#domain/principal.ts";
import {
  type Amending,
  readSupportHistory,
  type SupportHistory,
  supportCorrectedFrom,
  supportRevokedFrom,
} from "#domain/support-amendments.ts";
import { vietnamDayOf } from "#domain/time.ts";
import type { DomainEvent } from "#events/index.ts";
import type { SupportCorrected } from "#events/support.ts";
import { SupportCorrectionRequest, SupportRevocationRequest } from "#events/support.ts";
import type { FundSpending } from "#storage/fund-spending.ts";
import type { Store } from "#storage/store.ts";
import type { LedgerReader } from "#storage/support-reader.ts";
import { httpErrors, json, parseJsonBody } from "../shared/http.ts";
import { parseParams } from "../shared/params.ts";
import { authorize, type StaffDeps } from "../shared/staff.ts";

type AmendDeps = StaffDeps & { store: Store; ledger: LedgerReader; spending: FundSpending };

type FundHook<E> = (
  deps: AmendDeps,
  supportId: string,
  history: SupportHistory,
  amending: Amending<E>,
) => Promise<void>;

/** What an amendment does to a restricted fund's commitments, around its enqueue. */
interface FundHooks<E> {
  readonly before?: FundHook<E>;
  readonly after?: FundHook<E>;
}

/** The money a correction leaves the grant with: the new event's, or, for a retry, the grant as it stands. */
const correctedMoney = (history: SupportHistory, amending: Amending<SupportCorrected>): number =>
  amending.kind === "new" ? amending.event.data.corrected.moneyVnd : history.standing.moneyVnd;

/** The restricted fund a grant is paid from, or undefined when its money is not restricted. */
const restrictedFundOf = (history: SupportHistory) => {
  const fund = fundOfGrant(history.standing);
  return isRestricted(fund.purpose) ? fund : undefined;
};

const Params = z.object({ supportId: z.uuid({ message: "must be a UUID" }) });

/**
 * A staff route that amends a recorded grant with a compensating event: the grant and its amendments are
 * read from the ledger (404 when it is not there yet), the caller must hold the grant's unit on its date,
 * then the domain decides: a retry answers as before, a new amendment is enqueued.
 */
const amendHandler =
  <S extends z.ZodType, E extends DomainEvent>(
    schema: S,
    decide: (
      supportId: string,
      history: SupportHistory,
      body: z.infer<S>,
      principal: Principal,
      clock: Clock,
    ) => Amending<E>,
    /** Restricted money the amendment takes (before it is enqueued) or gives back (after, on every retry). */
    funds: FundHooks<E> = {},
  ) =>
  (deps: AmendDeps) =>
    middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
      .use(httpErrors(deps.log))
      .handler(async (request) => {
        const principal = await deps.authenticate(request);
        const { supportId } = parseParams(request.pathParameters, Params);
        const body = parseJsonBody(request, schema);
        const history = await readSupportHistory((id) => deps.ledger.recorded(id), supportId);
        if (history === undefined) throw new NotFound(`no recorded support ${supportId}`);
        const { unitCode, occurredAt } = history.standing;
        authorize(principal, "record-support", unitCode, vietnamDayOf(occurredAt), deps.isWithin);
        const amending = decide(supportId, history, body, principal, deps.clock);
        await funds.before?.(deps, supportId, history, amending);
        if (amending.kind === "new") await deps.store.enqueue(amending.event);
        await funds.after?.(deps, supportId, history, amending);
        const eventId = amending.kind === "new" ? amending.event.eventId : amending.eventId;
        return json(202, { supportId, eventId });
      });

/**
 * `POST /v1/support/{supportId}/corrections`: what a grant should have been (docs/assessments.md#support).
 * A restricted grant's commitment follows its money (docs/fund-ledger.md): more is committed before the
 * correction is enqueued (beyond what is available: 422 `insufficient_restricted_funds`, nothing enqueued),
 * less is given back after it is, so a lost answer never frees money no correction recorded.
 */
export const correctionHandler = amendHandler(SupportCorrectionRequest, supportCorrectedFrom, {
  before: async (deps, supportId, history, amending) => {
    const fund = restrictedFundOf(history);
    const target = correctedMoney(history, amending);
    if (fund === undefined || amending.kind !== "new" || target <= history.standing.moneyVnd) return;
    const settled = await deps.spending.settle(fund, supportId, target);
    if (settled.outcome === "insufficient")
      throw insufficientRestrictedFunds(fund, settled.availableVnd, target - history.standing.moneyVnd);
  },
  after: async (deps, supportId, history, amending) => {
    const fund = restrictedFundOf(history);
    // An increase was settled before the enqueue; settling again to the same amount changes nothing.
    if (fund !== undefined) await deps.spending.settle(fund, supportId, correctedMoney(history, amending));
  },
});

/**
 * `POST /v1/support/{supportId}/revocations`: a grant withdrawn, at most once. Restricted money it
 * committed is given back after the revocation is on the queue, so a lost answer never frees money while
 * no revocation is recorded (docs/fund-ledger.md).
 */
export const revocationHandler = amendHandler(SupportRevocationRequest, supportRevokedFrom, {
  after: async (deps, supportId, history) => {
    const fund = restrictedFundOf(history);
    if (fund !== undefined) await deps.spending.release(fund, supportId);
  },
});
