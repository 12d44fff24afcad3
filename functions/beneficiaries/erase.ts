import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import { z } from "zod";
import { erasureEvent } from "#domain/beneficiary.ts";
import { NotFound } from "#domain/errors.ts";
import { toVietnamIso, vietnamDayOf } from "#domain/time.ts";
import { BeneficiaryId, ErasureRequest } from "#events/beneficiary.ts";
import type { DomainEvent } from "#events/index.ts";
import type { Store } from "#storage/store.ts";
import type { Vault } from "#storage/vault.ts";
import { httpErrors, json, parseJsonBody } from "../shared/http.ts";
import { parseParams } from "../shared/params.ts";
import { authorize, type StaffDeps } from "../shared/staff.ts";

const Params = z.object({ beneficiaryId: BeneficiaryId });

/**
 * `DELETE /v1/beneficiaries/{beneficiaryId}/personal-data` with `{"reason": …}`: an admin over the
 * person's unit erases their personal data. The tombstone goes first (the ciphertext is gone), then the
 * key, then the event; a retry repeats each step and re-sends the first erasure's event unchanged.
 */
export const eraseHandler = (deps: StaffDeps & { store: Store; vault: Vault }) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpErrors(deps.log))
    .handler(async (request) => {
      const principal = await deps.authenticate(request);
      const { beneficiaryId } = parseParams(request.pathParameters, Params);
      const { reason } = parseJsonBody(request, ErasureRequest);
      const now = deps.clock.now();
      const entry = await deps.vault.find(beneficiaryId);
      if (entry === undefined) throw new NotFound(`no beneficiary ${beneficiaryId}`);
      authorize(
        principal,
        "erase-personal-data",
        entry.unitCode,
        vietnamDayOf(now.toISOString()),
        deps.isWithin,
      );
      const event = erasureEvent(beneficiaryId, entry.unitCode, reason, principal, now);
      const kept = await deps.vault.erase(beneficiaryId, entry.unitCode, {
        erasedAt: toVietnamIso(now),
        event: JSON.stringify(event),
      });
      const recorded = JSON.parse(kept.event) as DomainEvent;
      await deps.store.enqueue(recorded);
      return json(202, { beneficiaryId, eventId: recorded.eventId, erasedAt: kept.erasedAt });
    });
