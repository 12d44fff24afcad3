import type { z } from "zod";
import { isWithin, unitsOn } from "#domain/units.ts";
import type {
  AssessmentRegistrationRequest,
  AssessmentResultRequest,
  SubjectKind,
} from "#events/assessment.ts";
import type { BeneficiaryRegistration } from "#events/beneficiary.ts";
import type { CampaignDefinitionRequest } from "#events/campaign.ts";
import type { DonationForm } from "#events/donation.ts";
import type { SponsorshipStartRequest } from "#events/sponsorship.ts";
import type { SupportGrantRequest } from "#events/support.ts";
import { createRandom, type Random, uuidOf } from "./random.ts";

/**
 * The seed article's year (../docs: Yên Bái 2018): the province's association at all levels supported
 * 22,173 teachers and students with nearly 39 billion VND in money and goods. This module generates such a
 * year as the requests staff and donors would send, deterministically from a seed; `scale` shrinks it for
 * tests (0.02 is 443 people).
 */
export interface Scenario {
  readonly name: "yen-bai-2018";
  readonly seed: number;
  readonly scale: number;
  readonly year: 2018;
  /** The province, read in the units of 2018. */
  readonly province: "15";
  readonly campaigns: readonly CampaignDefinitionRequest[];
  readonly registrations: readonly BeneficiaryRegistration[];
  readonly grants: readonly SupportGrantRequest[];
  readonly sponsorships: readonly SponsorshipStartRequest[];
  readonly assessmentRegistrations: readonly z.infer<typeof AssessmentRegistrationRequest>[];
  readonly assessmentResults: readonly z.infer<typeof AssessmentResultRequest>[];
  readonly pledges: readonly DonationForm[];
}

/** What the article reports for 2018: distinct teachers and students supported. */
export const PEOPLE_SUPPORTED_2018 = 22_173;

const YEAR = 2018;
const DAY = "2018-06-15";
const communes = unitsOn(DAY, "commune").filter((u) => isWithin("15", u.code, DAY));
const districts = unitsOn(DAY, "district").filter((u) => u.parent === "15");
const communesOf = (districtName: string): string[] => {
  const district = districts.find((d) => d.name.endsWith(districtName));
  if (district === undefined) throw new Error(`no district ${districtName} in Yên Bái 2018`);
  return communes.filter((c) => c.parent === district.code).map((c) => c.code);
};

const FAMILY = [
  "Nguyễn",
  "Trần",
  "Lê",
  "Hoàng",
  "Hà",
  "Lò",
  "Giàng",
  "Sùng",
  "Vàng",
  "Đinh",
  "Lường",
  "Phạm",
];
const MIDDLE = ["Thị", "Văn", "A", "Minh", "Thu", "Đức", "Ngọc"];
const GIVEN = ["Mai", "Lan", "Dế", "Chứ", "Hùng", "Sình", "Pà", "Hoa", "Tùng", "Nhung", "Páo", "Dua", "Thảo"];
const ETHNICITY = ["Kinh", "Tày", "Thái", "Mông", "Dao", "Mường", "Nùng", "Khơ Mú"];
const REASONS = [
  ["hardship", 40],
  ["overcoming-hardship", 25],
  ["high-achievement", 15],
  ["scholarship", 8],
  ["study-equipment", 12],
] as const;

/** Months weighted as the association's year goes: Tết, the school year's end, and September's start. */
const MONTH_WEIGHTS = [
  [1, 12],
  [2, 6],
  [3, 4],
  [4, 4],
  [5, 10],
  [6, 8],
  [7, 3],
  [8, 10],
  [9, 25],
  [10, 8],
  [11, 6],
  [12, 4],
] as const;

const two = (n: number) => String(n).padStart(2, "0");
const dayIn = (r: Random, month: number) => {
  const last = new Date(Date.UTC(YEAR, month, 0)).getUTCDate();
  return `${YEAR}-${two(month)}-${two(r.int(1, last))}`;
};
const at = (day: string, hour: number) => `${day}T${two(hour)}:${two(0)}:00+07:00`;
/** Whole hundreds of thousands of đồng, as the association gives. */
const hundredThousands = (r: Random, min: number, max: number) =>
  r.int(min / 100_000, max / 100_000) * 100_000;

/** Every campaign of the year is the provincial association's: its fund, its account at Agribank. */
const provincial = (n: number) =>
  ({
    fundUnit: "15",
    bankAccount: {
      bankBin: "970405",
      accountNumber: `880021${String(n).padStart(7, "0")}`,
      accountName: "HOI KHUYEN HOC TINH YEN BAI",
    },
  }) as const;

const campaignsOf = (): CampaignDefinitionRequest[] => [
  {
    id: "thang-9-khuyen-hoc-2018-yen-bai",
    name: { vi: "Tháng 9 khuyến học 2018 tỉnh Yên Bái", en: "Yên Bái September study-promotion month 2018" },
    kind: "september-study-month",
    window: { from: "2018-09-01", to: "2018-10-02" },
    goals: { moneyVnd: 2_000_000_000 },
    units: ["15"],
  },
  {
    id: "ngay-khuyen-hoc-2-10-2018-yen-bai",
    name: { vi: "Ngày Khuyến học Việt Nam 2/10/2018, Yên Bái", en: "Study Promotion Day 2018, Yên Bái" },
    kind: "study-promotion-day-2-10",
    window: { from: "2018-09-25", to: "2018-10-02" },
    units: ["15"],
  },
  {
    id: "tuan-le-hoc-tap-suot-doi-2018-yen-bai",
    name: {
      vi: "Tuần lễ hưởng ứng học tập suốt đời 2018, Yên Bái",
      en: "Lifelong-learning week 2018, Yên Bái",
    },
    kind: "lifelong-learning-week",
    window: { from: "2018-10-01", to: "2018-10-07" },
    units: ["15"],
  },
  {
    id: "heo-dat-khuyen-hoc-2018-yen-bai",
    name: { vi: "Heo đất khuyến học 2018, Yên Bái", en: "Study-promotion piggy banks 2018, Yên Bái" },
    kind: "piggy-bank-drive",
    window: { from: "2018-01-01", to: "2018-12-31" },
    units: ["15"],
  },
  {
    id: "tu-sach-dinh-huu-du-2018",
    name: { vi: "Tủ sách khuyến học Đinh Hữu Dư 2018", en: "Đinh Hữu Dư study-promotion bookshelves 2018" },
    kind: "bookshelf-project",
    window: { from: "2018-03-01", to: "2018-12-31" },
    goals: { items: 200 },
    units: [...communesOf("Trạm Tấu"), ...communesOf("Mù Căng Chải")],
    restrictedPurpose: "Tủ sách khuyến học cho các trường ở Trạm Tấu và Mù Cang Chải",
  },
  {
    id: "nha-ve-sinh-truong-hoc-van-chan-2018",
    name: { vi: "Nhà vệ sinh trường học huyện Văn Chấn 2018", en: "School toilet block, Văn Chấn 2018" },
    kind: "building-project",
    window: { from: "2018-04-01", to: "2018-11-30" },
    goals: { moneyVnd: 250_000_000 },
    units: communesOf("Văn Chấn"),
    restrictedPurpose: "Xây nhà vệ sinh cho trường học ở huyện Văn Chấn",
  },
];

const registrationOf = (
  r: Random,
  seed: number,
  i: number,
  kind: "student" | "teacher",
  unitCode: string,
): BeneficiaryRegistration => {
  const fullName = `${r.pick(FAMILY)} ${r.pick(MIDDLE)} ${r.pick(GIVEN)}`;
  // Registered in the first days of the year, before any of their support.
  const day = `${YEAR}-01-${two(r.int(2, 12))}`;
  const given = at(day, 8);
  if (kind === "teacher")
    return {
      beneficiaryId: uuidOf(seed, `person-${i}`),
      kind,
      unitCode,
      occurredAt: at(day, 9),
      school: { name: `Trường Phổ thông Dân tộc Bán trú xã ${unitCode}` },
      gradeBand: "teacher",
      circumstances: [r.pick(["ethnic-minority-hard-to-reach", "poor-household", "other"] as const)],
      personalData: {
        fullName,
        dateOfBirth: `${r.int(1965, 1996)}-${two(r.int(1, 12))}-${two(r.int(1, 28))}`,
        ethnicity: r.pick(ETHNICITY),
      },
      consent: { subject: { givenAt: given, purposes: ["support-administration"] } },
    };
  const gradeBand = r.pick(["primary", "lower-secondary", "upper-secondary"] as const);
  const age =
    gradeBand === "primary" ? r.int(6, 10) : gradeBand === "lower-secondary" ? r.int(11, 14) : r.int(15, 17);
  return {
    beneficiaryId: uuidOf(seed, `person-${i}`),
    kind,
    unitCode,
    occurredAt: at(day, 9),
    school: { name: `Trường ${gradeBand === "primary" ? "Tiểu học" : "Trung học"} xã ${unitCode}` },
    gradeBand,
    circumstances: [
      r.pick(["poor-household", "near-poor-household", "orphan", "ethnic-minority-hard-to-reach"] as const),
    ],
    personalData: {
      fullName,
      dateOfBirth: `${YEAR - age - 1}-${two(r.int(1, 12))}-${two(r.int(1, 28))}`,
      ethnicity: r.pick(ETHNICITY),
      guardian: {
        fullName: `${r.pick(FAMILY)} Văn ${r.pick(GIVEN)}`,
        relationship: r.pick(["mother", "father", "grandparent"] as const),
      },
    },
    consent: {
      guardian: { givenAt: given, purposes: ["support-administration"] },
      subject: { givenAt: given, purposes: ["support-administration"] },
    },
  };
};

/** Generates the year; every id derives from the seed, so a re-run sends the same requests. */
export const generateYenBai2018 = (seed: number, scale = 1): Scenario => {
  const r = createRandom(seed);
  const people = Math.max(1, Math.round(PEOPLE_SUPPORTED_2018 * scale));
  const count = (n: number) => Math.max(1, Math.round(n * scale));
  const registrations: BeneficiaryRegistration[] = [];
  const grants: SupportGrantRequest[] = [];
  for (let i = 0; i < people; i++) {
    const kind = r.next() < 0.1 ? "teacher" : "student";
    const unitCode = r.pick(communes).code;
    const registration = registrationOf(r, seed, i, kind, unitCode);
    registrations.push(registration);
    const times = r.weighted([
      [1, 70],
      [2, 20],
      [3, 10],
    ] as const);
    for (let t = 0; t < times; t++) {
      const month = r.weighted(MONTH_WEIGHTS);
      const day = month === 1 ? `${YEAR}-01-${two(r.int(15, 31))}` : dayIn(r, month);
      const withGoods = r.next() < 0.3;
      grants.push({
        supportId: uuidOf(seed, `grant-${i}-${t}`),
        recipient: {
          type: "beneficiary",
          beneficiaryId: registration.beneficiaryId ?? "",
          beneficiaryKind: kind,
        },
        reason: r.weighted(REASONS),
        moneyVnd: hundredThousands(r, 300_000, 1_900_000),
        ...(withGoods
          ? {
              goods: {
                description: "Cặp sách, vở và đồ dùng học tập",
                valuationVnd: hundredThousands(r, 100_000, 900_000),
              },
            }
          : {}),
        fundedBy: { source: "fund" },
        occurredAt: at(day, 10),
        unitCode,
      });
    }
  }
  // Teachers sponsor one or two students of their commune (the seed's "each teacher sponsors 1-2 students").
  const sponsorships: SponsorshipStartRequest[] = [];
  const students = registrations.filter((p) => p.kind === "student");
  for (const teacher of registrations.filter((p) => p.kind === "teacher")) {
    if (r.next() > 0.4) continue;
    const near = students.filter((s) => s.unitCode === teacher.unitCode);
    const chosen = new Set<string>();
    for (let k = r.int(1, 2); k > 0 && near.length > 0; k--) chosen.add(r.pick(near).beneficiaryId ?? "");
    for (const studentId of chosen)
      sponsorships.push({
        sponsorshipId: uuidOf(seed, `sponsorship-${teacher.beneficiaryId}-${studentId}`),
        teacherId: teacher.beneficiaryId ?? "",
        studentId,
        occurredAt: at(dayIn(r, 9), 14),
        unitCode: teacher.unitCode,
      });
  }
  // Learning families, clans, communities and units register in March and are assessed in December
  // under Decision 281/QĐ-TTg (the scheme in force from 2014 to 2020).
  const assessmentRegistrations: z.infer<typeof AssessmentRegistrationRequest>[] = [];
  const assessmentResults: z.infer<typeof AssessmentResultRequest>[] = [];
  const subjects: [SubjectKind, number][] = [
    ["learning-family", count(5_000)],
    ["learning-clan", count(200)],
    ["learning-community", count(100)],
    ["learning-unit", count(300)],
  ];
  for (const [kind, n] of subjects)
    for (let i = 0; i < n; i++) {
      const subject = { kind, subjectId: uuidOf(seed, `${kind}-${i}`) };
      const unitCode = r.pick(communes).code;
      assessmentRegistrations.push({ subject, year: YEAR, occurredAt: at(dayIn(r, 3), 9), unitCode });
      if (r.next() < 0.9)
        assessmentResults.push({
          subject,
          year: YEAR,
          scheme: { id: "qd-281-2014", version: 1 },
          level: r.next() < 0.85 ? "recognised" : "not-recognised",
          assessedBy: "Ban chỉ đạo xây dựng xã hội học tập xã",
          occurredAt: at(dayIn(r, 12), 14),
          unitCode,
        });
    }
  const campaigns = campaignsOf().map((c, n) => ({ ...c, ...provincial(n + 1) }));
  const pledges: DonationForm[] = [];
  for (let i = 0; i < count(3_000); i++) {
    const campaign = r.weighted([
      [campaigns[0], 50],
      [campaigns[1], 10],
      [campaigns[2], 5],
      [campaigns[3], 15],
      [campaigns[4], 10],
      [campaigns[5], 10],
    ] as const);
    if (campaign === undefined) continue;
    const unitCode = campaign.units[0] === "15" ? r.pick(communes).code : r.pick(campaign.units);
    const from = Date.parse(`${campaign.window.from}T00:00:00+07:00`);
    const to = Date.parse(`${campaign.window.to}T23:00:00+07:00`);
    const when = new Date(from + Math.floor(r.next() * (to - from)));
    const day = new Date(when.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
    pledges.push({
      eventId: uuidOf(seed, `pledge-${i}`),
      campaignId: campaign.id,
      unitCode,
      occurredAt: at(day, 19),
      donor: r.weighted([
        [
          {
            kind: "individual" as const,
            name: `${r.pick(FAMILY)} Văn ${r.pick(GIVEN)}`,
            anonymous: r.next() < 0.2,
          },
          70,
        ],
        [{ kind: "business" as const, name: "Công ty Cổ phần Chè Nghĩa Lộ", anonymous: false }, 15],
        [{ kind: "class" as const, name: "Lớp 7A", anonymous: false }, 15],
      ] as const),
      contribution:
        campaign.kind === "bookshelf-project" && r.next() < 0.5
          ? {
              kind: "in-kind",
              description: "Sách thiếu nhi",
              valuationVnd: hundredThousands(r, 200_000, 2_000_000),
            }
          : { kind: "money", amountVnd: hundredThousands(r, 100_000, 5_000_000) },
    });
  }
  return {
    name: "yen-bai-2018",
    seed,
    scale,
    year: YEAR,
    province: "15",
    campaigns,
    registrations,
    grants,
    sponsorships,
    assessmentRegistrations,
    assessmentResults,
    pledges,
  };
};
