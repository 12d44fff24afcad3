import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { eventually } from "../helpers/eventually.ts";
import { useLocalProduct } from "../helpers/local-product.ts";

/** The whole local product with its own token issuer: events go in through the POST routes, figures come out. */
const local = useLocalProduct();
const { token } = local;

const call = (method: string, path: string, bearer?: string, body?: unknown) =>
  fetch(`${local.stack.url}${path}`, {
    method,
    headers: {
      ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
/** What the tests look into of a figures body; the rest is matched as it comes. */
interface Figures {
  readonly luot?: number;
  readonly byKind?: readonly { readonly registered: number; readonly recognised: number }[];
}
const read = async (path: string, bearer?: string) => {
  const response = await call("GET", path, bearer);
  return { status: response.status, headers: response.headers, body: (await response.json()) as Figures };
};

const grantExample = JSON.parse(readFileSync("events/examples/support-granted.json", "utf8"));
const registrationExample = JSON.parse(readFileSync("events/examples/assessment-registered.json", "utf8"));
const resultExample = JSON.parse(readFileSync("events/examples/assessment-recorded.json", "utf8"));

const staffRoutes = ["support?year=2026", "assessments?year=2026", "sponsorships"];

describe("reading a unit's figures: who may, and what a bad request hears", () => {
  it.each(staffRoutes)("given no token, when /v1/units/04252/%s is read, then 401", async (route) => {
    // When
    const { status, body } = await read(`/v1/units/04252/${route}`);
    // Then
    expect(status).toBe(401);
    expect(body).toMatchObject({ error: "invalid_token" });
  });

  it.each(staffRoutes)(
    "given commune staff, when they read their commune's %s with nothing recorded, then zeros, never cached",
    async (route) => {
      // When
      const { status, headers, body } = await read(`/v1/units/04252/${route}`, token("unit-staff", "04252"));
      // Then
      expect(status).toBe(200);
      expect(headers.get("cache-control")).toBe("no-store");
      expect(body).toMatchObject({
        asOf: "current",
        unit: { code: "04252", name: "Phường Yên Bái", level: "commune" },
      });
      if (route.startsWith("support"))
        expect(body).toMatchObject({ year: 2026, luot: 0, people: 0, moneyVnd: 0 });
      if (route.startsWith("assessments")) expect(body).toMatchObject({ year: 2026, byKind: [] });
      if (route.startsWith("sponsorships")) expect(body).toMatchObject({ started: 0, active: 0 });
    },
  );

  it.each([
    ["its province", "/v1/units/15/support?year=2026"],
    ["the nation", "/v1/units/VN/assessments?year=2026"],
    ["another commune", "/v1/units/04630/sponsorships"],
  ])("given commune staff, when they read %s, then 403 forbidden_scope", async (_what, path) => {
    // When
    const { status, body } = await read(path, token("unit-staff", "04252"));
    // Then
    expect(status).toBe(403);
    expect(body).toMatchObject({ error: "forbidden_scope" });
  });

  it.each([
    ["year", "/v1/units/15/support?year=twenty"],
    ["year", "/v1/units/15/assessments"],
    ["asOf", "/v1/units/15/sponsorships?asOf=yesterday"],
    ["code", "/v1/units/1a/support?year=2026"],
  ])("given a bad %s, when read, then 400 naming it", async (parameter, path) => {
    // When
    const { status, body } = await read(path, token("auditor"));
    // Then
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: "validation_failed", issues: [{ path: parameter }] });
  });

  it("given a district, when read in today's units, then 404 unit_not_found saying how to read it", async () => {
    // When
    const { status, body } = await read("/v1/units/137/support?year=2019", token("auditor"));
    // Then
    expect(status).toBe(404);
    expect(body).toMatchObject({ error: "unit_not_found", message: expect.stringMatching(/asOf=historic/) });
  });

  it("given no sign-in, when the public reads a unit's support, then aggregates with people withheld", async () => {
    // When
    const { status, headers, body } = await read("/v1/public/units/04252/support?year=2026");
    // Then
    expect(status).toBe(200);
    expect(headers.get("access-control-allow-origin")).toBe("*");
    expect(body).toEqual({
      asOf: "current",
      unit: { code: "04252", name: "Phường Yên Bái", level: "commune" },
      year: 2026,
      luot: 0,
      moneyVnd: 0,
      inKindVnd: 0,
      people: { count: null, suppressed: true },
      luotByBeneficiaryKind: { cells: [], total: { count: null, suppressed: true } },
    });
  });

  it("given a bad year, when the public reads, then 400 naming it", async () => {
    // When
    const { status, body } = await read("/v1/public/units/VN/support?year=3000");
    // Then
    expect(status).toBe(400);
    expect(body).toMatchObject({ issues: [{ path: "year", code: "too_large" }] });
  });
});

describe("a Yên Bái commune of 2019, read in its time and in today's units", () => {
  it("given lượt and assessments posted in old Yên Bái and old Lào Cai, when read, then each view sums its own units", async () => {
    // Given: Lào Cai's association posts, for 2019, three lượt to two students in Xã Cao Phạ (04480, Huyện
    // Mù Căng Chải, Tỉnh Yên Bái) and one in Phường Duyên Hải (02635, old Tỉnh Lào Cai)
    const admin = token("association-admin", "15");
    const [lan, minh, hoa] = [randomUUID(), randomUUID(), randomUUID()];
    const grant = (unitCode: string, beneficiaryId: string) => ({
      ...grantExample,
      supportId: randomUUID(),
      recipient: { type: "beneficiary", beneficiaryId, beneficiaryKind: "student" },
      occurredAt: "2019-09-05T09:00:00+07:00",
      unitCode,
    });
    const family = { kind: "learning-family", subjectId: randomUUID() };
    const posts = [
      call("POST", "/v1/support", admin, grant("04480", lan)),
      call("POST", "/v1/support", admin, grant("04480", lan)),
      call("POST", "/v1/support", admin, grant("04480", minh)),
      call("POST", "/v1/support", admin, grant("02635", hoa)),
      call("POST", "/v1/assessments/registrations", admin, {
        ...registrationExample,
        subject: family,
        year: 2019,
        occurredAt: "2019-03-02T10:00:00+07:00",
        unitCode: "04480",
      }),
      call("POST", "/v1/assessments/results", admin, {
        ...resultExample,
        subject: family,
        year: 2019,
        scheme: { id: "qd-281-2014", version: 1 },
        occurredAt: "2019-11-20T14:00:00+07:00",
        unitCode: "04480",
      }),
    ];
    expect((await Promise.all(posts)).map((r) => r.status)).toEqual([202, 202, 202, 202, 202, 202]);

    // When: each unit is read once the queue has carried every event to it
    const settled = async (path: string, luot: number, bearer = admin) =>
      (
        await eventually(
          () => read(path, bearer),
          (r) => r.body.luot === luot,
          10_000,
        )
      ).body;
    const assessed = (path: string) =>
      eventually(
        () => read(path, admin),
        (r) => r.body.byKind?.[0]?.recognised === 1 && r.body.byKind[0].registered === 1,
        10_000,
      );

    // Then: in the units of 2019, a commune, its district, its province and the nation
    expect(await settled("/v1/units/04480/support?year=2019&asOf=historic", 3)).toMatchObject({
      asOf: "historic",
      unit: { code: "04480", name: "Xã Cao Phạ", level: "commune" },
      year: 2019,
      luot: 3,
      people: 2,
      moneyVnd: 3_000_000,
      inKindVnd: 750_000,
      byReason: { "overcoming-hardship": { luot: 3, moneyVnd: 3_000_000, inKindVnd: 750_000 } },
      byBeneficiaryKind: { student: 3 },
      byMonth: { "09": { luot: 3, moneyVnd: 3_000_000, inKindVnd: 750_000 } },
    });
    expect(await settled("/v1/units/137/support?year=2019&asOf=historic", 3)).toMatchObject({
      unit: { name: "Huyện Mù Căng Chải", level: "district" },
      people: 2,
    });
    expect(await settled("/v1/units/15/support?year=2019&asOf=historic", 3)).toMatchObject({
      unit: { name: "Tỉnh Yên Bái", level: "province" },
      people: 2,
      target: { minLuot: 10_000, percent: 0 },
    });
    expect(await settled("/v1/units/10/support?year=2019&asOf=historic", 1)).toMatchObject({
      unit: { name: "Tỉnh Lào Cai" },
      people: 1,
    });
    expect(await settled("/v1/units/VN/support?year=2019&asOf=historic", 4, token("auditor"))).toMatchObject({
      unit: { code: "VN" },
      people: 3,
      moneyVnd: 4_000_000,
    });
    expect((await read("/v1/units/VN/support?year=2019&asOf=historic", admin)).status).toBe(403);
    expect((await assessed("/v1/units/137/assessments?year=2019&asOf=historic")).body.byKind).toEqual([
      expect.objectContaining({ kind: "learning-family", assessed: 1, ratePercent: 100, targetPercent: 70 }),
    ]);

    // Then: in today's units, Xã Cao Phạ is in Xã Tú Lệ, and both old provinces are in Lào Cai
    expect(await settled("/v1/units/04630/support?year=2019&asOf=current", 3)).toMatchObject({
      asOf: "current",
      unit: { name: "Xã Tú Lệ" },
      people: 2,
    });
    const laoCai = await settled("/v1/units/15/support?year=2019&asOf=current", 4);
    expect(laoCai).toMatchObject({ unit: { name: "Tỉnh Lào Cai" }, people: 3, moneyVnd: 4_000_000 });
    expect(laoCai).not.toHaveProperty("target");
    expect(await settled("/v1/units/VN/support?year=2019", 4, token("auditor"))).toMatchObject({ people: 3 });
    expect((await assessed("/v1/units/15/assessments?year=2019&asOf=current")).body.byKind).toHaveLength(1);

    // Then: the public reads the totals, and not that three people were supported
    expect(await settled("/v1/public/units/15/support?year=2019", 4)).toMatchObject({
      moneyVnd: 4_000_000,
      people: { count: null, suppressed: true },
      luotByBeneficiaryKind: { cells: [{ key: "student", count: null, suppressed: true }] },
    });
  });
});
