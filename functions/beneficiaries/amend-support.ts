import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import { z } from "zod";
import type { Clock } from "#domain/donation.ts";
import { NotFound } from "#domain/errors.ts";
import { fundOfGrant, isRestricted } from "#domain/funds.ts";
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
import { SupportCorrectionRequest, SupportRevocationRequest } from "#events/support.ts";
import type { FundSpending } from "#storage/fund-spending.ts";
import type { Store } from "#storage/store.ts";
import type { LedgerReader } from "#storage/support-reader.ts";
import { httpErrors, json, parseJsonBody } from "../shared/http.ts";
import { parseParams } from "../shared/params.ts";
import { authorize, type StaffDeps } from "../shared/staff.ts";

type AmendDeps = StaffDeps & { store: Store; ledger: LedgerReader; spending: FundSpending };

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
    /** What follows the amendment once it is on the queue (or was already), on every retry too. */
    after: (deps: AmendDeps, supportId: string, history: SupportHistory) => Promise<void> = async () => {},
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
        if (amending.kind === "new") await deps.store.enqueue(amending.event);
        await after(deps, supportId, history);
        const eventId = amending.kind === "new" ? amending.event.eventId : amending.eventId;
        return json(202, { supportId, eventId });
      });

/** `POST /v1/support/{supportId}/corrections`: what a grant should have been (docs/assessments.md#support). */
export const correctionHandler = amendHandler(SupportCorrectionRequest, supportCorrectedFrom);

/**
 * `POST /v1/support/{supportId}/revocations`: a grant withdrawn, at most once. Restricted money it
 * committed is given back after the revocation is on the queue, so a lost answer never frees money while
 * no revocation is recorded (docs/fund-ledger.md).
 */
export const revocationHandler = amendHandler(
  SupportRevocationRequest,
  supportRevokedFrom,
  async (deps, supportId, history) => {
    const fund = fundOfGrant(history.standing);
    if (isRestricted(fund.purpose)) await deps.spending.release(fund, supportId);
  },
);
