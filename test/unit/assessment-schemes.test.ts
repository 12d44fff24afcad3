import { describe, expect, it } from "vitest";
import { judgeUnderScheme, schemes, targetFor } from "#domain/assessment-schemes.ts";

describe("assessment schemes", () => {
  it("are loaded from their data files: Decisions 281 and 387, Circulars 44/2014 and 25/2023", () => {
    expect(schemes.map((s) => `${s.id} v${s.version}`)).toEqual([
      "qd-281-2014 v1",
      "qd-387-2021 v1",
      "tt-44-2014 v1",
      "tt-25-2023 v1",
    ]);
  });

  it("accept a result of a covered year, kind and level, with the recognition the level gives", () => {
    expect(
      judgeUnderScheme({ id: "qd-281-2014", version: 1 }, "learning-family", 2018, "recognised"),
    ).toEqual({
      ok: true,
      recognised: true,
    });
    expect(
      judgeUnderScheme({ id: "tt-25-2023", version: 1 }, "commune-learning-community", 2024, "not-achieved"),
    ).toEqual({ ok: true, recognised: false });
  });

  it("refuse a year, a subject kind or a level the scheme does not cover, saying which", () => {
    const under281 = { id: "qd-281-2014", version: 1 };
    expect(judgeUnderScheme(under281, "learning-family", 2022, "recognised")).toEqual({
      ok: false,
      message: "qd-281-2014 v1 covers 2014-2020, not 2022",
    });
    expect(judgeUnderScheme(under281, "commune-learning-community", 2018, "recognised")).toMatchObject({
      ok: false,
      message: expect.stringContaining("does not assess commune-learning-community"),
    });
    expect(judgeUnderScheme(under281, "learning-family", 2018, "muc-do-1")).toMatchObject({
      ok: false,
      message: expect.stringContaining("has no level muc-do-1"),
    });
    expect(
      judgeUnderScheme({ id: "qd-281-2014", version: 9 }, "learning-family", 2018, "recognised"),
    ).toEqual({
      ok: false,
      message: "scheme qd-281-2014 version 9 does not exist",
    });
  });

  it("give the 2020 targets of Decision 281 to the years before it, and none where a scheme states none", () => {
    expect(targetFor({ id: "qd-281-2014", version: 1 }, "learning-family", 2018)).toBe(70);
    expect(targetFor({ id: "qd-281-2014", version: 1 }, "learning-clan", 2020)).toBe(50);
    expect(targetFor({ id: "qd-387-2021", version: 1 }, "learning-family", 2026)).toBeUndefined();
  });
});
