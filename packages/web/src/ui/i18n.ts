import type { Lang } from "../format.ts";

/** Every word the pages show, in Vietnamese; English must name the same keys or fail to compile. */
const vi = {
  association: "Hội Khuyến học Việt Nam",
  switchTo: "English",
  switchLabel: "Switch to English",
  campaigns: "Các chiến dịch",
  campaignsIntro: "Chung tay vì việc học: chọn một chiến dịch để xem tiến độ hoặc ủng hộ.",
  window: "Thời gian",
  goal: "Mục tiêu",
  pledged: "Đã cam kết ủng hộ",
  received: "Đã nhận",
  donors: "Lượt ủng hộ",
  progress: "Tiến độ so với mục tiêu",
  view: "Xem chiến dịch",
  donate: "Ủng hộ",
  byDay: "Ủng hộ theo ngày",
  byDayTable: "Bảng số liệu theo ngày",
  day: "Ngày",
  amount: "Số tiền",
  byCommune: "Ủng hộ theo xã, phường",
  commune: "Xã, phường",
  nothingYet: "Chưa có lượt ủng hộ nào.",
  loading: "Đang tải…",
  notFound: "Không tìm thấy trang này.",
  transparency: "Công khai tài chính",
  transparencyIntro:
    "Quỹ khuyến học, khuyến tài đã nhận và sử dụng bao nhiêu, cho mục đích nào: số liệu tổng hợp, không nêu tên người nhận.",
  fund: "Quỹ",
  centralFund: "Trung ương Hội",
  year: "Năm",
  loadFailed: "Không tải được dữ liệu. Vui lòng thử lại sau.",
  back: "Quay lại chiến dịch",
  home: "Trang chủ",
  donateTitle: "Ủng hộ chiến dịch",
  donorKind: "Bạn là",
  kinds: {
    individual: "Cá nhân",
    business: "Doanh nghiệp",
    organization: "Tổ chức",
    school: "Trường học",
    class: "Lớp học",
  },
  donorName: "Họ và tên hoặc tên đơn vị",
  anonymous: "Không công khai tên của tôi",
  contribution: "Hình thức ủng hộ",
  money: "Tiền",
  inKind: "Hiện vật",
  amountVnd: "Số tiền (đồng)",
  description: "Mô tả hiện vật",
  valuationVnd: "Giá trị ước tính (đồng)",
  province: "Tỉnh, thành phố",
  choose: "— Chọn —",
  unit: "Xã, phường nhận ủng hộ",
  message: "Lời nhắn (không bắt buộc)",
  submit: "Gửi ủng hộ",
  sending: "Đang gửi…",
  fixBelow: "Vui lòng sửa các mục được đánh dấu bên dưới.",
  unreachable:
    "Không kết nối được máy chủ. Thông tin của bạn vẫn còn đây: hãy gửi lại, ủng hộ chỉ được ghi một lần.",
  refused: "Không nhận được ủng hộ này.",
  thanks: "Cảm ơn bạn đã ủng hộ!",
  codeIntro: "Mã ủng hộ của bạn — hãy ghi mã này vào nội dung chuyển khoản:",
  qrIntro: "Quét mã VietQR bằng ứng dụng ngân hàng để chuyển khoản:",
  qrAlt: "Mã VietQR để chuyển khoản, kèm mã ủng hộ",
  another: "Ủng hộ thêm",
};

export type Texts = typeof vi;

const en: Texts = {
  association: "Vietnam Study Promotion Association",
  switchTo: "Tiếng Việt",
  switchLabel: "Chuyển sang tiếng Việt",
  campaigns: "Campaigns",
  campaignsIntro: "Together for learning: choose a campaign to follow it or to give.",
  window: "Dates",
  goal: "Goal",
  pledged: "Pledged",
  received: "Received",
  donors: "Pledges",
  progress: "Progress towards the goal",
  view: "See the campaign",
  donate: "Give",
  byDay: "Pledges by day",
  byDayTable: "Figures by day",
  day: "Day",
  amount: "Amount",
  byCommune: "Pledges by commune",
  commune: "Commune",
  nothingYet: "No pledges yet.",
  loading: "Loading…",
  notFound: "No such page.",
  transparency: "Where the money went",
  transparencyIntro:
    "What the study promotion and talent fund received and used, for which purposes: totals only, never a recipient's name.",
  fund: "Fund",
  centralFund: "Central association",
  year: "Year",
  loadFailed: "Could not load the figures. Please try again later.",
  back: "Back to the campaign",
  home: "Home",
  donateTitle: "Give to the campaign",
  donorKind: "You are",
  kinds: {
    individual: "A person",
    business: "A business",
    organization: "An organisation",
    school: "A school",
    class: "A class",
  },
  donorName: "Your name or your organisation's",
  anonymous: "Do not show my name in public",
  contribution: "What you give",
  money: "Money",
  inKind: "Goods",
  amountVnd: "Amount (VND)",
  description: "What the goods are",
  valuationVnd: "Estimated value (VND)",
  province: "Province or city",
  choose: "— Choose —",
  unit: "Commune receiving the gift",
  message: "Message (optional)",
  submit: "Send pledge",
  sending: "Sending…",
  fixBelow: "Please correct the marked fields below.",
  unreachable: "Could not reach the server. Your answers are kept: send again, the pledge is counted once.",
  refused: "This pledge could not be taken.",
  thanks: "Thank you for your gift!",
  codeIntro: "Your donation code — write it in the transfer's note:",
  qrIntro: "Scan the VietQR code with your banking app to transfer:",
  qrAlt: "VietQR code for the transfer, with the donation code",
  another: "Give again",
};

/** The words of the reader's language. */
export const textsOf = (lang: Lang): Texts => (lang === "en" ? en : vi);

const KEY = "khuyenhoc.lang";

/** The reader's language: what they chose last time on this device, else Vietnamese. */
export const savedLang = (): Lang => {
  try {
    return localStorage.getItem(KEY) === "en" ? "en" : "vi";
  } catch {
    return "vi";
  }
};

/** Remembers the choice (where storage is allowed) and tells assistive technology the page's language. */
export const saveLang = (lang: Lang): void => {
  document.documentElement.lang = lang;
  try {
    localStorage.setItem(KEY, lang);
  } catch {
    // Private browsing may refuse storage: the switch still works for this page.
  }
};
