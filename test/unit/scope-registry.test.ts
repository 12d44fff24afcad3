import { describe, expect, it } from "vitest";
import { decide } from "#domain/permissions.ts";
import type { Principal } from "#domain/principal.ts";
import { isWithin } from "#functions/shared/units.ts";

/**
 * The scope check as the staff handlers run it: over the real unit registry, with the scope held in
 * today's units and the event's unit read on the event's date.
 */
const admin = (scope: string): Principal => ({ subject: "a-1", role: "association-admin", scope });
const staff = (scope: string): Principal => ({ subject: "s-1", role: "unit-staff", scope });

describe("scope over the real unit registry", () => {
  it.each([
    // [who, unit, date, expected]
    ["Lào Cai (15) admin", admin("15"), "02647", "2026-09-05", "allowed"], // Phường Lào Cai, 2025 units
    ["Lào Cai (15) admin", admin("15"), "04480", "2018-05-01", "allowed"], // Xã Cao Phạ, old Yên Bái
    ["Lào Cai (15) admin", admin("15"), "02635", "2018-05-01", "allowed"], // Phường Duyên Hải, old Lào Cai
    ["Lào Cai (15) admin", admin("15"), "00004", "2026-09-05", "forbidden_scope"], // Phường Ba Đình, Hà Nội
    ["Hà Nội (01) admin", admin("01"), "04480", "2018-05-01", "forbidden_scope"],
    ["national admin", admin("VN"), "00004", "2026-09-05", "allowed"],
    ["staff of 02647", staff("02647"), "02671", "2026-09-05", "forbidden_scope"], // another commune
    ["staff of 02647", staff("02647"), "02647", "2026-09-05", "allowed"],
  ] as const)("given %s, when acting on unit %s on %s, then it is %s", (_, who, unit, date, expected) => {
    // Act
    const decision = decide(who, "register-beneficiary", unit, date, isWithin);
    // Assess
    expect(decision).toBe(expected);
  });
});
