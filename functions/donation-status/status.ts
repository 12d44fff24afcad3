import { z } from "zod";
import { normalEventId } from "#domain/donation.ts";
import { NotFound, ValidationFailed } from "#domain/errors.ts";
import { pledgeStatusOf } from "#domain/status.ts";
import type { Log } from "#storage/log.ts";
import type { StatusReader } from "#storage/status-reader.ts";
import { issuesOf, json, publicRoute } from "../shared/http.ts";

/** The path's eventId and the `receipt` query parameter the 202 answer handed out. */
const StatusRequest = z.object({
  eventId: z.uuid({ message: "must be a UUID" }),
  receipt: z
    .string({ error: "is required: the receipt the 202 answer returned" })
    .regex(/^[0-9a-fA-F]{64}$/, "must be the receipt the 202 answer returned (64 hex digits)"),
});

/**
 * `GET /v1/donations/{eventId}?receipt=…`: whether the pledge the receipt stands for is counted, queued,
 * or rejected because its eventId was taken by other content. Nothing personal is answered.
 */
export const donationStatusHandler = (reader: StatusReader, log: Log) =>
  publicRoute(log).handler(async (request) => {
    const parsed = StatusRequest.safeParse({
      eventId: request.pathParameters?.eventId,
      receipt: request.queryStringParameters?.receipt,
    });
    if (!parsed.success)
      throw new ValidationFailed("the status request is not valid", issuesOf(parsed.error));
    const eventId = normalEventId(parsed.data.eventId);
    const status = pledgeStatusOf(await reader.ledgerStatus(eventId), parsed.data.receipt.toLowerCase());
    if (status === undefined) {
      throw new NotFound(
        `no pledge ${eventId} is recorded yet: one answered 202 moments ago may still be on the queue; ` +
          "if it stays unknown, post the same pledge again (it is counted once)",
      );
    }
    return {
      ...json(200, { eventId, ...status }),
      headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
    };
  });
