import { randomUUID } from "node:crypto";
import { DeleteMessageBatchCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import type { Clock } from "#domain/donation.ts";
import type { Role } from "#domain/principal.ts";
import type { DomainEvent } from "#events/index.ts";
import { type Authenticate, createAuthenticator } from "#functions/shared/auth.ts";
import type { StaffDeps } from "#functions/shared/staff.ts";
import { isWithin } from "#functions/shared/units.ts";
import {
  generateSigningKey,
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  type LocalIssuer,
  mintToken,
  startIssuer,
} from "#local/token-issuer.ts";
import type { Clients } from "#storage/clients.ts";
import type { Config } from "#storage/config.ts";
import type { Log } from "#storage/log.ts";

/** A clock after every date the examples name, with fresh ids. */
export const lateClock = (iso = "2026-12-01T03:00:00Z"): Clock => ({
  now: () => new Date(iso),
  newId: randomUUID,
});

const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The local token issuer and the real verifier, with the registry's unit tree: nothing about sign-in mocked. */
export const startStaffAuth = async () => {
  const key = generateSigningKey();
  const issuer: LocalIssuer = await startIssuer(0, key);
  const authenticate: Authenticate = createAuthenticator({
    kind: "local",
    issuer: LOCAL_ISSUER,
    audience: LOCAL_AUDIENCE,
    jwksUri: issuer.jwksUri,
  });
  return {
    deps: (clock: Clock = lateClock()): StaffDeps => ({ authenticate, isWithin, clock, log: silent }),
    token: (role: Role, unit: string) => mintToken(key, { subject: `${role}-${unit}`, role, unit }),
    stop: () => issuer.stop(),
  };
};

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

/** What a client reads back: the status and the JSON body. */
export interface Answer {
  readonly status: number;
  readonly body: {
    readonly error?: string;
    readonly eventId?: string;
    readonly issues?: readonly { path: string; code?: string }[];
    readonly [name: string]: unknown;
  };
}

/** Invokes a handler as API Gateway would for `routeKey`, with path parameters and a JSON body. */
export const invoke = async (
  handler: Handler,
  routeKey: string,
  token: string,
  body: unknown,
  pathParameters: Record<string, string> = {},
): Promise<Answer> => {
  const response = (await handler(
    {
      routeKey,
      rawPath: routeKey.split(" ")[1],
      pathParameters,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
      isBase64Encoded: false,
      requestContext: { http: { method: "POST" } },
    } as unknown as APIGatewayProxyEventV2,
    {} as Context,
  )) as APIGatewayProxyStructuredResultV2;
  return { status: response.statusCode ?? 0, body: JSON.parse(response.body ?? "{}") };
};

/** Takes every message off the queue (nothing else reads it in these tests): the events enqueued so far. */
export const drainQueue = async (config: Config, { sqs }: Pick<Clients, "sqs">): Promise<DomainEvent[]> => {
  const events: DomainEvent[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: config.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) return events;
    events.push(...Messages.map((m) => JSON.parse(m.Body ?? "null") as DomainEvent));
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: config.queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }
};
