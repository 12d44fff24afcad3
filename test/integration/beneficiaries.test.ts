import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { GetCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { generateSigningKey, mintToken } from "#local/token-issuer.ts";
import { eventually } from "../helpers/eventually.ts";
import { useLocalProduct } from "../helpers/local-product.ts";

/** The whole local product, with its own token issuer: nothing about sign-in is mocked. */
const local = useLocalProduct();
const { token } = local;

const example = JSON.parse(readFileSync("events/examples/beneficiary-registration.json", "utf8"));
const call = (method: string, path: string, bearer?: string, body?: unknown) =>
  fetch(`${local.stack.url}${path}`, {
    method,
    headers: {
      ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const register = (bearer: string, overrides: Record<string, unknown> = {}) =>
  call("POST", "/v1/beneficiaries", bearer, { ...example, beneficiaryId: randomUUID(), ...overrides });

interface AuditEvent {
  type: string;
  beneficiaryId?: string;
  actor?: { subject: string; role: string };
}
const auditOf = async (unitCode: string, bearer = token("auditor")): Promise<AuditEvent[]> => {
  const events: AuditEvent[] = [];
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({
      unitCode,
      from: "2026-01-01T00:00:00+07:00",
      to: "2099-01-01T00:00:00+07:00",
      limit: "2",
      ...(cursor === undefined ? {} : { cursor }),
    });
    const response = await call("GET", `/v1/audit?${query}`, bearer);
    expect(response.status).toBe(200);
    const page = (await response.json()) as { events: AuditEvent[]; next?: string };
    events.push(...page.events);
    cursor = page.next;
  } while (cursor !== undefined);
  return events;
};

describe("a beneficiary's life: registered, read, erased", () => {
  it("given commune staff, when they register, read and an admin erases, then the data reads 410 and the trail has all three", async () => {
    // Given
    const staff = token("unit-staff", "04252");
    const beneficiaryId = randomUUID();
    // When: registered (twice: a retry)
    const registered = await register(staff, { beneficiaryId });
    const retried = await register(staff, { beneficiaryId });
    // Then
    expect(registered.status).toBe(202);
    const { eventId } = (await registered.json()) as { eventId: string };
    expect(await retried.json()).toEqual({ beneficiaryId, eventId });

    // When: read back, with a purpose
    const read = await call("GET", `/v1/beneficiaries/${beneficiaryId}?purpose=case-review`, staff);
    // Then
    expect(read.status).toBe(200);
    expect(read.headers.get("cache-control")).toBe("no-store");
    expect(await read.json()).toEqual({
      beneficiaryId,
      unitCode: "04252",
      personalData: example.personalData,
    });

    // When: erased by a national admin
    const admin = token("association-admin", "VN");
    const erased = await call("DELETE", `/v1/beneficiaries/${beneficiaryId}/personal-data`, admin, {
      reason: "data-subject-request",
    });
    const erasedAgain = await call("DELETE", `/v1/beneficiaries/${beneficiaryId}/personal-data`, admin, {
      reason: "consent-withdrawn",
    });
    // Then
    expect(erased.status).toBe(202);
    const erasure = await erased.json();
    expect(await erasedAgain.json()).toEqual(erasure);
    const after = await call("GET", `/v1/beneficiaries/${beneficiaryId}?purpose=case-review`, staff);
    expect(after.status).toBe(410);
    expect(((await after.json()) as { error: string }).error).toBe("personal_data_erased");
    const vaultItem = await local.ddb.send(
      new GetCommand({ TableName: local.stack.resources.vaultTable, Key: { beneficiaryId } }),
    );
    const keyItem = await local.ddb.send(
      new GetCommand({ TableName: local.stack.resources.keysTable, Key: { beneficiaryId } }),
    );
    expect(vaultItem.Item?.ciphertext).toBeUndefined();
    expect(keyItem.Item).toBeUndefined();

    // Then: the audit trail names who did what, and never the person
    const trail = await eventually(
      async () => (await auditOf("04252")).filter((e) => e.beneficiaryId === beneficiaryId),
      (events) => events.length >= 3,
    );
    expect(trail.map((e) => [e.type, e.actor])).toEqual([
      ["BeneficiaryRegistered", { subject: "unit-staff-04252", role: "unit-staff" }],
      ["PersonalDataAccessed", { subject: "unit-staff-04252", role: "unit-staff" }],
      ["BeneficiaryErased", { subject: "association-admin-VN", role: "association-admin" }],
    ]);
    expect(JSON.stringify(trail)).not.toMatch(/Lò|Nguyễn|3300205123456/);
  });

  it("keeps personal data out of the ledger and stores only ciphertext in the vault", async () => {
    // Given
    const staff = token("unit-staff", "04252");
    const beneficiaryId = randomUUID();
    // When
    expect((await register(staff, { beneficiaryId })).status).toBe(202);
    await eventually(
      async () => (await auditOf("04252")).some((e) => e.beneficiaryId === beneficiaryId),
      (found) => found,
    );
    // Then
    const ledger = await local.ddb.send(new ScanCommand({ TableName: local.stack.resources.ledgerTable }));
    const vault = await local.ddb.send(
      new GetCommand({ TableName: local.stack.resources.vaultTable, Key: { beneficiaryId } }),
    );
    const personal = ["Lò Thị Mai", "Lò Văn Hùng", "2016-04-12", "3300205123456", "0912345678", "Thái"];
    for (const value of personal) {
      expect(JSON.stringify(ledger.Items)).not.toContain(value);
      expect(Buffer.from(vault.Item?.ciphertext ?? []).toString("utf8")).not.toContain(value);
      expect(Buffer.from(vault.Item?.ciphertext ?? []).toString("latin1")).not.toContain(value);
    }
  });

  it("refuses the same beneficiaryId with other personal data with 409", async () => {
    // Given
    const staff = token("unit-staff", "04252");
    const beneficiaryId = randomUUID();
    await register(staff, { beneficiaryId });
    // When
    const reused = await register(staff, {
      beneficiaryId,
      personalData: { ...example.personalData, fullName: "Someone Else" },
    });
    // Then
    expect(reused.status).toBe(409);
    expect(((await reused.json()) as { error: string }).error).toBe("beneficiary_id_conflict");
  });
});

describe("sign-in and scope at the door", () => {
  it("given no token or a forged one, then 401 with a Bearer challenge and nothing stored", async () => {
    // Given
    const beneficiaryId = randomUUID();
    const forged = mintToken(generateSigningKey(), { subject: "x", role: "association-admin", unit: "VN" });
    // When
    const answers = [
      await call("POST", "/v1/beneficiaries", undefined, { ...example, beneficiaryId }),
      await register(forged, { beneficiaryId }),
      await call("GET", `/v1/beneficiaries/${beneficiaryId}?purpose=case-review`, forged),
      await call(
        "GET",
        "/v1/audit?unitCode=04252&from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z",
        "a.b.c",
      ),
    ];
    // Then
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.headers.get("www-authenticate")).toMatch(/^Bearer .*error="invalid_token"/);
      expect(await answer.json()).toEqual({
        error: "invalid_token",
        message: "a valid bearer token is required",
      });
    }
    const vault = await local.ddb.send(
      new GetCommand({ TableName: local.stack.resources.vaultTable, Key: { beneficiaryId } }),
    );
    expect(vault.Item).toBeUndefined();
  });

  it("given staff of another commune, then 403 forbidden_scope, nothing stored, nothing queued", async () => {
    // Given
    const outsider = token("unit-staff", "04255");
    const refusedId = randomUUID();
    const sentinelId = randomUUID();
    // When
    const refused = await register(outsider, { beneficiaryId: refusedId });
    const read = await call("GET", `/v1/beneficiaries/${refusedId}?purpose=case-review`, outsider);
    // A registration that is allowed, after the refused one: once it is in the ledger, the refused one
    // would be too had it been queued.
    expect((await register(token("unit-staff", "04252"), { beneficiaryId: sentinelId })).status).toBe(202);
    const trail = await eventually(
      () => auditOf("04252"),
      (events) => events.some((e) => e.beneficiaryId === sentinelId),
    );
    // Then
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toBe("forbidden_scope");
    expect(read.status).toBe(404);
    expect(trail.some((e) => e.beneficiaryId === refusedId)).toBe(false);
    const vault = await local.ddb.send(
      new GetCommand({ TableName: local.stack.resources.vaultTable, Key: { beneficiaryId: refusedId } }),
    );
    expect(vault.Item).toBeUndefined();
  });

  it("never shows personal data to an auditor, and lets only admins erase", async () => {
    // Given
    const beneficiaryId = randomUUID();
    await register(token("unit-staff", "04252"), { beneficiaryId });
    // When
    const auditorRead = await call(
      "GET",
      `/v1/beneficiaries/${beneficiaryId}?purpose=case-review`,
      token("auditor"),
    );
    const staffErase = await call(
      "DELETE",
      `/v1/beneficiaries/${beneficiaryId}/personal-data`,
      token("unit-staff", "04252"),
      { reason: "data-subject-request" },
    );
    const staffAudit = await call(
      "GET",
      "/v1/audit?unitCode=04252&from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z",
      token("unit-staff", "04252"),
    );
    // Then
    for (const answer of [auditorRead, staffErase, staffAudit]) {
      expect(answer.status).toBe(403);
      expect(((await answer.json()) as { error: string }).error).toBe("forbidden_role");
    }
  });

  it("asks why personal data is read, and refuses a read without a purpose", async () => {
    // Given
    const beneficiaryId = randomUUID();
    const staff = token("unit-staff", "04252");
    await register(staff, { beneficiaryId });
    // When
    const read = await call("GET", `/v1/beneficiaries/${beneficiaryId}`, staff);
    // Then
    expect(read.status).toBe(400);
    expect(((await read.json()) as { issues: unknown }).issues).toEqual([
      { path: "purpose", message: "is required", code: "required" },
    ]);
  });

  it("answers CORS on staff routes for the web app's origin alone", async () => {
    // Given
    const staff = token("unit-staff", "04252");
    // When
    const preflight = await fetch(`${local.stack.url}/v1/beneficiaries`, {
      method: "OPTIONS",
      headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" },
    });
    const fromApp = await fetch(`${local.stack.url}/v1/beneficiaries/${randomUUID()}?purpose=case-review`, {
      headers: { authorization: `Bearer ${staff}`, origin: "http://localhost:5173" },
    });
    const fromElsewhere = await fetch(
      `${local.stack.url}/v1/beneficiaries/${randomUUID()}?purpose=case-review`,
      {
        headers: { authorization: `Bearer ${staff}`, origin: "https://evil.example" },
      },
    );
    // Then
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("authorization");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("DELETE");
    expect(fromApp.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(fromElsewhere.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("reads data only for a purpose the person consented to", async () => {
    // Given: the child consented to support administration only, the guardian to payment as well
    const beneficiaryId = randomUUID();
    const staff = token("unit-staff", "04252");
    const consent = {
      guardian: { givenAt: "2026-09-10T08:00:00+07:00", purposes: ["support-administration", "payment"] },
      subject: { givenAt: "2026-09-10T08:05:00+07:00", purposes: ["support-administration"] },
    };
    await register(staff, { beneficiaryId, consent });
    // When
    const forPayment = await call("GET", `/v1/beneficiaries/${beneficiaryId}?purpose=support-payment`, staff);
    const forReview = await call("GET", `/v1/beneficiaries/${beneficiaryId}?purpose=case-review`, staff);
    // Then
    expect(forPayment.status).toBe(403);
    expect(((await forPayment.json()) as { error: string }).error).toBe("purpose_not_consented");
    expect(forReview.status).toBe(200);
  });
});
