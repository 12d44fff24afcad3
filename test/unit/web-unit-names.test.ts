import { describe, expect, it } from "vitest";
import { unitNamesOn } from "../../packages/web/unit-names.ts";

describe("the web app's unit names map", () => {
  it("names communes and provinces as they stand on the day, and no district", () => {
    // given the day after the 2025 reform, when communes merged and districts ended
    const names = unitNamesOn("2025-07-01");
    // then a merged commune and its province carry their new names
    expect(names["04630"]).toBe("Xã Tú Lệ");
    expect(names["15"]).toBe("Tỉnh Lào Cai");
    expect(Object.keys(names).every((code) => code.length === 2 || code.length === 5)).toBe(true);
  });
});
