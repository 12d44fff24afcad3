import { readFileSync } from "node:fs";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IsWithin } from "#domain/scope.ts";
import type { DomainEvent } from "#events/index.ts";
import { registerHandler } from "#functions/beneficiaries/register.ts";
import { createAuthenticator } from "#functions/shared/auth.ts";
import {
  generateSigningKey,
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  type LocalIssuer,
  mintToken,
  startIssuer,
} from "#local/token-issuer.ts";
import type { Log } from "#storage/log.ts";
import type { Store } from "#storage/store.ts";
import type { Vault } from "#storage/vault.ts";
import { fixedClock } from "../helpers/events.ts";

/**
 * The registration handler with the real verifier and local issuer, and a store and vault that only
 * record what they are asked to do: the properties are about what reaches them.
 */
const key = generateSigningKey();
let issuer: LocalIssuer;
let handler: ReturnType<typeof registerHandler>;
const touched: string[] = [];
const store = {
  ledgerHash: async () => undefined,
  enqueue: async (event: DomainEvent) => {
    touched.push(`enqueue ${event.type}`);
  },
} as unknown as Store;
const vault: Vault = {
  put: async (id) => {
    touched.push(`put ${id}`);
    return "stored";
  },
  find: async () => undefined,
  erase: async () => {
    throw new Error("not called");
  },
};
const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A unit tree of two provinces with two communes each. */
const provinceOf: Record<string, string> = { "04252": "04", "04255": "04", "15010": "15", "15013": "15" };
const isWithin: IsWithin = (scope, unit) => provinceOf[unit] === scope;

beforeAll(async () => {
  issuer = await startIssuer(0, key);
  const authenticate = createAuthenticator({
    kind: "local",
    issuer: LOCAL_ISSUER,
    audience: LOCAL_AUDIENCE,
    jwksUri: issuer.jwksUri,
  });
  handler = registerHandler({
    authenticate,
    isWithin,
    clock: fixedClock("2026-09-10T03:00:00Z"),
    log: silent,
    store,
    vault,
  });
});
afterAll(async () => {
  await issuer?.stop();
});

const example = JSON.parse(readFileSync("events/examples/beneficiary-registration.json", "utf8"));
const post = async (token: string, body: string) =>
  (await handler(
    {
      routeKey: "POST /v1/beneficiaries",
      rawPath: "/v1/beneficiaries",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body,
      isBase64Encoded: false,
      requestContext: { http: { method: "POST" } },
    } as unknown as APIGatewayProxyEventV2,
    {} as Context,
  )) as APIGatewayProxyStructuredResultV2;

const communes = Object.keys(provinceOf);
const scopes = fc.oneof(
  fc.record({ role: fc.constant("unit-staff" as const), unit: fc.constantFrom(...communes) }),
  fc.record({ role: fc.constant("association-admin" as const), unit: fc.constantFrom("VN", "04", "15") }),
);

describe("registration, for every caller and every body", () => {
  it("answers 403 forbidden_scope to any valid token outside the unit's scope, touching nothing (property)", async () => {
    await fc.assert(
      fc.asyncProperty(scopes, fc.constantFrom(...communes), async (caller, unitCode) => {
        // Given
        const covered =
          caller.unit === "VN" || caller.unit === unitCode || provinceOf[unitCode] === caller.unit;
        fc.pre(!covered);
        touched.length = 0;
        const token = mintToken(key, { subject: "s", role: caller.role, unit: caller.unit });
        // When
        const response = await post(token, JSON.stringify({ ...example, unitCode }));
        // Then
        expect(response.statusCode).toBe(403);
        expect(JSON.parse(response.body ?? "").error).toBe("forbidden_scope");
        expect(touched).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it("accepts any valid token inside the unit's scope (property)", async () => {
    await fc.assert(
      fc.asyncProperty(scopes, fc.constantFrom(...communes), async (caller, unitCode) => {
        // Given
        const covered =
          caller.unit === "VN" || caller.unit === unitCode || provinceOf[unitCode] === caller.unit;
        fc.pre(covered);
        touched.length = 0;
        const token = mintToken(key, { subject: "s", role: caller.role, unit: caller.unit });
        // When
        const response = await post(token, JSON.stringify({ ...example, unitCode }));
        // Then
        expect(response.statusCode).toBe(202);
        expect(touched).toEqual([`put ${example.beneficiaryId}`, "enqueue BeneficiaryRegistered"]);
      }),
      { numRuns: 30 },
    );
  });

  it("answers 400 with paths to any body the schema rejects, storing and queueing nothing (property)", async () => {
    // Given: the example with one field removed, replaced by a value of another kind, or an extra field
    const fields = Object.keys(example).filter((f) => f !== "beneficiaryId" && f !== "occurredAt");
    const broken = fc.oneof(
      fc.constantFrom(...fields).map((f) => {
        const { [f]: _gone, ...rest } = example;
        return rest;
      }),
      fc
        .tuple(
          fc.constantFrom(...fields, "beneficiaryId", "occurredAt"),
          fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string()),
        )
        .map(([f, v]) => ({ ...example, [f]: v })),
      fc
        .string({ minLength: 1 })
        .filter((k) => !(k in example))
        .map((k) => ({ ...example, [k]: 1 })),
      fc.anything().filter((v) => v !== undefined),
    );
    const token = mintToken(key, { subject: "s", role: "association-admin", unit: "VN" });
    await fc.assert(
      fc.asyncProperty(broken, async (body) => {
        touched.length = 0;
        // When
        const response = await post(token, JSON.stringify(body));
        // Then
        expect(response.statusCode).toBe(400);
        const answer = JSON.parse(response.body ?? "");
        expect(answer.error).toBe("validation_failed");
        expect(answer.issues.length).toBeGreaterThan(0);
        for (const issue of answer.issues) expect(typeof issue.path).toBe("string");
        expect(touched).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
