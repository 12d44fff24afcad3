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
    // The review list of transfers.
    donation_code_not_found: "Không có lời cam kết nào mang mã ủng hộ này.",
    transfer_already_resolved: "Khoản chuyển khoản này đã được xử lý (có thể bởi cán bộ khác).",
    transfer_not_found: "Khoản chuyển khoản này không còn trong danh sách chờ xử lý.",
    campaign_not_found: "Không tìm thấy chiến dịch này.",
    campaign_closed: "Chiến dịch không nhận ủng hộ vào thời điểm này.",
    unit_not_covered: "Đơn vị này không thuộc phạm vi chiến dịch.",
    invalid: "Thông tin không hợp lệ.",
    // Staff forms: the support form's fields and refusals.
    invalid_datetime: "Ngày giờ không hợp lệ.",
    invalid_format: "Không đúng định dạng.",
    unknown_field: "Có mục không được chấp nhận.",
    support_amount_required: "Hãy nhập tiền, hiện vật hoặc cả hai.",
    unit_retired: "Mã đơn vị này đã thôi dùng vào ngày đó (sau sắp xếp đơn vị hành chính).",
    unit_not_in_force: "Mã đơn vị này chưa có hoặc không còn hiệu lực vào ngày đó.",
    insufficient_restricted_funds:
      "Khoản tiền có mục đích riêng của chiến dịch không còn đủ cho khoản hỗ trợ này.",
    forbidden_scope: "Đơn vị này nằm ngoài phạm vi của bạn.",
    forbidden_role: "Vai trò của bạn không được làm việc này.",
    event_id_conflict: "Biểu mẫu này đã được gửi với nội dung khác. Hãy tải lại trang rồi nhập lại.",
    occurred_at_in_future: "Ngày không được ở tương lai.",
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
    donation_code_not_found: "No pledge has this donation code.",
    transfer_already_resolved: "This transfer was resolved already (perhaps by someone else).",
    transfer_not_found: "This transfer is no longer waiting for review.",
    campaign_not_found: "No such campaign.",
    campaign_closed: "The campaign is not taking pledges at this time.",
    unit_not_covered: "This unit is outside the campaign.",
    invalid: "Not valid.",
    invalid_datetime: "Not a valid date and time.",
    invalid_format: "Not in the expected format.",
    unknown_field: "A field that is not accepted.",
    support_amount_required: "Enter money, goods or both.",
    unit_retired: "This unit code was retired by that date (after the reorganisation of units).",
    unit_not_in_force: "This unit code was not in force on that date.",
    insufficient_restricted_funds: "The campaign's restricted money left is not enough for this support.",
    forbidden_scope: "This unit is outside your scope.",
    forbidden_role: "Your role may not do this.",
    event_id_conflict: "This form was sent before with other content. Reload the page and enter it again.",
    occurred_at_in_future: "The date must not be in the future.",
  },
};

/** The reader's words for an issue; a code this app does not know yet falls back to a general one. */
export const issueMessage = (code: string | undefined, lang: Lang): string =>
  MESSAGES[lang][code ?? "invalid"] ?? MESSAGES[lang].invalid ?? "";
