import { readFileSync } from "node:fs";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IsWithin } from "#domain/scope.ts";
import type { DomainEvent } from "#events/index.ts";
import { auditHandler } from "#functions/audit/audit.ts";
import { eraseHandler } from "#functions/beneficiaries/erase.ts";
import { readHandler } from "#functions/beneficiaries/read.ts";
import { registerHandler } from "#functions/beneficiaries/register.ts";
import { type Authenticate, createAuthenticator } from "#functions/shared/auth.ts";
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
let authenticate: Authenticate;
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
// A unit lies within itself and its province: codes do not change in this small world (the registry decides for real).
const isWithin: IsWithin = (scope, unit) => scope === unit || provinceOf[unit] === scope;

beforeAll(async () => {
  issuer = await startIssuer(0, key);
  authenticate = createAuthenticator({
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
  it("answers 401 with a Bearer challenge to any token that is not valid, touching nothing (property)", async () => {
    // Given: random text, or a valid token with a part of it swapped for another token's
    const stranger = generateSigningKey();
    const good = mintToken(key, { subject: "s", role: "association-admin", unit: "VN" });
    const forged = mintToken(stranger, { subject: "s", role: "association-admin", unit: "VN" });
    const [h, p] = good.split(".");
    const tokens = fc.oneof(
      fc.string({ maxLength: 400 }),
      fc.constant(`${h}.${p}.${forged.split(".")[2]}`),
      fc.constant(`${h}.${p}.`),
      fc.base64String().map((b) => `${h}.${p}.${b.replaceAll("=", "")}`),
    );
    await fc.assert(
      fc.asyncProperty(tokens, async (token) => {
        fc.pre(token !== good);
        touched.length = 0;
        // When
        const response = await post(token, JSON.stringify(example));
        // Then
        expect(response.statusCode).toBe(401);
        expect(response.headers?.["www-authenticate"]).toMatch(/^Bearer /);
        expect(JSON.parse(response.body ?? "")).toEqual({
          error: "invalid_token",
          message: "a valid bearer token is required",
        });
        expect(touched).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

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

describe("reading, erasing and the audit trail, for every caller and every request", () => {
  const known = "7d1f3c2a-5b6e-4f80-9a1b-2c3d4e5f6a7b";
  let personUnit = "04252";
  const recordingVault: Vault = {
    put: async () => {
      throw new Error("not called");
    },
    find: async (id) =>
      id === known
        ? {
            beneficiaryId: id,
            unitCode: personUnit,
            purposes: ["support-administration", "payment"],
            open: async () => {
              touched.push("open");
              return { fullName: "x" };
            },
          }
        : undefined,
    erase: async () => {
      touched.push("erase");
      return { erasedAt: "2026-09-10T10:00:00.000+07:00", event: "{}" };
    },
  };
  const deps = () => ({ authenticate, isWithin, clock: fixedClock("2026-09-10T03:00:00Z"), log: silent });
  const readPage = async () => {
    touched.push("readPage");
    return { events: [] };
  };
  const invoke = async (
    h: (e: APIGatewayProxyEventV2, c: Context) => Promise<unknown>,
    request: Partial<APIGatewayProxyEventV2> & { token: string },
  ) =>
    (await h(
      {
        rawPath: "/",
        isBase64Encoded: false,
        requestContext: { http: { method: "GET" } },
        ...request,
        headers: {
          authorization: `Bearer ${request.token}`,
          "content-type": "application/json",
          ...request.headers,
        },
      } as unknown as APIGatewayProxyEventV2,
      {} as Context,
    )) as APIGatewayProxyStructuredResultV2;

  it("answers 403 forbidden_scope to any valid token outside the unit, on every route, touching nothing (property)", async () => {
    // Given
    const read = readHandler({ ...deps(), store, vault: recordingVault });
    const erase = eraseHandler({ ...deps(), store, vault: recordingVault });
    const audit = auditHandler({ ...deps(), readPage });
    const admins = fc.record({
      role: fc.constant("association-admin" as const),
      unit: fc.constantFrom("04", "15"),
    });
    const callers = fc.oneof(
      fc.record({ role: fc.constant("unit-staff" as const), unit: fc.constantFrom(...communes) }),
      admins,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("read", "erase", "audit"),
        callers,
        fc.constantFrom(...communes),
        async (route, caller, unitCode) => {
          const covered = caller.unit === unitCode || provinceOf[unitCode] === caller.unit;
          fc.pre(
            !covered && (route !== "erase" && route !== "audit" ? true : caller.role === "association-admin"),
          );
          touched.length = 0;
          personUnit = unitCode;
          const token = mintToken(key, { subject: "s", role: caller.role, unit: caller.unit });
          // When
          const response =
            route === "read"
              ? await invoke(read, {
                  token,
                  pathParameters: { beneficiaryId: known },
                  queryStringParameters: { purpose: "case-review" },
                })
              : route === "erase"
                ? await invoke(erase, {
                    token,
                    pathParameters: { beneficiaryId: known },
                    body: '{"reason":"data-subject-request"}',
                  })
                : await invoke(audit, {
                    token,
                    queryStringParameters: {
                      unitCode,
                      from: "2026-01-01T00:00:00Z",
                      to: "2026-12-31T00:00:00Z",
                    },
                  });
          // Then
          expect(response.statusCode).toBe(403);
          expect(JSON.parse(response.body ?? "").error).toBe("forbidden_scope");
          expect(touched).toEqual([]);
        },
      ),
      { numRuns: 80 },
    );
  });

  it("answers 400 with paths to any parameters or body those routes reject, touching nothing (property)", async () => {
    // Given
    const read = readHandler({ ...deps(), store, vault: recordingVault });
    const erase = eraseHandler({ ...deps(), store, vault: recordingVault });
    const audit = auditHandler({ ...deps(), readPage });
    const token = mintToken(key, { subject: "s", role: "association-admin", unit: "VN" });
    const text = fc.oneof(
      fc.string(),
      fc.constantFrom("", "VN", "04252", "2026-13-01T00:00:00Z", "case-review"),
    );
    const request = fc.oneof(
      fc.record({
        route: fc.constant("read" as const),
        id: fc.oneof(text, fc.constant(known)),
        purpose: text,
      }),
      fc.record({ route: fc.constant("erase" as const), id: fc.constant(known), body: fc.jsonValue() }),
      fc.record({ route: fc.constant("audit" as const), unitCode: text, from: text, to: text, limit: text }),
    );
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        touched.length = 0;
        // When
        const response =
          r.route === "read"
            ? await invoke(read, {
                token,
                pathParameters: { beneficiaryId: r.id },
                queryStringParameters: { purpose: r.purpose },
              })
            : r.route === "erase"
              ? await invoke(erase, {
                  token,
                  pathParameters: { beneficiaryId: r.id },
                  body: JSON.stringify(r.body),
                })
              : await invoke(audit, {
                  token,
                  queryStringParameters: { unitCode: r.unitCode, from: r.from, to: r.to, limit: r.limit },
                });
        // Then: a valid request is not what this property is about
        fc.pre(response.statusCode !== 200 && response.statusCode !== 202);
        expect(response.statusCode).toBe(400);
        const answer = JSON.parse(response.body ?? "");
        expect(answer.issues.length).toBeGreaterThan(0);
        for (const issue of answer.issues) expect(typeof issue.path).toBe("string");
        expect(touched).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
