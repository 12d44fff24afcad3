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
    // Registration, sponsorship and assessment forms.
    too_few: "Hãy chọn ít nhất một mục.",
    too_many: "Chọn quá nhiều mục.",
    consent_required:
      "Chưa đủ sự đồng ý cho người ở độ tuổi này: người dưới 18 tuổi cần người giám hộ (có ghi tên) đồng ý, từ 7 tuổi cần cả chính người đó đồng ý, vào ngày không trước ngày sinh.",
    beneficiary_id_conflict:
      "Mã người nhận này đã được đăng ký với thông tin khác. Hãy tải lại trang rồi nhập lại.",
    sponsorship_limit:
      "Giáo viên này đã đỡ đầu đủ số học sinh tối đa cùng một lúc. Hãy kết thúc một đợt đỡ đầu trước khi bắt đầu đợt mới.",
    not_found: "Không tìm thấy. Nếu vừa ghi nhận, hãy đợi vài giây rồi thử lại.",
    ended_before_start: "Ngày kết thúc không được trước ngày bắt đầu đỡ đầu.",
    scheme_not_applicable:
      "Bộ tiêu chí này không áp dụng cho loại đối tượng, năm hoặc kết quả đã chọn. Hãy chọn bộ tiêu chí còn hiệu lực.",
    unit_not_found: "Không có đơn vị nào mang mã này.",
    // A consent_required refusal, beside each field it names.
    birth_after_registration: "Ngày sinh không được sau ngày đăng ký.",
    guardian_required: "Người dưới 18 tuổi cần có người giám hộ: hãy nhập họ tên người giám hộ.",
    guardian_consent_required: "Người dưới 18 tuổi cần người giám hộ đồng ý.",
    subject_consent_required: "Người từ 7 tuổi cần chính mình đồng ý.",
    administration_consent_required: "Sự đồng ý phải gồm việc quản lý hỗ trợ.",
    consent_date_out_of_range: "Ngày đồng ý phải từ ngày sinh đến hôm nay.",
    // The optional bank account, checked in the form before sending.
    bank_account_incomplete: "Tài khoản ngân hàng cần đủ ba mục, hoặc để trống cả ba.",
    account_number_digits: "Số tài khoản gồm 6 đến 20 chữ số.",
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
    too_few: "Choose at least one.",
    too_many: "Too many chosen.",
    consent_required:
      "The consents do not cover a person of this age: under 18 a named guardian must consent, from age 7 the person too, on a day not before their birth.",
    beneficiary_id_conflict:
      "This beneficiary id was registered with other data. Reload the page and enter it again.",
    sponsorship_limit:
      "This teacher already sponsors the most students allowed at a time. End a sponsorship before starting another.",
    not_found: "Not found. If it was just recorded, wait a few seconds and try again.",
    ended_before_start: "The end date must not be before the sponsorship started.",
    scheme_not_applicable:
      "This scheme does not apply to the kind of subject, the year or the result chosen. Choose a scheme in force.",
    unit_not_found: "No unit has this code.",
    birth_after_registration: "The date of birth must not be after the registration.",
    guardian_required: "A person under 18 needs a guardian: enter the guardian's full name.",
    guardian_consent_required: "A person under 18 needs the guardian's consent.",
    subject_consent_required: "From age 7 the person's own consent is needed too.",
    administration_consent_required: "The consent must cover administering support.",
    consent_date_out_of_range: "The consent date must be between the date of birth and today.",
    bank_account_incomplete: "A bank account needs all three fields, or none of them.",
    account_number_digits: "An account number is 6 to 20 digits.",
  },
};

/** The reader's words for an issue; a code this app does not know yet falls back to a general one. */
export const issueMessage = (code: string | undefined, lang: Lang): string =>
  MESSAGES[lang][code ?? "invalid"] ?? MESSAGES[lang].invalid ?? "";
