import { describe, expect, it } from "vitest";
import { reportEntries } from "../../packages/web/src/report-files.ts";
import {
  emptyResolution,
  resolutionBodyOf,
  resolutionFieldOf,
} from "../../packages/web/src/transfer-resolution.ts";

describe("resolving a transfer on the review list", () => {
  it("sends only the chosen kind's field, trimmed, as the route's schema takes it", () => {
    // Given: a form where staff typed in every field before settling on one choice
    const typed = {
      ...emptyResolution(),
      donationCode: "  kh 66n94bqr5 ",
      campaignId: "tu-sach",
      note: " học phí ",
    };
    // When / Then
    expect(resolutionBodyOf({ ...typed, choice: "pledge" })).toEqual({
      kind: "pledge",
      donationCode: "kh 66n94bqr5",
    });
    expect(resolutionBodyOf({ ...typed, choice: "campaign" })).toEqual({
      kind: "campaign",
      campaignId: "tu-sach",
    });
    expect(resolutionBodyOf({ ...typed, choice: "not-a-donation" })).toEqual({
      kind: "not-a-donation",
      note: "học phí",
    });
  });

  it("ties the server's issues to the field they name, and no other", () => {
    expect(resolutionFieldOf("donationCode")).toBe("donationCode");
    expect(resolutionFieldOf("note")).toBe("note");
    expect(resolutionFieldOf("kind")).toBeUndefined();
  });
});

describe("the reports staff can download", () => {
  const file = (name: string, lastModified = "2026-11-28T01:00:00.000Z") => ({
    name,
    size: 100,
    lastModified,
    url: `https://files.example/${name}`,
  });

  it("groups a report's three formats, XLSX first, and says what each report covers, newest first", () => {
    // Given: two reports' files in the bucket's order, and a stray file
    const files = [
      file("yearly-15-2018.json"),
      file("monthly-15-2026-09-current.summary.csv", "2026-10-01T00:05:00.000Z"),
      file("yearly-15-2018.xlsx"),
      file("yearly-15-2018.by-unit.csv"),
      file("yearly-15-2018.summary.csv"),
      file("notes.txt"),
    ];
    // When
    const entries = reportEntries(files);
    // Then
    expect(
      entries.map((e) => [
        e.kind,
        e.period,
        e.current,
        e.files.map((f) => `${f.format}${f.view ? `:${f.view}` : ""}`),
      ]),
    ).toEqual([
      ["yearly", "2018", false, ["xlsx", "csv:by-unit", "csv:summary", "json"]],
      ["monthly", "2026-09", true, ["csv:summary"]],
    ]);
  });

  it("reads the campaign digest's day and the disclosure's year from their names", () => {
    const entries = reportEntries([
      file("campaign-daily-thang-9-khuyen-hoc-2026-2026-09-05.xlsx"),
      file("disclosure-VN-2026.xlsx", "2026-11-28T02:00:00.000Z"),
    ]);
    expect(entries.map((e) => [e.kind, e.period])).toEqual([
      ["disclosure", "2026"],
      ["campaign-daily", "2026-09-05"],
    ]);
  });
});
