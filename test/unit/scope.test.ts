import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decide } from "#domain/permissions.ts";
import { type Principal, principalFromClaims } from "#domain/principal.ts";
import { type IsWithin, inScope } from "#domain/scope.ts";
import { rollsUpInto } from "#domain/units.ts";

/** A tiny unit tree: province 04 holds two communes; 15 took in a commune from 13 on 1 July 2025. */
const tree: Record<string, { province: string; from?: string; to?: string }[]> = {
  "04252": [{ province: "04" }],
  "04255": [{ province: "04" }],
  "15010": [
    { province: "13", to: "2025-06-30" },
    { province: "15", from: "2025-07-01" },
  ],
};
/** Every code names one unit at all times here, so a unit lies within itself (the registry decides for real). */
const isWithin: IsWithin = (scope, unit, onDate) =>
  scope === unit ||
  (tree[unit] ?? []).some(
    (p) => p.province === scope && (p.from ?? "0000") <= onDate && onDate <= (p.to ?? "9999"),
  );

const staff = (scope: string): Principal => ({ subject: "s-1", role: "unit-staff", scope });
const admin = (scope: string): Principal => ({ subject: "a-1", role: "association-admin", scope });

describe("inScope over the unit tree", () => {
  it.each([
    ["VN", "04252", true],
    ["VN", "15", true],
    ["04", "04252", true],
    ["04", "04255", true],
    ["04", "15010", false],
    ["04252", "04252", true],
    ["04252", "04255", false],
    ["04252", "04", false],
  ] as const)("scope %s on unit %s is %s", (scope, unit, expected) => {
    // Act
    const result = inScope(scope, unit, "2026-09-05", isWithin);
    // Assess
    expect(result).toBe(expected);
  });

  it("follows a commune to its new province on the date of the event", () => {
    // Assess
    expect(inScope("13", "15010", "2025-06-30", isWithin)).toBe(true);
    expect(inScope("13", "15010", "2025-07-01", isWithin)).toBe(false);
    expect(inScope("15", "15010", "2025-07-01", isWithin)).toBe(true);
  });

  it("never asks the registry whether a commune contains a province", () => {
    // Prepare
    const asked: string[] = [];
    const spy: IsWithin = (scope, unit) => {
      asked.push(`${scope}>${unit}`);
      return true;
    };
    // Act
    const result = inScope("04252", "04", "2026-09-05", spy);
    // Assess
    expect(result).toBe(false);
    expect(asked).toEqual([]);
  });

  it("given a code the 2025 reform reused, when its staff act on its past, then the registry says no", () => {
    // Given commune 00004: Phường Trúc Bạch until 30 June 2025, Phường Ba Đình since (the real registry)
    // When / Then: Ba Đình's staff act on Ba Đình, not on Trúc Bạch's 2018
    expect(inScope("00004", "00004", "2026-09-05", rollsUpInto)).toBe(true);
    expect(inScope("00004", "00004", "2018-09-05", rollsUpInto)).toBe(false);
    // …while a province that took in another keeps its past: Lào Cai (15) holds old Yên Bái (15) of 2018
    expect(inScope("15", "15", "2018-09-05", rollsUpInto)).toBe(true);
  });

  it("a commune scope covers exactly its own commune (property)", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{5}$/), fc.stringMatching(/^\d{2}(\d{3})?$/), (scope, unit) => {
        expect(inScope(scope, unit, "2026-09-05", isWithin)).toBe(scope === unit);
      }),
    );
  });
});

describe("decide: role first, then scope", () => {
  it("lets commune staff register in their commune only", () => {
    // Assess
    expect(decide(staff("04252"), "register-beneficiary", "04252", "2026-09-05", isWithin)).toBe("allowed");
    expect(decide(staff("04252"), "register-beneficiary", "04255", "2026-09-05", isWithin)).toBe(
      "forbidden_scope",
    );
  });

  it("lets a province admin act on its communes, not on another province's", () => {
    // Assess
    expect(decide(admin("04"), "erase-personal-data", "04255", "2026-09-05", isWithin)).toBe("allowed");
    expect(decide(admin("04"), "erase-personal-data", "15010", "2026-09-05", isWithin)).toBe(
      "forbidden_scope",
    );
  });

  it("never lets an auditor or the reporter read personal data, nor staff erase it", () => {
    // Prepare
    const auditor: Principal = { subject: "x", role: "auditor", scope: "VN" };
    const reporter: Principal = { subject: "r", role: "reporter", scope: "VN" };
    // Assess
    expect(decide(auditor, "read-personal-data", "04252", "2026-09-05", isWithin)).toBe("forbidden_role");
    expect(decide(reporter, "read-personal-data", "04252", "2026-09-05", isWithin)).toBe("forbidden_role");
    expect(decide(staff("04252"), "erase-personal-data", "04252", "2026-09-05", isWithin)).toBe(
      "forbidden_role",
    );
    expect(decide(auditor, "read-audit", "04252", "2026-09-05", isWithin)).toBe("allowed");
  });
});

describe("principalFromClaims", () => {
  it("reads subject, role and unit from Cognito-shaped claims", () => {
    // Act
    const principal = principalFromClaims({
      sub: "u-1",
      "cognito:groups": ["unit-staff"],
      "custom:unit": "04252",
    });
    // Assess
    expect(principal).toEqual({ subject: "u-1", role: "unit-staff", scope: "04252" });
  });

  it("scopes auditors and the reporter to the nation", () => {
    // Assess
    expect(principalFromClaims({ sub: "a", "cognito:groups": ["auditor"] })?.scope).toBe("VN");
    expect(principalFromClaims({ sub: "r", "cognito:groups": ["reporter"] })?.scope).toBe("VN");
  });

  it.each([
    ["no role", { sub: "u", "cognito:groups": [] }],
    ["an unknown role", { sub: "u", "cognito:groups": ["root"], "custom:unit": "VN" }],
    ["two roles", { sub: "u", "cognito:groups": ["auditor", "unit-staff"], "custom:unit": "04252" }],
    ["staff scoped to a province", { sub: "u", "cognito:groups": ["unit-staff"], "custom:unit": "04" }],
    ["staff with no unit", { sub: "u", "cognito:groups": ["unit-staff"] }],
    ["an admin of a commune", { sub: "u", "cognito:groups": ["association-admin"], "custom:unit": "04252" }],
    ["an auditor of a province", { sub: "u", "cognito:groups": ["auditor"], "custom:unit": "04" }],
    ["no subject", { "cognito:groups": ["auditor"] }],
  ])("describes nobody given %s", (_what, claims) => {
    // Assess
    expect(principalFromClaims(claims)).toBeUndefined();
  });
});
