import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UnitNotInForce, UnitRetired, unitOrRefusal } from "#domain/unit-errors.ts";
import {
  createUnitRegistry,
  currentUnitsOf,
  dayOf,
  isWithin,
  LAST_DAY_BEFORE_2025,
  NATION,
  OPEN_START,
  REFORM_2025,
  rollsUpInto,
  rollUp,
  type Unit,
  unitOn,
  unitsOn,
  validateUnitOnDate,
} from "#domain/units.ts";

const codes = (units: readonly Unit[]) => units.map((u) => u.code);
const provinceOf = (code: string, date: string) =>
  rollUp(code, date, "historic").find((u) => u.level === "province");

/** Old Yên Bái (15) and old Lào Cai (10): the two provinces the seed's figures and today's Lào Cai span. */
const oldCommunesOf = (...provinces: string[]) =>
  unitsOn(LAST_DAY_BEFORE_2025, "commune").filter((c) =>
    provinces.includes(provinceOf(c.code, LAST_DAY_BEFORE_2025)?.code ?? ""),
  );

describe("the unit lists", () => {
  it("hold 34 provinces and 3,321 communes (2,621 xã, 687 phường, 13 đặc khu) from 1 July 2025", () => {
    // When
    const provinces = unitsOn(REFORM_2025, "province");
    const communes = unitsOn("2026-09-05", "commune");
    // Then
    expect(provinces).toHaveLength(34);
    expect(communes).toHaveLength(3321);
    expect(unitsOn(REFORM_2025, "district")).toHaveLength(0);
    const kinds = Object.groupBy(communes, (c) => c.name.split(" ")[0] as string);
    expect([kinds.Xã?.length, kinds.Phường?.length, kinds.Đặc?.length]).toEqual([2621, 687, 13]);
    expect(new Set(communes.map((c) => c.parent))).toEqual(new Set(codes(provinces)));
  });

  it("hold 63 provinces, 696 districts and 10,035 communes until 30 June 2025", () => {
    // When
    const [provinces, districts, communes] = (["province", "district", "commune"] as const).map((level) =>
      unitsOn(LAST_DAY_BEFORE_2025, level),
    );
    // Then
    expect([provinces?.length, districts?.length, communes?.length]).toEqual([63, 696, 10035]);
    expect(unitsOn("2018-06-01", "commune")).toEqual(communes);
  });

  it("has Yên Bái's nine districts of the seed's 2018 figures", () => {
    const yenBai = unitsOn("2018-06-01", "district").filter((d) => d.parent === "15");
    expect(yenBai.map((d) => d.name)).toEqual([
      "Thành phố Yên Bái",
      "Thị xã Nghĩa Lộ",
      "Huyện Lục Yên",
      "Huyện Văn Yên",
      "Huyện Mù Căng Chải",
      "Huyện Trấn Yên",
      "Huyện Trạm Tấu",
      "Huyện Văn Chấn",
      "Huyện Yên Bình",
    ]);
  });
});

describe("a code read on a day", () => {
  it("names the unit of that day when old and new units share the digits", () => {
    // Given province 15 and commune 04609, each naming two units
    // When / Then
    expect(unitOn("15", "2018-06-01")?.name).toBe("Tỉnh Yên Bái");
    expect(unitOn("15", REFORM_2025)?.name).toBe("Tỉnh Lào Cai");
    expect(unitOn("04609", LAST_DAY_BEFORE_2025)?.name).toBe("Xã Làng Nhì");
    expect(unitOn("04609", REFORM_2025)?.name).toBe("Xã Phình Hồ");
    expect(unitOn("04609", "2018-06-01")?.key).toBe(`04609@${OPEN_START}`);
    expect(unitOn("04609", "2026-01-01")?.key).toBe("04609@2025-07-01");
  });

  it("reads an instant on its day in Vietnam: 30 June 2025 18:00 UTC is already 1 July", () => {
    expect(unitOn("15", "2025-06-30T16:59:59Z")?.name).toBe("Tỉnh Yên Bái");
    expect(unitOn("15", "2025-06-30T17:00:00Z")?.name).toBe("Tỉnh Lào Cai");
    expect(unitOn("15", "2025-07-01T01:00:00+09:00")?.name).toBe("Tỉnh Yên Bái");
  });

  it.each(["2025-02-30", "yesterday", "2025-07-01T10:00:00", "", "2025-7-1"])(
    "refuses %j as a date",
    (date) => {
      expect(() => dayOf(date)).toThrow(RangeError);
    },
  );
});

describe("validating an event's unit on its date", () => {
  it("accepts a 2018 Yên Bái commune in 2018 and up to the last day before the reform", () => {
    // Given Xã Cao Phạ, Mù Căng Chải district, Yên Bái
    // When
    const in2018 = validateUnitOnDate("04480", "2018-05-12");
    const lastDay = validateUnitOnDate("04480", "2025-06-30T23:59:00+07:00");
    // Then
    expect(in2018).toMatchObject({ ok: true, unit: { name: "Xã Cao Phạ", parent: "137" } });
    expect(lastDay.ok).toBe(true);
  });

  it("refuses it after the reform, naming the commune of today that took it", () => {
    // When
    const check = validateUnitOnDate("04480", "2025-09-05");
    // Then
    expect(check).toMatchObject({
      ok: false,
      reason: "retired",
      retired: { name: "Xã Cao Phạ", validTo: "2025-06-30" },
      successors: [{ code: "04630", name: "Xã Tú Lệ", parent: "15" }],
    });
    expect(() => unitOrRefusal(check)).toThrow(UnitRetired);
    try {
      unitOrRefusal(check);
    } catch (error) {
      expect(error).toMatchObject({
        status: 422,
        code: "unit_retired",
        issues: [{ path: "unitCode", message: expect.stringContaining("04630 (Xã Tú Lệ)") }],
      });
    }
  });

  it("names the province of today for a retired commune whose commune mapping is not in the data", () => {
    // Given Phường Phúc Xá, Ba Đình, Hà Nội, merged in 2025 outside Lào Cai
    const check = validateUnitOnDate("00001", "2026-01-10");
    expect(check).toMatchObject({
      ok: false,
      reason: "retired",
      successors: [{ code: "01", level: "province" }],
    });
  });

  it("refuses a retired province naming the province that took it", () => {
    const check = validateUnitOnDate("10", REFORM_2025);
    expect(check).toMatchObject({
      ok: false,
      reason: "retired",
      successors: [{ code: "15", name: "Tỉnh Lào Cai" }],
    });
  });

  it("refuses a unit created by the reform on an earlier date, and an unknown code", () => {
    // Given Đặc khu Bạch Long Vĩ (2025; before, an island district without communes)
    const early = validateUnitOnDate("11948", "2024-12-01");
    const unknown = validateUnitOnDate("99999", "2024-12-01");
    expect(early).toMatchObject({ ok: false, reason: "not-yet-valid", later: { validFrom: REFORM_2025 } });
    expect(unknown).toMatchObject({ ok: false, reason: "unknown" });
    expect(() => unitOrRefusal(early)).toThrow(UnitNotInForce);
    expect(() => unitOrRefusal(unknown)).toThrow(/no administrative unit has code 99999 on 2024-12-01/);
  });

  it("accepts every 2025 commune on any day from the reform and every old one on any day before it", () => {
    const before = fc.date({ min: new Date("2000-01-01"), max: new Date("2025-06-30"), noInvalidDate: true });
    const after = fc.date({ min: new Date("2025-07-01"), max: new Date("2040-12-31"), noInvalidDate: true });
    const isoDay = (d: Date) => d.toISOString().slice(0, 10);
    const old = unitsOn(LAST_DAY_BEFORE_2025, "commune");
    const now = unitsOn(REFORM_2025, "commune");
    fc.assert(
      fc.property(fc.constantFrom(...old), before, (unit, day) => {
        expect(validateUnitOnDate(unit.code, isoDay(day))).toEqual({ ok: true, unit });
      }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...now), after, (unit, day) => {
        expect(validateUnitOnDate(unit.code, isoDay(day))).toEqual({ ok: true, unit });
      }),
    );
  });
});

describe("isWithin: a scope and a unit read on the same day", () => {
  it.each([
    ["VN", "04480", "2018-06-01", true],
    ["VN", "04630", "2026-06-01", true],
    ["15", "04480", "2018-06-01", true], // Yên Bái covers its commune
    ["137", "04480", "2018-06-01", true], // Mù Căng Chải district covers its commune
    ["137", "04483", "2018-06-01", true],
    ["139", "04480", "2018-06-01", false], // Trạm Tấu district does not
    ["04480", "04480", "2018-06-01", true], // a unit is within itself
    ["04480", "04483", "2018-06-01", false], // not within a sibling
    ["04480", "137", "2018-06-01", false], // nor a parent within its child
    ["14", "04480", "2018-06-01", false], // Sơn La does not cover a Yên Bái commune
    ["15", "04630", "2026-06-01", true], // today's Lào Cai covers Tú Lệ
    ["15", "02647", "2026-06-01", true], // and Phường Lào Cai
    ["15", "02647", "2018-06-01", false], // but 15 in 2018 is Yên Bái, and 02647 was Kim Tân of old Lào Cai
    ["10", "02647", "2018-06-01", true],
    ["10", "02647", "2026-06-01", false], // old Lào Cai is gone
    ["137", "04456", "2026-06-01", false], // districts are gone
    ["15", "04480", "2026-06-01", false], // Cao Phạ is gone
    ["15", "99999", "2018-06-01", false],
    ["99", "04480", "2018-06-01", false],
  ])("isWithin(%j, %j, %j) is %j", (scope, unit, day, expected) => {
    expect(isWithin(scope, unit, day)).toBe(expected);
  });

  it("holds for every unit of a random day against each unit of its chain, and VN", () => {
    const day = fc
      .date({ min: new Date("2010-01-01"), max: new Date("2035-12-31"), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, fc.nat(), (d, pick) => {
        // Given a commune in force on that day
        const communes = unitsOn(d, "commune");
        const commune = communes[pick % communes.length] as Unit;
        // When its chain of the time is read
        const chain = rollUp(commune.code, d, "historic");
        // Then each link is a scope over it, with a district only before the reform
        expect(chain.map((u) => u.level)).toEqual(
          d < REFORM_2025 ? ["commune", "district", "province", "nation"] : ["commune", "province", "nation"],
        );
        for (const scope of chain) expect(isWithin(scope.code, commune.code, d)).toBe(true);
      }),
    );
  });
});

describe("rollsUpInto: a scope of today over a unit of any day", () => {
  it.each([
    ["15", "02647", "2018-06-01", true], // Kim Tân of old Lào Cai is in today's Lào Cai
    ["15", "04480", "2018-06-01", true],
    ["04630", "04480", "2018-06-01", true], // Cao Phạ is in today's Tú Lệ
    ["04456", "04480", "2018-06-01", false],
    ["10", "02647", "2018-06-01", false], // old Lào Cai is no scope today
    ["01", "00001", "2018-06-01", true], // a Hà Nội ward rolls up to Hà Nội
    ["00001", "00001", "2018-06-01", false], // but its commune of today is not recorded
    ["VN", "00001", "2018-06-01", true],
  ])("rollsUpInto(%j, %j, %j) is %j", (scope, unit, day, expected) => {
    expect(rollsUpInto(scope, unit, day)).toBe(expected);
  });
});

describe("old units in today's units", () => {
  it("maps every old commune of Yên Bái and Lào Cai to one 2025 commune of the new Lào Cai", () => {
    // Given the 319 old communes of provinces 15 (Yên Bái) and 10 (Lào Cai)
    const old = oldCommunesOf("15", "10");
    expect(old).toHaveLength(319);
    // When each is mapped
    const mapped = old.map((c) => currentUnitsOf(c.code));
    // Then each lands, whole, in one commune of today's Lào Cai
    for (const m of mapped) {
      expect(m?.successors).toHaveLength(1);
      expect(m?.rollUpTo).toMatchObject({ level: "commune", parent: "15", validFrom: REFORM_2025 });
      expect(m?.rollUpTo).toBe(m?.successors[0]);
    }
    // And every one of the 99 communes of today's Lào Cai receives some
    const received = new Set(mapped.map((m) => m?.rollUpTo.code));
    expect(received).toEqual(
      new Set(codes(unitsOn(REFORM_2025, "commune").filter((c) => c.parent === "15"))),
    );
    expect(received.size).toBe(99);
  });

  it("reads the Lào Cai merger: Mù Căng Chải town, Mồ Dề, Chế Cu Nha and Kim Nọi into Xã Mù Cang Chải", () => {
    const into04456 = oldCommunesOf("15").filter((c) => currentUnitsOf(c.code)?.rollUpTo.code === "04456");
    expect(into04456.map((c) => c.name)).toEqual([
      "Thị trấn Mù Căng Chải",
      "Xã Mồ Dề",
      "Xã Chế Cu Nha",
      "Xã Kim Nọi",
    ]);
    expect(currentUnitsOf("04462")?.rollUpTo.name).toBe("Xã Nậm Có"); // kept unchanged
  });

  it("maps each of the 63 old provinces into one of the 34, matching where the 2025 communes took their codes", () => {
    // Given each 2025 commune whose code was an old commune's
    const provinceToday = new Map(
      unitsOn(LAST_DAY_BEFORE_2025, "province").map((p) => [p.code, currentUnitsOf(p.code)?.rollUpTo]),
    );
    expect(new Set([...provinceToday.values()].map((p) => p?.code)).size).toBe(34);
    let checked = 0;
    for (const commune of unitsOn(REFORM_2025, "commune")) {
      const oldProvince = provinceOf(commune.code, LAST_DAY_BEFORE_2025);
      if (oldProvince === undefined) continue;
      // Then the province mapping sends that old commune's province to the new commune's province
      expect(provinceToday.get(oldProvince.code)?.code, commune.key).toBe(commune.parent);
      checked++;
    }
    expect(checked).toBe(3316);
  });

  it("keeps a still-valid unit as itself, and knows no unit for a code that named none", () => {
    const today = currentUnitsOf("04630", "2026-01-01");
    expect(today?.successors).toEqual([today?.unit]);
    expect(today?.rollUpTo).toBe(today?.unit);
    expect(currentUnitsOf("99999")).toBeUndefined();
    expect(currentUnitsOf("11948")).toBeUndefined(); // Đặc khu Bạch Long Vĩ did not exist on 30 June 2025
  });
});

describe("roll-ups in the units of the time and in today's", () => {
  it("goes commune → district → province → VN historically, commune → province → VN today", () => {
    // Given Xã Cao Phạ in 2018
    // When
    const historic = rollUp("04480", "2018-06-01", "historic");
    const current = rollUp("04480", "2018-06-01", "current");
    // Then
    expect(historic.map((u) => u.name)).toEqual([
      "Xã Cao Phạ",
      "Huyện Mù Căng Chải",
      "Tỉnh Yên Bái",
      "Việt Nam",
    ]);
    expect(current.map((u) => u.name)).toEqual(["Xã Tú Lệ", "Tỉnh Lào Cai", "Việt Nam"]);
    expect(current.at(-1)).toBe(NATION);
  });

  it("starts today's chain at the province when the commune mapping is not recorded", () => {
    expect(codes(rollUp("00001", "2018-06-01", "current"))).toEqual(["01", "VN"]);
    expect(codes(rollUp("001", "2018-06-01", "current"))).toEqual(["01", "VN"]); // Ba Đình district
    expect(rollUp("04480", "2026-06-01", "historic")).toEqual([]);
  });

  it("gives today's Lào Cai the same totals as Yên Bái and old Lào Cai had in the units of their time", () => {
    const old = oldCommunesOf("15", "10");
    fc.assert(
      fc.property(
        fc.array(fc.record({ unit: fc.constantFrom(...old), amountVnd: fc.integer({ min: 1, max: 1e9 }) }), {
          maxLength: 200,
        }),
        (events) => {
          // Given events on old communes, dated 2018
          const sumBy = (keyOf: (code: string) => string | undefined) => {
            const sums = new Map<string, number>();
            for (const e of events) {
              const key = keyOf(e.unit.code) ?? "?";
              sums.set(key, (sums.get(key) ?? 0) + e.amountVnd);
            }
            return sums;
          };
          // When summed by province of the time and by commune and province of today
          const historic = sumBy((c) => rollUp(c, "2018-06-01", "historic")[2]?.key);
          const todayCommunes = sumBy((c) => rollUp(c, "2018-06-01", "current")[0]?.key);
          const todayProvince = sumBy((c) => rollUp(c, "2018-06-01", "current")[1]?.key);
          // Then the totals agree
          const total = events.reduce((s, e) => s + e.amountVnd, 0);
          const sum = (m: Map<string, number>) => [...m.values()].reduce((s, v) => s + v, 0);
          expect(sum(todayCommunes)).toBe(total);
          expect([...todayProvince.keys()]).toEqual(events.length === 0 ? [] : ["15@2025-07-01"]);
          expect(todayProvince.get("15@2025-07-01") ?? 0).toBe(sum(historic));
          expect([...historic.keys()].every((k) => k === "15@0001-01-01" || k === "10@0001-01-01")).toBe(
            true,
          );
        },
      ),
    );
  });
});

describe("the split rule", () => {
  // Given a made-up reform: old commune 00300 split between new 00500 and 00400; 00100 merged whole into 00400
  const unit = (
    code: string,
    level: Unit["level"],
    parent: string | undefined,
    validFrom: string,
    validTo?: string,
  ) =>
    ({
      key: `${code}@${validFrom}`,
      code,
      name: `Unit ${code}`,
      level,
      validFrom,
      ...(parent === undefined ? {} : { parent }),
      ...(validTo === undefined ? {} : { validTo }),
    }) satisfies Unit;
  const units = [
    NATION,
    unit("01", "province", "VN", OPEN_START),
    unit("001", "district", "01", OPEN_START, "2030-12-31"),
    unit("00100", "commune", "001", OPEN_START, "2030-12-31"),
    unit("00300", "commune", "001", OPEN_START, "2030-12-31"),
    unit("00400", "commune", "01", "2031-01-01"),
    unit("00500", "commune", "01", "2031-01-01"),
  ];
  const pairs = [
    { from: `00300@${OPEN_START}`, to: "00500@2031-01-01", how: "part" as const },
    { from: `00300@${OPEN_START}`, to: "00400@2031-01-01", how: "part" as const },
    { from: `00100@${OPEN_START}`, to: "00400@2031-01-01", how: "whole" as const },
  ];

  it("rolls a split unit up, whole, into the successor with the lowest code, whatever the order of the data", () => {
    for (const registry of [
      createUnitRegistry(units, pairs),
      createUnitRegistry(units, [...pairs].reverse()),
    ]) {
      // When
      const split = registry.currentUnitsOf("00300", "2020-01-01");
      // Then both successors are named, and one takes the figures
      expect(codes(split?.successors ?? [])).toEqual(["00400", "00500"]);
      expect(split?.rollUpTo.code).toBe("00400");
      const check = registry.validateUnitOnDate("00300", "2031-01-01");
      expect(check.ok === false && check.reason === "retired" && codes(check.successors)).toEqual([
        "00400",
        "00500",
      ]);
      expect(registry.rollsUpInto("00400", "00300", "2020-01-01")).toBe(true);
      expect(registry.rollsUpInto("00500", "00300", "2020-01-01")).toBe(false);
      expect(registry.rollsUpInto("01", "00300", "2020-01-01")).toBe(true);
    }
  });

  it("refuses data where a unit goes whole to two successors, or two units share a code and a day", () => {
    expect(() =>
      createUnitRegistry(units, [
        ...pairs,
        { from: `00100@${OPEN_START}`, to: "00500@2031-01-01", how: "whole" },
      ]),
    ).toThrow(/goes whole/);
    expect(() =>
      createUnitRegistry(units, [
        ...pairs,
        { from: "00400@2031-01-01", to: `00100@${OPEN_START}`, how: "whole" },
      ]),
    ).toThrow(/forward in time/);
    expect(() => createUnitRegistry([...units, unit("00400", "commune", "01", "2035-01-01")], pairs)).toThrow(
      /share days/,
    );
  });
});
