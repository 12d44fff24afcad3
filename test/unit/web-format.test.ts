import { describe, expect, it } from "vitest";
import { formatDate, formatVnd } from "#web/format.ts";
import { issueMessage } from "#web/issue-messages.ts";

describe("web app formatting", () => {
  it("writes integer VND the Vietnamese way", () => {
    expect(formatVnd(5_000_000)).toBe("5.000.000\u00a0₫");
  });

  it("dates a late-evening UTC timestamp on the next day in Vietnam", () => {
    // given 20:00 UTC on 5 September, which is 03:00 on 6 September in Vietnam
    // when it is written as a date, then the day is Vietnam's
    expect(formatDate("2026-09-05T20:00:00Z")).toBe("6 tháng 9, 2026");
    expect(formatDate("2026-09-05", "en")).toBe("5 September 2026");
  });

  it("words an API issue code in the reader's language, and an unknown one generally", () => {
    expect(issueMessage("required", "vi")).toBe("Vui lòng nhập thông tin này.");
    expect(issueMessage("too_long", "en")).toBe("Too long.");
    expect(issueMessage("something_new", "vi")).toBe("Thông tin không hợp lệ.");
  });

  it("words a campaign's refusals of a pledge in both languages, not as the general fallback", () => {
    for (const code of ["campaign_not_found", "campaign_closed", "unit_not_covered"])
      for (const lang of ["vi", "en"] as const)
        expect(issueMessage(code, lang)).not.toBe(issueMessage("something_new", lang));
    expect(issueMessage("campaign_closed", "vi")).toBe("Chiến dịch không nhận ủng hộ vào thời điểm này.");
  });

  it("words the support form's refusals in both languages, not as the general fallback", () => {
    const codes = [
      "support_amount_required",
      "unit_retired",
      "unit_not_in_force",
      "insufficient_restricted_funds",
    ];
    for (const code of [
      ...codes,
      "forbidden_scope",
      "event_id_conflict",
      "invalid_datetime",
      "invalid_format",
    ])
      for (const lang of ["vi", "en"] as const)
        expect(issueMessage(code, lang)).not.toBe(issueMessage("something_new", lang));
    expect(issueMessage("support_amount_required", "vi")).toBe("Hãy nhập tiền, hiện vật hoặc cả hai.");
  });
});
