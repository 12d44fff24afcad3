import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import { BeneficiaryIdConflict } from "#domain/auth-errors.ts";
import { consentedPurposes, registrationFromRequest } from "#domain/beneficiary.ts";
import { canonicalJson } from "#domain/donation.ts";
import { vietnamDayOf } from "#domain/time.ts";
import { BeneficiaryRegistration } from "#events/beneficiary.ts";
import type { Store } from "#storage/store.ts";
import type { Vault } from "#storage/vault.ts";
import { httpErrors, json, parseJsonBody } from "../shared/http.ts";
import { authorize, type StaffDeps } from "../shared/staff.ts";

/**
 * `POST /v1/beneficiaries`: staff of the person's commune (or an admin over it) register a beneficiary.
 * The personal data goes to the vault, the event (coded facts only) to the queue. A retry with the same
 * beneficiaryId and content is accepted again; other content under that id is a 409.
 */
export const registerHandler = (deps: StaffDeps & { store: Store; vault: Vault }) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpErrors(deps.log))
    .handler(async (request) => {
      const principal = await deps.authenticate(request);
      const body = parseJsonBody(request, BeneficiaryRegistration);
      const day = vietnamDayOf(body.occurredAt ?? deps.clock.now().toISOString());
      authorize(principal, "register-beneficiary", body.unitCode, day, deps.isWithin);
      const { event, personalData } = registrationFromRequest(body, principal, deps.clock);
      const { beneficiaryId } = event;
      const conflict = () =>
        new BeneficiaryIdConflict(`beneficiaryId ${beneficiaryId} is already registered`);
      const purposes = consentedPurposes(body.consent);
      if ((await deps.vault.put(beneficiaryId, body.unitCode, personalData, purposes)) === "exists") {
        // A retry, or a reuse of the id: only the same person in the same unit is a retry.
        const entry = await deps.vault.find(beneficiaryId);
        const stored = await entry?.open();
        if (entry?.unitCode !== body.unitCode || canonicalJson(stored) !== canonicalJson(personalData)) {
          throw conflict();
        }
      }
      const recorded = await deps.store.ledgerHash(event.eventId);
      if (recorded !== undefined && recorded !== event.source.contentHash) throw conflict();
      if (recorded === undefined) await deps.store.enqueue(event);
      return json(202, { beneficiaryId, eventId: event.eventId });
    });
