import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eventually } from "../helpers/eventually.ts";
import { useLocalProduct } from "../helpers/local-product.ts";

/**
 * The staff and public read routes as a careless phone, a retrying script and an attacker use them, against
 * the whole local product: every odd request is a 4xx in the project's issue format, never a 500.
 */
const local = useLocalProduct();
const { token } = local;

const call = async (method: string, path: string, bearer?: string, body?: string) => {
  const response = await fetch(`${local.stack.url}${path}`, {
    method,
    headers: {
      ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body }),
  });
  return { status: response.status, text: await response.text() };
};

/** A 4xx in the project's issue format that says nothing of the code behind it. */
const expectClearRefusal = (answer: { status: number; text: string }, path?: string) => {
  expect(answer.status, answer.text).toBeGreaterThanOrEqual(400);
  expect(answer.status, answer.text).toBeLessThan(500);
  const body = JSON.parse(answer.text) as { error: string; message: string; issues?: { path: string }[] };
  expect(body.error).toMatch(/^[a-z_]+$/);
  expect(typeof body.message).toBe("string");
  if (path !== undefined) expect(body.issues?.map((i) => i.path)).toContain(path);
  expect(answer.text).not.toMatch(/Exception|node_modules|\.ts:\d|byUnitAndTime|\bat async\b/);
};

const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
const FROM = "2026-01-01T00:00:00+07:00";
const TO = "2027-01-01T00:00:00+07:00";

describe("the audit trail's page cursor", () => {
  it("is a 400 naming cursor, never a 500 nor another unit's page, whatever a caller puts in it (property)", async () => {
    // Given: cursors as a tampering caller writes them: keys of DynamoDB's shape with empty, out-of-window or
    // other units' values, and plain garbage
    const at = fc.oneof(
      fc.constantFrom("", "1999-01-01T00:00:00+07:00", "2030-01-01T00:00:00+07:00", "x", FROM, TO),
      fc
        .date({ min: new Date("2025-06-01"), max: new Date("2027-06-01"), noInvalidDate: true })
        .map((d) => d.toISOString().replace("Z", "+00:00")),
    );
    const keyed = fc.record({
      eventId: fc.oneof(fc.constant(""), fc.uuid(), fc.string({ maxLength: 20 })),
      auditAt: at,
      auditUnit: fc.constantFrom("04252", "15010", "04", ""),
    });
    const cursors = fc.oneof(
      keyed.map(cursorOf),
      fc.string({ maxLength: 200 }),
      fc.base64String({ maxLength: 200 }),
      fc.jsonValue().map(cursorOf),
    );
    const auditor = token("auditor");
    await fc.assert(
      fc.asyncProperty(cursors, async (cursor) => {
        // When
        const answer = await call(
          "GET",
          `/v1/audit?${new URLSearchParams({ unitCode: "04252", from: FROM, to: TO, cursor })}`,
          auditor,
        );
        // Then: only a key of this unit, inside the window, with an eventId, starts a page
        if (answer.status === 200) {
          const key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
          expect(key.auditUnit).toBe("04252");
          expect(key.eventId).not.toBe("");
          expect(key.auditAt >= FROM && key.auditAt <= TO).toBe(true);
        } else {
          expectClearRefusal(answer, "cursor");
          expect(answer.status).toBe(400);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("names the window in its answer to a cursor from a page of another window", async () => {
    // Given: a cursor such as a page of 2025 ended with
    const cursor = cursorOf({
      eventId: randomUUID(),
      auditAt: "2025-05-01T10:00:00+07:00",
      auditUnit: "04252",
    });
    // When: it is sent with a window of 2026
    const answer = await call(
      "GET",
      `/v1/audit?${new URLSearchParams({ unitCode: "04252", from: FROM, to: TO, cursor })}`,
      token("auditor"),
    );
    // Then
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text).issues).toEqual([
      { path: "cursor", message: "must be a cursor from a previous page of this unit and window" },
    ]);
  });
});

describe("the unit read routes' parameters", () => {
  const families = ["support", "assessments", "sponsorships"] as const;

  it("refuse a year that is not four ASCII digits, or a repeated year, naming year (property)", async () => {
    // Given: years as phones and scripts send them
    const odd = fc.oneof(
      fc.constantFrom(
        "2026.0",
        "02026",
        " 2026",
        "2026 ",
        "1e3",
        "２０２６",
        "٢٠٢٦",
        "+2026",
        "0x7EA",
        "",
        "2026\n",
      ),
      fc.bigInt({ min: 10n ** 4n, max: 10n ** 30n }).map(String),
      fc.string({ maxLength: 12 }).filter((s) => !/^\d{4}$/.test(s)),
      fc
        .tuple(fc.integer({ min: 2000, max: 2026 }), fc.integer({ min: 2000, max: 2026 }))
        .map(([a, b]) => `${a}&year=${b}`),
    );
    const admin = token("association-admin", "VN");
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...families), odd, async (family, year) => {
        // When: the year is sent as typed, repeats included
        const encoded = year.includes("&year=") ? year : encodeURIComponent(year);
        const answer = await call("GET", `/v1/units/04252/${family}?year=${encoded}`, admin);
        // Then
        expectClearRefusal(answer, "year");
        expect(answer.status).toBe(400);
      }),
      { numRuns: 40 },
    );
  });

  it("refuse an asOf other than historic or current, repeated ones included, naming asOf (property)", async () => {
    const odd = fc.oneof(
      fc.constantFrom("Current", "HISTORIC", "", "%00", "current%20", "historic&asOf=current"),
      fc
        .string({ maxLength: 12 })
        .filter((s) => s !== "historic" && s !== "current")
        .map(encodeURIComponent),
    );
    const admin = token("association-admin", "VN");
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...families), odd, async (family, asOf) => {
        const answer = await call("GET", `/v1/units/04252/${family}?year=2026&asOf=${asOf}`, admin);
        expectClearRefusal(answer, "asOf");
        expect(answer.status).toBe(400);
      }),
      { numRuns: 30 },
    );
  });

  it("refuse a unit code that is not ASCII VN or digits, on staff and public routes alike (property)", async () => {
    const odd = fc.oneof(
      fc.constantFrom("vn", "Vn", "０４２５２", "٠٤٢٥٢", "04252%00", "04%2F252", "%20", "9".repeat(3000)),
      fc
        .string({ minLength: 1, maxLength: 12 })
        .filter((s) => !/^(VN|\d{2}|\d{3}|\d{5})$/.test(s) && s !== "."),
    );
    const admin = token("association-admin", "VN");
    await fc.assert(
      fc.asyncProperty(fc.boolean(), odd, async (isPublic, code) => {
        const encoded = code.includes("%") ? code : encodeURIComponent(code);
        const answer = isPublic
          ? await call("GET", `/v1/public/units/${encoded}/support?year=2026`)
          : await call("GET", `/v1/units/${encoded}/support?year=2026`, admin);
        expectClearRefusal(answer);
      }),
      { numRuns: 40 },
    );
  });
});

describe("a token scoped to another commune", () => {
  it("reads no other unit's figures, trail or reports: always a 403 (property)", async () => {
    // Given: commune staff, and a unit that is not their commune (another commune, a province, the nation)
    const communes = ["04252", "00004", "00070", "00082"];
    const pairs = fc
      .tuple(fc.constantFrom(...communes), fc.constantFrom(...communes, "01", "15", "VN"))
      .filter(([own, other]) => own !== other);
    const route = fc.constantFrom(
      (code: string) => `/v1/units/${code}/support?year=2026`,
      (code: string) => `/v1/units/${code}/assessments?year=2026&asOf=historic`,
      (code: string) => `/v1/units/${code}/sponsorships`,
      (code: string) =>
        `/v1/audit?unitCode=${code}&from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}`,
      (code: string) => `/v1/reports?unit=${code}`,
    );
    await fc.assert(
      fc.asyncProperty(pairs, route, async ([own, other], path) => {
        // When
        const answer = await call("GET", path(other), token("unit-staff", own));
        // Then: refused for the scope (the trail has no national view: VN is not a unitCode there)
        expectClearRefusal(answer);
        const notAUnitCode = path(other).startsWith("/v1/audit") && other === "VN";
        expect(answer.status, answer.text).toBe(notAUnitCode ? 400 : 403);
      }),
      { numRuns: 40 },
    );
  });
});

describe("the audit and report routes' other parameters", () => {
  it("refuses a repeated unitCode rather than reading one of the two", async () => {
    // Given: an admin of province 04 naming its commune and another province's
    const admin = token("association-admin", "04");
    // When
    const answer = await call(
      "GET",
      `/v1/audit?unitCode=04252&unitCode=15010&from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}`,
      admin,
    );
    // Then
    expectClearRefusal(answer, "unitCode");
  });

  it("refuse a page limit that is not plain digits from 1 to the route's most, naming limit (property)", async () => {
    // Given: limits as scripts write them, on the audit trail (at most 100) and the reports list (200)
    const routes = [
      {
        max: 100,
        path: `/v1/audit?unitCode=04252&from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}`,
        bearer: token("auditor"),
      },
      { max: 200, path: "/v1/reports?unit=04252", bearer: token("reporter", "VN") },
    ] as const;
    const odd = (max: number) =>
      fc.oneof(
        fc.constantFrom("1e1", "0x10", " 5", "5 ", "", " ", "0", "-1", "5.0", "+5", "５", String(max + 1)),
        fc.integer({ min: max + 1, max: 10 ** 9 }).map(String),
        fc.string({ maxLength: 6 }).filter((s) => !/^\d{1,3}$/.test(s)),
      );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes).chain((route) => fc.tuple(fc.constant(route), odd(route.max))),
        async ([route, limit]) => {
          // When
          const answer = await call("GET", `${route.path}&limit=${encodeURIComponent(limit)}`, route.bearer);
          // Then
          expectClearRefusal(answer, "limit");
          expect(answer.text).toContain(`from 1 to ${route.max}`);
        },
      ),
      { numRuns: 40 },
    );
    // And a plain limit within the range is a page
    for (const route of routes)
      expect((await call("GET", `${route.path}&limit=${route.max}`, route.bearer)).status).toBe(200);
  });
});

const example = JSON.parse(readFileSync("events/examples/beneficiary-registration.json", "utf8"));
const ledgerSize = async () =>
  (await local.ddb.send(new ScanCommand({ TableName: local.stack.resources.ledgerTable, Select: "COUNT" })))
    .Count ?? 0;

describe("deeply nested bodies", () => {
  it("are a 400 malformed_json on the public door and every staff command, not a 500 (property)", async () => {
    // Given: arrays or objects nested past any request's depth, in bodies of at most 10 KB (every door's limit)
    const nested = fc.oneof(
      fc.integer({ min: 40, max: 5_000 }).map((depth) => `${"[".repeat(depth)}${"]".repeat(depth)}`),
      fc.integer({ min: 40, max: 1_600 }).map((depth) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`),
    );
    const route = fc.constantFrom(
      "/v1/donations",
      "/v1/beneficiaries",
      "/v1/support",
      "/v1/campaigns",
      "/v1/receipts/cash",
      `/v1/payments/${randomUUID()}/match`,
    );
    const admin = token("association-admin", "VN");
    await fc.assert(
      fc.asyncProperty(route, nested, async (path, body) => {
        // When
        const answer = await call("POST", path, path === "/v1/donations" ? undefined : admin, body);
        // Then
        expectClearRefusal(answer);
        expect(JSON.parse(answer.text)).toMatchObject({ error: "malformed_json" });
      }),
      { numRuns: 30 },
    );
  });
});

describe("bodies naming a field twice", () => {
  const cash = JSON.parse(readFileSync("events/examples/cash-received.json", "utf8"));
  const pledge = JSON.parse(readFileSync("events/examples/donation-form.json", "utf8"));

  it("are a 400 malformed_json naming the field, nothing recorded, however the name is written (property)", async () => {
    // Given: a valid body with one of its fields written again, maybe escaped, at the top or inside a nested object
    const cases = fc.oneof(
      fc.record({
        path: fc.constant("/v1/receipts/cash"),
        body: fc.constant({ ...cash }),
        name: fc.constantFrom(...Object.keys(cash)),
      }),
      fc.record({
        path: fc.constant("/v1/donations"),
        body: fc.constant({ ...pledge }),
        name: fc.constantFrom(...Object.keys(pledge)),
      }),
    );
    const admin = token("association-admin", "VN");
    const before = await ledgerSize();
    await fc.assert(
      fc.asyncProperty(cases, fc.boolean(), fc.boolean(), async ({ path, body, name }, escaped, nested) => {
        const fresh = path === "/v1/donations" ? { eventId: randomUUID() } : { receiptId: randomUUID() };
        const written = escaped
          ? JSON.stringify(name).replace(/[a-z]/, (c) => `\\u00${c.charCodeAt(0).toString(16)}`)
          : JSON.stringify(name);
        const text = nested
          ? JSON.stringify({ ...body, ...fresh, extra: { [name]: 1 } }).replace(/\}\}$/, `,${written}:2}}`)
          : JSON.stringify({ ...body, ...fresh }).replace(
              /\}$/,
              `,${written}:${JSON.stringify(body[name])}}`,
            );
        // When
        const answer = await call("POST", path, path === "/v1/donations" ? undefined : admin, text);
        // Then
        expectClearRefusal(answer);
        expect(JSON.parse(answer.text)).toMatchObject({ error: "malformed_json" });
        expect(JSON.parse(answer.text).message).toContain(JSON.stringify(name));
      }),
      { numRuns: 30 },
    );
    const good = await call(
      "POST",
      "/v1/receipts/cash",
      admin,
      JSON.stringify({ ...cash, receiptId: randomUUID() }),
    );
    expect(good.status, good.text).toBe(202);
    expect(await eventually(ledgerSize, (n) => n > before)).toBe(before + 1);
  });
});

describe("staff command bodies", () => {
  it("are refused with a 4xx and nothing recorded, however broken (property)", async () => {
    // Given: bodies a careless client or an attacker sends
    const bad = fc.oneof(
      fc.constantFrom(
        '{"a":1,"a":2}',
        '{"__proto__":{"admin":true}}',
        '{"constructor":{"prototype":{"x":1}}}',
        `${"[".repeat(5000)}${"]".repeat(5000)}`,
        "\uFEFF{}",
        "",
        "null",
        "[]",
        '"\\ud800"',
      ),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc
        .record({
          amountVnd: fc.oneof(fc.constant("1000"), fc.constant(1e21), fc.double(), fc.integer({ max: -1 })),
        })
        .map((o) => JSON.stringify({ unitCode: "04252", occurredAt: "2026-09-10T10:00:00", ...o })),
    );
    const route = fc.constantFrom(
      "/v1/beneficiaries",
      "/v1/support",
      "/v1/sponsorships",
      "/v1/campaigns",
      "/v1/receipts/cash",
      "/v1/receipts/goods",
      "/v1/assessments/registrations",
    );
    const admin = token("association-admin", "VN");
    const before = await ledgerSize();
    await fc.assert(
      fc.asyncProperty(route, bad, async (path, body) => {
        const answer = await call("POST", path, admin, body);
        expectClearRefusal(answer);
      }),
      { numRuns: 60 },
    );
    // Then: one good registration afterwards is the only event the queue brings to the ledger
    const good = await call(
      "POST",
      "/v1/beneficiaries",
      admin,
      JSON.stringify({ ...example, beneficiaryId: randomUUID() }),
    );
    expect(good.status).toBe(202);
    expect(await eventually(ledgerSize, (n) => n > before)).toBe(before + 1);
  });

  it("of the same id raced with two bodies store exactly one (property)", async () => {
    const admin = token("association-admin", "VN");
    await fc.assert(
      fc.asyncProperty(
        fc.uuid(),
        fc.constantFrom("Trường A", "Trường B"),
        async (beneficiaryId, otherSchool) => {
          // Given: two registrations of one id that differ
          const before = await ledgerSize();
          const one = JSON.stringify({ ...example, beneficiaryId });
          const two = JSON.stringify({
            ...example,
            beneficiaryId,
            school: `${example.school} ${otherSchool}`,
          });
          // When: both are sent at once
          const answers = await Promise.all([
            call("POST", "/v1/beneficiaries", admin, one),
            call("POST", "/v1/beneficiaries", admin, two),
          ]);
          // Then: one is taken, and the ledger holds one event more
          const statuses = answers.map((a) => a.status).sort();
          expect(statuses.filter((s) => s === 202).length, JSON.stringify(answers)).toBeGreaterThanOrEqual(1);
          for (const a of answers) if (a.status !== 202) expectClearRefusal(a);
          expect(await eventually(ledgerSize, (n) => n > before)).toBe(before + 1);
        },
      ),
      { numRuns: 4 },
    );
  });
});
