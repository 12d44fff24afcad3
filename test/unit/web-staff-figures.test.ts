import { describe, expect, it } from "vitest";
import { coversUnit, pledgedIn } from "#web/staff-figures.ts";

const parents: Record<string, string> = { "02683": "15", "02647": "15", "00004": "01" };
const parentOf = (code: string) => parents[code];
const row = (unitCode: string, moneyVnd: number, inKindVnd = 0, count = 1) => ({
  unitCode,
  moneyVnd,
  inKindVnd,
  count,
});
const answer = {
  pledged: { moneyVnd: 700, inKindVnd: 50, count: 4 },
  byUnit: [row("02683", 100, 50, 2), row("02647", 200), row("00004", 400)],
};

describe("a unit's campaigns on the staff dashboard", () => {
  it("given campaigns of the nation, a province and a commune, when a commune reads them, then it sees those over it", () => {
    expect(coversUnit({ id: "a", units: ["VN"] }, "02683", parentOf)).toBe(true);
    expect(coversUnit({ id: "b", units: ["15"] }, "02683", parentOf)).toBe(true);
    expect(coversUnit({ id: "c", units: ["02683"] }, "02683", parentOf)).toBe(true);
    expect(coversUnit({ id: "d", units: ["01"] }, "02683", parentOf)).toBe(false);
    expect(coversUnit({ id: "e", units: ["02647"] }, "02683", parentOf)).toBe(false);
  });

  it("given a campaign of one of its communes, when a province reads them, then it sees it", () => {
    expect(coversUnit({ id: "c", units: ["02683"] }, "15", parentOf)).toBe(true);
    expect(coversUnit({ id: "d", units: ["00004"] }, "15", parentOf)).toBe(false);
  });

  it("given pledges in several communes, when summed for a unit, then a commune, its province and the nation each get theirs", () => {
    expect(pledgedIn(answer, "02683", parentOf)).toEqual({ vnd: 150, count: 2 });
    expect(pledgedIn(answer, "15", parentOf)).toEqual({ vnd: 350, count: 3 });
    expect(pledgedIn(answer, "VN", parentOf)).toEqual({ vnd: 750, count: 4 });
    expect(pledgedIn(answer, "02752", parentOf)).toEqual({ vnd: 0, count: 0 });
  });
});
