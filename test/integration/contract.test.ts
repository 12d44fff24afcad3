import { readFileSync } from "node:fs";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { receiptEventId } from "#domain/receipts.ts";
import { startEventId } from "#domain/sponsorship-commands.ts";
import { grantEventId } from "#domain/support-amendments.ts";
import { PAYMENT_SECRET_ENV } from "#functions/payments/secret.ts";
import { routes } from "#functions/routes.ts";
import { localCredentials, localRegion } from "#local/emulators.ts";
import { signatureHeaders } from "#local/payment-secret.ts";
import { type LocalStack, startLocalStack } from "#local/stack.ts";
import { mintToken } from "#local/token-issuer.ts";
import { postCampaign } from "../helpers/campaigns.ts";
import { publishedSchema } from "../helpers/contract.ts";
import { applyMutation, bodiesFor, type JsonSchema, mutationsOf } from "../helpers/schema-bodies.ts";

/**
 * Path parameters of the routes that amend what was recorded: a grant and a sponsorship put in the ledger
 * before the tests (beforeAll), one grant for corrections and another for revocations.
 */
const recorded = {
  corrected: { supportId: "" },
  revoked: { supportId: "" },
  ended: { sponsorshipId: "" },
  reversed: { eventId: "" },
};

/**
 * Every published schema that a route accepts, with the examples it is documented by. A new schema
 * joins the differential test below by one line here, with nothing else to write.
 */
const contracts = [
  {
    schema: "DonationForm.schema.json",
    route: "POST /v1/donations",
    examples: ["events/examples/donation-form.json", "events/examples/donation-form-in-kind.json"],
  },
  {
    schema: "BeneficiaryRegistration.schema.json",
    route: "POST /v1/beneficiaries",
    examples: [
      "events/examples/beneficiary-registration.json",
      "events/examples/beneficiary-registration-teacher.json",
    ],
    // A staff route: posted as a national admin, so that scope never decides the verdict.
    role: "association-admin",
  },
  {
    schema: "SupportGrantRequest.schema.json",
    route: "POST /v1/support",
    examples: ["events/examples/support-granted.json"],
    role: "association-admin",
  },
  {
    schema: "SupportCorrectionRequest.schema.json",
    route: "POST /v1/support/{supportId}/corrections",
    examples: ["events/examples/support-corrected.json"],
    role: "association-admin",
    params: recorded.corrected,
  },
  {
    schema: "SupportRevocationRequest.schema.json",
    route: "POST /v1/support/{supportId}/revocations",
    examples: ["events/examples/support-revoked.json"],
    role: "association-admin",
    fewerCases: 10,
    params: recorded.revoked,
  },
  {
    schema: "SponsorshipStartRequest.schema.json",
    route: "POST /v1/sponsorships",
    examples: ["events/examples/sponsorship-started.json"],
    role: "association-admin",
  },
  {
    schema: "SponsorshipEndRequest.schema.json",
    route: "POST /v1/sponsorships/{sponsorshipId}/end",
    examples: ["events/examples/sponsorship-ended.json"],
    role: "association-admin",
    fewerCases: 40,
    params: recorded.ended,
  },
  {
    schema: "AssessmentRegistrationRequest.schema.json",
    route: "POST /v1/assessments/registrations",
    examples: ["events/examples/assessment-registered.json"],
    role: "association-admin",
  },
  {
    schema: "AssessmentResultRequest.schema.json",
    route: "POST /v1/assessments/results",
    examples: ["events/examples/assessment-recorded.json"],
    role: "association-admin",
  },
  {
    schema: "CampaignDefinitionRequest.schema.json",
    route: "POST /v1/campaigns",
    examples: ["events/examples/campaign-defined.json"],
    role: "association-admin",
  },
  {
    schema: "CashReceiptRequest.schema.json",
    route: "POST /v1/receipts/cash",
    examples: ["events/examples/cash-received.json"],
    role: "association-admin",
  },
  {
    schema: "GoodsReceiptRequest.schema.json",
    route: "POST /v1/receipts/goods",
    examples: ["events/examples/goods-received.json"],
    role: "association-admin",
  },
  {
    schema: "IncomeReversalRequest.schema.json",
    route: "POST /v1/receipts/{eventId}/reversals",
    examples: ["events/examples/income-reversed.json"],
    role: "association-admin",
    fewerCases: 10,
    params: recorded.reversed,
  },
  // After the definition above, so that the campaign they name exists; the close comes last.
  {
    schema: "CampaignUpdateRequest.schema.json",
    route: "POST /v1/campaigns/{campaignId}/updates",
    params: { campaignId: "heo-dat-khuyen-hoc-2026" },
    examples: ["events/examples/campaign-updated.json"],
    role: "association-admin",
  },
  {
    schema: "BankTransferNotification.schema.json",
    route: "POST /v1/payments/bank-transfer",
    examples: ["events/examples/bank-transfer.json"],
    signed: true,
  },
  {
    schema: "TransferResolutionRequest.schema.json",
    route: "POST /v1/payments/{transferId}/match",
    // No transfer has this id: a valid body reads 404 transfer_not_found, a state rule below.
    params: { transferId: "0b5e7a3c-1d2f-4a6b-8c9d-0e1f2a3b4c5d" },
    examples: ["events/examples/transfer-resolution.json"],
    role: "association-admin",
    fewerCases: 10,
  },
  {
    schema: "CampaignCloseRequest.schema.json",
    route: "POST /v1/campaigns/{campaignId}/close",
    params: { campaignId: "heo-dat-khuyen-hoc-2026" },
    examples: ["events/examples/campaign-closed.json"],
    role: "association-admin",
    fewerCases: 25,
  },
] as const satisfies readonly Contract[];

interface Contract {
  readonly schema: string;
  readonly route: string;
  readonly examples: readonly string[];
  /** Staff routes are posted with a token of the local issuer for this role, scoped to the nation. */
  readonly role?: "association-admin";
  /** Values of the route's path parameters, for routes that amend something recorded. */
  readonly params?: Readonly<Record<string, string>>;
  /** A body of one or two fields has fewer mutations than the 50 a larger one must yield at least. */
  readonly fewerCases?: number;
  /** Posted as the bank-transfer notifier posts: signed with the local stack's secret. */
  readonly signed?: true;
}

/** The whole local product (gateway, handler modules, DynamoDB Local, the SQS emulator); nothing mocked. */
let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ port: 0, batchWindowMs: 50 });
  const ddb = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack.dynamoEndpoint,
      region: localRegion,
      credentials: localCredentials,
    }),
  );
  const grant = JSON.parse(readFileSync("events/examples/support-granted.json", "utf8"));
  const start = JSON.parse(readFileSync("events/examples/sponsorship-started.json", "utf8"));
  recorded.corrected.supportId = crypto.randomUUID();
  recorded.revoked.supportId = crypto.randomUUID();
  recorded.ended.sponsorshipId = crypto.randomUUID();
  const receiptId = crypto.randomUUID();
  recorded.reversed.eventId = receiptEventId("cash", receiptId);
  const contractOf = (route: string) => {
    const found = contracts.find((c) => c.route === route);
    if (found === undefined) throw new Error(`no contract for ${route}`);
    return found;
  };
  const accepted = [
    await post(contractOf("POST /v1/support"), { ...grant, supportId: recorded.corrected.supportId }),
    await post(contractOf("POST /v1/support"), { ...grant, supportId: recorded.revoked.supportId }),
    await post(contractOf("POST /v1/sponsorships"), {
      ...start,
      sponsorshipId: recorded.ended.sponsorshipId,
    }),
    await post(contractOf("POST /v1/receipts/cash"), {
      ...JSON.parse(readFileSync("events/examples/cash-received.json", "utf8")),
      receiptId,
    }),
  ];
  expect(accepted.map((a) => a.status)).toEqual([202, 202, 202, 202]);
  // The amending routes read what they amend from the ledger: wait for the projector to put it there.
  const eventIds = [
    grantEventId(recorded.corrected.supportId),
    grantEventId(recorded.revoked.supportId),
    startEventId(recorded.ended.sponsorshipId),
    recorded.reversed.eventId,
  ];
  const inLedger = async (eventId: string) =>
    (await ddb.send(new GetCommand({ TableName: stack.resources.ledgerTable, Key: { eventId } }))).Item;
  for (const eventId of eventIds) {
    while ((await inLedger(eventId)) === undefined) await new Promise((r) => setTimeout(r, 50));
  }
  ddb.destroy();
  // The campaign the update and close contracts name, as its example defines it.
  const defined = JSON.parse(readFileSync("events/examples/campaign-defined.json", "utf8"));
  expect((await postCampaign(stack, "/v1/campaigns", defined)).status).toBe(202);
});
afterAll(async () => {
  await stack?.stop();
});

/**
 * What a server may refuse in a body its schema accepts: rules that depend on the server's clock or read
 * several fields at once, which no JSON Schema carries. Each is a 422 with its own code, never a 400.
 */
const SEMANTIC_RULES = [
  "occurred_at_in_future",
  "consent_required",
  "support_amount_required",
  "scheme_not_applicable",
  "sponsorship_limit",
  "ended_before_start",
  "unit_retired",
  "unit_not_in_force",
  "campaign_closed",
  "unit_not_covered",
  "campaign_window_reversed",
];

/**
 * What a server may refuse in a valid body because of what it holds: a pledge or a command naming a
 * campaign that was never defined (generated bodies name campaigns at random), a grant its restricted
 * fund cannot pay.
 */
const STATE_RULES = [
  { status: 404, error: "campaign_not_found" },
  { status: 404, error: "transfer_not_found" },
  { status: 422, error: "donation_code_not_found" },
  // A grant from a restricted campaign's purpose beyond what it has received.
  { status: 422, error: "insufficient_restricted_funds" },
];

interface Answer {
  readonly status: number;
  readonly error?: string;
}

const post = async (contract: Contract, body: unknown): Promise<Answer> => {
  const [method, route] = contract.route.split(" ");
  const path = route?.replace(/\{(\w+)\}/g, (_, name: string) => contract.params?.[name] ?? name);
  const bearer =
    contract.role === undefined
      ? {}
      : {
          authorization: `Bearer ${mintToken(stack.auth.signingKey, { subject: "contract-test", role: contract.role, unit: "VN", name: "Kiểm thử" })}`,
        };
  // A raw U+FFFD is what a lenient decoder leaves where bytes were not UTF-8, so the door may refuse it
  // as such; a client that means the character sends it escaped, as this one does.
  const text = JSON.stringify(body).replaceAll("\ufffd", "\\ufffd");
  const secret =
    "signed" in contract ? readFileSync(process.env[PAYMENT_SECRET_ENV.secretFile] ?? "", "utf8").trim() : "";
  const signed = "signed" in contract ? signatureHeaders(secret, text) : {};
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: { "content-type": "application/json", ...bearer, ...signed },
    body: text,
  });
  const answered = await response.text();
  const error = (() => {
    try {
      return (JSON.parse(answered) as { error?: string }).error;
    } catch {
      return undefined;
    }
  })();
  return { status: response.status, ...(error === undefined ? {} : { error }) };
};

/**
 * The contract, from the form author's side: a body the published schema accepts is never refused
 * as invalid (202 queued, 409 id reused, 422 for a rule of {@link SEMANTIC_RULES}, a state of {@link STATE_RULES}
 * are the server's to say), and a
 * body it refuses is a 400 validation_failed. Anything else (a 5xx, another 4xx) is a failure too.
 */
const disagreement = async (
  contract: Contract,
  judge: ReturnType<typeof publishedSchema>,
  body: unknown,
  what: string,
): Promise<string | undefined> => {
  // Judge what travels: JSON turns -0 into 0, drops undefined, and so on.
  const sent = JSON.parse(JSON.stringify(body) ?? "null") as unknown;
  const verdict = judge(sent);
  const answer = await post(contract, sent);
  const agrees = verdict.valid
    ? [200, 202, 409].includes(answer.status) ||
      (answer.status === 422 && SEMANTIC_RULES.includes(answer.error ?? "")) ||
      STATE_RULES.some((r) => r.status === answer.status && r.error === answer.error)
    : answer.status === 400 && answer.error === "validation_failed";
  if (agrees) return undefined;
  const schemaSays = verdict.valid
    ? "valid"
    : `invalid (${verdict.errors.map((e) => `${e.instancePath || "/"} ${e.message}`).join("; ")})`;
  return `${what}: schema says ${schemaSays}, server answered ${answer.status} ${answer.error ?? ""}`;
};

describe.each(contracts)("$route against the published $schema", (contract) => {
  const schema = JSON.parse(readFileSync(`events/schemas/${contract.schema}`, "utf8")) as JsonSchema;
  const judge = publishedSchema(contract.schema);
  const examples = contract.examples.map((f) => JSON.parse(readFileSync(f, "utf8")) as unknown);

  it("is a route of the API, and its examples are valid", () => {
    expect(routes.map((r) => `${r.method} ${r.path}`)).toContain(contract.route);
    expect(examples.map((e) => judge(e).errors)).toEqual(examples.map(() => []));
  });

  it("given every mutation of every example, the server and the schema agree", async () => {
    // Given: each case with its own eventId where the example has one, so that none is a 409 that
    // stops before the queue
    const fresh = (example: unknown) =>
      typeof example === "object" && example !== null
        ? {
            ...example,
            ...("eventId" in example ? { eventId: crypto.randomUUID() } : {}),
            ...("beneficiaryId" in example ? { beneficiaryId: crypto.randomUUID() } : {}),
            ...("supportId" in example ? { supportId: crypto.randomUUID() } : {}),
            ...("sponsorshipId" in example ? { sponsorshipId: crypto.randomUUID() } : {}),
            // A teacher of its own, so that the per-teacher maximum never decides the verdict.
            ...("teacherId" in example ? { teacherId: crypto.randomUUID() } : {}),
          }
        : example;
    const cases = examples.flatMap((example, i) =>
      mutationsOf(schema, example).map((m) => ({
        body: applyMutation(fresh(example), m),
        what: `example ${i}, ${m.label}`,
      })),
    );
    // When
    const disagreements: string[] = [];
    for (const { body, what } of cases) {
      const found = await disagreement(contract, judge, body, what);
      if (found !== undefined) disagreements.push(found);
    }
    // Then
    expect(cases.length).toBeGreaterThan("fewerCases" in contract ? contract.fewerCases : 50);
    expect(disagreements).toEqual([]);
  });

  it("given generated bodies and their mutations, the server and the schema agree (property)", async () => {
    await fc.assert(
      fc.asyncProperty(bodiesFor(schema), async ({ body, mutation }) => {
        expect(await disagreement(contract, judge, body, `mutation ${mutation}`)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});

describe("every route that takes a JSON body has a published schema in this test", () => {
  it("lists each POST route", () => {
    const withBodies = routes.filter((r) => r.method === "POST").map((r) => `${r.method} ${r.path}`);
    expect(contracts.map((c) => c.route).sort()).toEqual(withBodies.sort());
  });
});

describe("POST /v1/donations: the bodies on which the schema and the server used to disagree", () => {
  const example = JSON.parse(readFileSync("events/examples/donation-form.json", "utf8"));
  const inKind = JSON.parse(readFileSync("events/examples/donation-form-in-kind.json", "utf8"));
  const judge = publishedSchema("DonationForm.schema.json");
  const named = (name: string) => ({ ...example, donor: { ...example.donor, name } });

  const description = (text: string) => ({
    ...inKind,
    contribution: { ...inKind.contribution, description: text },
  });

  it.each([
    { what: "a donor name of spaces only", status: 400, body: named("     ") },
    { what: "a donor name of other white space", status: 400, body: named("\u00a0\u3000") },
    { what: "a goods description of spaces only", status: 400, body: description("   ") },
    { what: "a goods description of tabs and newlines", status: 400, body: description("\t\n") },
    { what: "a donor name of 201 characters, 200 trimmed", status: 400, body: named(` ${"a".repeat(200)}`) },
    { what: "a donor name of 202 characters, 200 trimmed", status: 400, body: named(` ${"a".repeat(200)} `) },
    { what: "a donor name of 150 emoji", status: 202, body: named("🌸".repeat(150)) },
    { what: "a message of 300 emoji", status: 202, body: { ...example, message: "🌸".repeat(300) } },
    { what: "a donor name of 201 emoji", status: 400, body: named("🌸".repeat(201)) },
    {
      what: "occurredAt 0000-01-01T00:00:00Z",
      status: 400,
      body: { ...example, occurredAt: "0000-01-01T00:00:00Z" },
    },
    {
      what: "occurredAt 0999-12-31T23:59:59Z",
      status: 400,
      body: { ...example, occurredAt: "0999-12-31T23:59:59Z" },
    },
    {
      what: "occurredAt 2026-02-30T10:00:00+07:00",
      status: 400,
      body: { ...example, occurredAt: "2026-02-30T10:00:00+07:00" },
    },
    {
      what: "occurredAt in the year 2999",
      status: 422,
      body: { ...example, occurredAt: "2999-12-31T23:59:59+07:00" },
    },
  ])(
    "given $what, when posted, then the server answers $status and the schema agrees",
    async ({ status, body }) => {
      // Given
      const form = { ...body, eventId: crypto.randomUUID() };
      // When
      const answer = await post(contracts[0], form);
      // Then
      expect(answer.status).toBe(status);
      expect(judge(form).valid).toBe(status !== 400);
    },
  );
});
