import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ForbiddenRole, ForbiddenScope } from "#domain/auth-errors.ts";
import { ValidationFailed } from "#domain/errors.ts";
import type { Principal, Role } from "#domain/principal.ts";
import { UnitNotFound } from "#domain/unit-errors.ts";
import { isWithin } from "#functions/shared/units.ts";
import { type Family, FIRST_YEAR, staffFiguresOf, unitQueryOf } from "#functions/unit-figures/query.ts";
import { authorizeRead } from "#functions/unit-figures/staff.ts";

const TODAY = "2026-11-28";

/** What a query throws, or undefined when it is accepted. */
const refusal = (family: Family, code: string, query: Record<string, string>) => {
  try {
    unitQueryOf(family, { code }, query, TODAY);
    return undefined;
  } catch (error) {
    return error;
  }
};

const principal = (role: Role, scope: string): Principal => ({ subject: "s-1", role, scope });

describe("a unit query's parameters", () => {
  it("given a year and a view, when read, then it plans the partition of that unit, year and view", () => {
    // When
    const query = unitQueryOf("support", { code: "15" }, { year: "2019", asOf: "historic" }, TODAY);
    // Then
    expect(query).toMatchObject({
      family: "support",
      asOf: "historic",
      year: 2019,
      plan: { partition: "sup#15@0001-01-01#2019", unit: { name: "Tỉnh Yên Bái" } },
    });
  });

  it("given no asOf, when read, then the units of today answer", () => {
    // When
    const query = unitQueryOf("assessments", { code: "15" }, { year: "2019" }, TODAY);
    // Then
    expect(query.asOf).toBe("current");
    expect(query.plan.unit.name).toBe("Tỉnh Lào Cai");
  });

  it.each([
    ["support", "15", {}, "year", "required"],
    ["assessments", "15", { year: "19" }, "year", "invalid_format"],
    ["support", "15", { year: "2027" }, "year", "too_large"],
    ["support", "15", { year: "1999" }, "year", "too_small"],
    ["sponsorships", "15", { asOf: "today" }, "asOf", "invalid_value"],
    ["support", "4252", { year: "2026" }, "code", "invalid_format"],
    ["support", "vn", { year: "2026" }, "code", "invalid_format"],
  ] as const)("given %s of %s with %o, then a 400 names %s (%s)", (family, code, query, path, issue) => {
    // When
    const error = refusal(family, code, query);
    // Then
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues).toEqual([expect.objectContaining({ path, code: issue })]);
  });

  it("given any year text, then it is accepted exactly when it is a year from the first to this one", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer({ min: 0, max: 9999 }).map(String)), (year) => {
        // When
        const error = refusal("support", "VN", { year });
        // Then
        const valid = /^\d{4}$/.test(year) && Number(year) >= FIRST_YEAR && Number(year) <= 2026;
        if (valid) expect(error).toBeUndefined();
        else expect((error as ValidationFailed).issues.map((i) => i.path)).toEqual(["year"]);
      }),
    );
  });

  it("given a sponsorship read without a year, then it is accepted", () => {
    expect(unitQueryOf("sponsorships", { code: "04252" }, {}, TODAY).plan.partition).toBe(
      "spo#04252@2025-07-01",
    );
  });

  it.each([
    ["a district today", "137", { year: "2019" }, /districts were abolished on 2025-07-01/],
    ["a district after the reform", "137", { year: "2026", asOf: "historic" }, /in 2026; districts/],
    ["a code never used", "99999", { year: "2026" }, /no administrative unit had code 99999 today/],
    ["a new commune before it existed", "00001", { year: "2026" }, /00001 today/],
  ])("given %s, then a 404 unit_not_found names the code", (_name, code, query, message) => {
    // When
    const error = refusal("support", code, query);
    // Then
    expect(error).toBeInstanceOf(UnitNotFound);
    expect((error as UnitNotFound).code).toBe("unit_not_found");
    expect((error as UnitNotFound).message).toMatch(message);
    expect((error as UnitNotFound).issues).toEqual([expect.objectContaining({ path: "code" })]);
  });

  it("given an empty partition, then every family reads as zeros, not as a missing unit", () => {
    // When
    const support = staffFiguresOf(
      unitQueryOf("support", { code: "VN" }, { year: "2026" }, TODAY),
      new Map(),
    );
    const assessments = staffFiguresOf(
      unitQueryOf("assessments", { code: "04252" }, { year: "2026" }, TODAY),
      new Map(),
    );
    const sponsorships = staffFiguresOf(unitQueryOf("sponsorships", { code: "15" }, {}, TODAY), new Map());
    // Then
    expect(support).toMatchObject({
      asOf: "current",
      unit: { code: "VN" },
      luot: 0,
      people: 0,
      byReason: {},
    });
    expect(assessments).toMatchObject({ year: 2026, byKind: [] });
    expect(sponsorships).toMatchObject({ started: 0, active: 0, teachers: 0, students: 0 });
  });
});

describe("who may read a unit's figures", () => {
  const plan = (code: string, query: Record<string, string>) =>
    unitQueryOf("support", { code }, query, TODAY).plan;
  const allowed = (who: Principal, code: string, query: Record<string, string>) => {
    try {
      authorizeRead(who, plan(code, query), isWithin);
      return "allowed";
    } catch (error) {
      if (error instanceof ForbiddenScope) return "forbidden_scope";
      if (error instanceof ForbiddenRole) return "forbidden_role";
      throw error;
    }
  };

  it.each([
    ["an auditor", principal("auditor", "VN"), "VN", { year: "2026" }, "allowed"],
    ["the reporter", principal("reporter", "VN"), "04480", { year: "2019", asOf: "historic" }, "allowed"],
    [
      "Lào Cai's admin",
      principal("association-admin", "15"),
      "15",
      { year: "2019", asOf: "historic" },
      "allowed",
    ],
    [
      "Lào Cai's admin",
      principal("association-admin", "15"),
      "10",
      { year: "2019", asOf: "historic" },
      "allowed",
    ],
    [
      "Lào Cai's admin",
      principal("association-admin", "15"),
      "137",
      { year: "2019", asOf: "historic" },
      "allowed",
    ],
    ["Lào Cai's admin", principal("association-admin", "15"), "VN", { year: "2019" }, "forbidden_scope"],
    [
      "Hà Nội's admin",
      principal("association-admin", "01"),
      "15",
      { year: "2019", asOf: "historic" },
      "forbidden_scope",
    ],
    [
      "Tú Lệ's staff",
      principal("unit-staff", "04630"),
      "04480",
      { year: "2019", asOf: "historic" },
      "allowed",
    ],
    [
      "Tú Lệ's staff",
      principal("unit-staff", "04630"),
      "137",
      { year: "2019", asOf: "historic" },
      "forbidden_scope",
    ],
    ["Tú Lệ's staff", principal("unit-staff", "04630"), "15", { year: "2026" }, "forbidden_scope"],
    // 00004 was Phường Trúc Bạch: the data places it in Hà Nội, not in today's Phường Ba Đình (00004)
    [
      "Ba Đình's staff",
      principal("unit-staff", "00004"),
      "00004",
      { year: "2019", asOf: "historic" },
      "forbidden_scope",
    ],
    ["Ba Đình's staff", principal("unit-staff", "00004"), "00004", { year: "2026" }, "allowed"],
  ] as const)("given %s scoped to %o, when reading %s %o, then %s", (_who, who, code, query, expected) => {
    expect(allowed(who, code, query)).toBe(expected);
  });
});
