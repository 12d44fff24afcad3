import type { FunctionComponent } from "preact";
import type { Lang } from "../../format.ts";
import { AssessmentForm } from "./assessment-form.tsx";
import { BeneficiaryForm } from "./beneficiary-form.tsx";
import { Dashboard } from "./dashboard.tsx";
import { PaymentsReview } from "./payments-review.tsx";
import { ReportsPage } from "./reports-page.tsx";
import type { StaffSession } from "./session.ts";
import { SponsorshipForm } from "./sponsorship-form.tsx";
import { SupportForm } from "./support-form.tsx";

/** What every staff page is given: the signed-in member and the reader's language. */
export interface StaffPageProps {
  readonly session: StaffSession;
  readonly lang: Lang;
}

/** A page of the staff area: its path under `/staff`, its name in the area's navigation, its component. */
export interface StaffPage {
  /** `""` for `/staff` itself, else like `"support/new"` for `/staff/support/new`. */
  readonly path: string;
  readonly title: { readonly vi: string; readonly en: string };
  readonly component: FunctionComponent<StaffPageProps>;
}

/** Every staff page, in the order of the area's navigation. */
export const staffPages: readonly StaffPage[] = [
  { path: "", title: { vi: "Tổng quan", en: "Dashboard" }, component: Dashboard },
  { path: "support/new", title: { vi: "Ghi nhận hỗ trợ", en: "Record support" }, component: SupportForm },
  {
    path: "beneficiaries/new",
    title: { vi: "Đăng ký người nhận", en: "Register a beneficiary" },
    component: BeneficiaryForm,
  },
  { path: "sponsorships/new", title: { vi: "Đỡ đầu", en: "Sponsorships" }, component: SponsorshipForm },
  { path: "assessments/new", title: { vi: "Đánh giá", en: "Assessments" }, component: AssessmentForm },
  {
    path: "payments",
    title: { vi: "Chuyển khoản chờ xử lý", en: "Transfers to review" },
    component: PaymentsReview,
  },
  { path: "reports", title: { vi: "Báo cáo", en: "Reports" }, component: ReportsPage },
];
