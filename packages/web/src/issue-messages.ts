import type { Lang } from "./format.ts";

/** What each API issue `code` (README, "API") says beside its field. */
const MESSAGES: Record<Lang, Record<string, string>> = {
  vi: {
    required: "Vui lòng nhập thông tin này.",
    blank: "Không được để trống.",
    too_long: "Nội dung quá dài.",
    too_short: "Nội dung quá ngắn.",
    too_small: "Giá trị quá nhỏ.",
    too_large: "Giá trị quá lớn.",
    invalid_date: "Ngày không hợp lệ.",
    invalid_type: "Giá trị không đúng kiểu.",
    invalid_value: "Giá trị không hợp lệ.",
    not_unicode: "Văn bản có ký tự không hợp lệ.",
    campaign_not_found: "Không tìm thấy chiến dịch này.",
    campaign_closed: "Chiến dịch không nhận ủng hộ vào thời điểm này.",
    unit_not_covered: "Đơn vị này không thuộc phạm vi chiến dịch.",
    invalid: "Thông tin không hợp lệ.",
  },
  en: {
    required: "Please fill this in.",
    blank: "Must not be blank.",
    too_long: "Too long.",
    too_short: "Too short.",
    too_small: "Too small.",
    too_large: "Too large.",
    invalid_date: "Not a valid date.",
    invalid_type: "Not the expected kind of value.",
    invalid_value: "Not an accepted value.",
    not_unicode: "The text holds an invalid character.",
    campaign_not_found: "No such campaign.",
    campaign_closed: "The campaign is not taking pledges at this time.",
    unit_not_covered: "This unit is outside the campaign.",
    invalid: "Not valid.",
  },
};

/** The reader's words for an issue; a code this app does not know yet falls back to a general one. */
export const issueMessage = (code: string | undefined, lang: Lang): string =>
  MESSAGES[lang][code ?? "invalid"] ?? MESSAGES[lang].invalid ?? "";
