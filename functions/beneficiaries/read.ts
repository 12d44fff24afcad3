import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import { z } from "zod";
import { PersonalDataErased, PurposeNotConsented } from "#domain/auth-errors.ts";
import { accessEvent, purposeAllowed } from "#domain/beneficiary.ts";
import { NotFound } from "#domain/errors.ts";
import { vietnamDayOf } from "#domain/time.ts";
import { AccessPurpose, BeneficiaryId } from "#events/beneficiary.ts";
import type { Store } from "#storage/store.ts";
import type { Vault } from "#storage/vault.ts";
import { httpErrors, json } from "../shared/http.ts";
import { parseParams } from "../shared/params.ts";
import { authorize, noStore, type StaffDeps } from "../shared/staff.ts";

const Params = z.object({ beneficiaryId: BeneficiaryId });
const Query = z.object({ purpose: AccessPurpose });

/**
 * `GET /v1/beneficiaries/{beneficiaryId}?purpose=…`: a person's data, for an admin over their unit or
 * the staff of it, for a purpose the person consented to. The access record (who, when, whose, why) is queued before anything is decrypted:
 * no record, no data.
 */
export const readHandler = (deps: StaffDeps & { store: Store; vault: Vault }) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpErrors(deps.log))
    .handler(async (request) => {
      const principal = await deps.authenticate(request);
      const { beneficiaryId } = parseParams(request.pathParameters, Params);
      const { purpose } = parseParams(request.queryStringParameters, Query);
      const today = vietnamDayOf(deps.clock.now().toISOString());
      const entry = await deps.vault.find(beneficiaryId);
      if (entry === undefined) throw new NotFound(`no beneficiary ${beneficiaryId}`);
      authorize(principal, "read-personal-data", entry.unitCode, today, deps.isWithin);
      if (entry.erased !== undefined) throw new PersonalDataErased();
      if (!purposeAllowed(purpose, entry.purposes)) throw new PurposeNotConsented();
      await deps.store.enqueue(accessEvent(beneficiaryId, entry.unitCode, purpose, principal, deps.clock));
      const personalData = await entry.open();
      if (personalData === undefined) throw new PersonalDataErased();
      const response = json(200, { beneficiaryId, unitCode: entry.unitCode, personalData });
      return { ...response, headers: { ...response.headers, ...noStore } };
    });
