import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Report } from "#domain/reports/report.ts";
import { REASON_VI } from "#domain/reports/yearly.ts";
import { baseNameOf, generateReport, type ReportRequest, type ReportSources } from "#reports/generate.ts";
import { renderAll } from "#reports/render.ts";
import { type Request, sendAll } from "./send.ts";
import { type Figures, type Truth, truthOf } from "./truth.ts";
import { generateYenBai2018 } from "./yen-bai-2018.ts";

/** Where the demo sends and reads: a running stack's URL, tokens for it, its projections, a folder. */
export interface DemoTarget {
  readonly url: string;
  readonly token: (role: "association-admin", unit: string) => string;
  readonly sources: ReportSources;
  readonly reportsDir: string;
  readonly say: (line: string) => void;
  readonly concurrency?: number;
  /** How long to wait for the projector to catch up. */
  readonly settleMs?: number;
}

/** The demo's last line, one JSON object. */
export interface DemoSummary {
  readonly scenario: "yen-bai-2018";
  readonly seed: number;
  readonly scale: number;
  readonly peopleSupported: number;
  readonly luot: number;
  readonly moneyVnd: number;
  readonly inKindVnd: number;
  readonly matchesTruth: boolean;
  readonly currentUnitsMatch: boolean;
  readonly mismatches: readonly string[];
  readonly refused: number;
  readonly seconds: number;
  readonly reports: readonly string[];
}

const SUMMARY = {
  people: "Số người được hỗ trợ (giáo viên và học sinh)",
  luot: "Số lượt hỗ trợ",
  money: "Tiền (đồng)",
  inKind: "Hiện vật quy tiền (đồng)",
} as const;

const sheet = (report: Report, en: string) => report.sheets.find((s) => s.name.en === en)?.rows ?? [];

const summaryOf = (report: Report): Figures => {
  const rows = sheet(report, "Summary");
  const value = (measure: string) => Number(rows.find((r) => r.measure === measure)?.value ?? Number.NaN);
  return {
    people: value(SUMMARY.people),
    luot: value(SUMMARY.luot),
    moneyVnd: value(SUMMARY.money),
    inKindVnd: value(SUMMARY.inKind),
  };
};

const differ = (what: string, report: Figures, truth: Figures): string[] =>
  (["people", "luot", "moneyVnd", "inKindVnd"] as const)
    .filter((k) => report[k] !== truth[k])
    .map((k) => `${what} ${k}: report ${report[k]}, truth ${truth[k]}`);

/** Every figure of the yearly report against the generator's truth; the list of what differs. */
export const compareYearly = (report: Report, truth: Truth): string[] => {
  const out = differ("province", summaryOf(report), truth.province);
  const zero: Figures = { luot: 0, people: 0, moneyVnd: 0, inKindVnd: 0 };
  for (const row of sheet(report, "By unit")) {
    const code = String(row.code);
    const f: Figures = {
      people: Number(row.people),
      luot: Number(row.luot),
      moneyVnd: Number(row.moneyVnd),
      inKindVnd: Number(row.inKindVnd),
    };
    out.push(...differ(`district ${code}`, f, truth.byDistrict.get(code) ?? zero));
  }
  const districtsShown = new Set(sheet(report, "By unit").map((r) => String(r.code)));
  for (const code of truth.byDistrict.keys())
    if (!districtsShown.has(code)) out.push(`district ${code} missing from the report`);
  const reasons = sheet(report, "By reason");
  for (const [reason, luot] of truth.luotByReason) {
    const row = reasons.find((r) => r.reason === (REASON_VI[reason] ?? reason));
    if (Number(row?.luot) !== luot) out.push(`reason ${reason} lượt: report ${row?.luot}, truth ${luot}`);
    const money = truth.moneyByReason.get(reason) ?? 0;
    if (Number(row?.moneyVnd) !== money)
      out.push(`reason ${reason} money: report ${row?.moneyVnd}, truth ${money}`);
  }
  const kinds = sheet(report, "By beneficiary kind");
  for (const [kind, luot] of truth.luotByKind) {
    const label = kind === "teacher" ? "Giáo viên" : "Học sinh, sinh viên";
    const row = kinds.find((r) => r.kind === label);
    if (Number(row?.luot) !== luot) out.push(`kind ${kind}: report ${row?.luot}, truth ${luot}`);
  }
  const assessed = sheet(report, "Assessments");
  const SUBJECT: Record<string, string> = {
    "learning-family": "Gia đình học tập",
    "learning-clan": "Dòng họ học tập",
    "learning-community": "Cộng đồng học tập",
    "learning-unit": "Đơn vị học tập",
  };
  for (const [kind, a] of truth.assessments) {
    const row = assessed.find((r) => r.kind === SUBJECT[kind]);
    for (const k of ["registered", "assessed", "recognised"] as const)
      if (Number(row?.[k]) !== a[k]) out.push(`assessments ${kind} ${k}: report ${row?.[k]}, truth ${a[k]}`);
  }
  return out;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The seed's year through the product: generate it, send it through the public and staff APIs, wait for
 * the projector, make the yearly report through the report path (in the units of 2018, and in today's),
 * and check every figure against the generator's own truth.
 */
export const runYenBai2018 = async (
  target: DemoTarget,
  seed: number,
  scale: number,
): Promise<DemoSummary> => {
  const started = Date.now();
  const { say } = target;
  const scenario = generateYenBai2018(seed, scale);
  const truth = truthOf(scenario);
  say(
    `demo: Yên Bái 2018, seed ${seed}, scale ${scale}: ${scenario.registrations.length} people, ` +
      `${scenario.grants.length} grants, ${scenario.sponsorships.length} sponsorships, ` +
      `${scenario.assessmentRegistrations.length + scenario.assessmentResults.length} assessment records, ` +
      `${scenario.pledges.length} pledges to ${scenario.campaigns.length} campaigns`,
  );
  const admin = target.token("association-admin", "VN");
  const staff = target.token("association-admin", scenario.province);
  const phases: [string, Request[]][] = [
    [
      "campaigns",
      scenario.campaigns.map((body) => ({ method: "POST", path: "/v1/campaigns", body, token: admin })),
    ],
    [
      "beneficiaries",
      scenario.registrations.map((body) => ({
        method: "POST",
        path: "/v1/beneficiaries",
        body,
        token: staff,
      })),
    ],
    ["support", scenario.grants.map((body) => ({ method: "POST", path: "/v1/support", body, token: staff }))],
    [
      "sponsorships",
      scenario.sponsorships.map((body) => ({ method: "POST", path: "/v1/sponsorships", body, token: staff })),
    ],
    [
      "assessments",
      [
        ...scenario.assessmentRegistrations.map((body) => ({
          method: "POST" as const,
          path: "/v1/assessments/registrations",
          body,
          token: staff,
        })),
        ...scenario.assessmentResults.map((body) => ({
          method: "POST" as const,
          path: "/v1/assessments/results",
          body,
          token: staff,
        })),
      ],
    ],
    ["pledges", scenario.pledges.map((body) => ({ method: "POST", path: "/v1/donations", body }))],
  ];
  let refused = 0;
  for (const [name, requests] of phases) {
    const phaseStart = Date.now();
    const outcome = await sendAll(target.url, requests, target.concurrency ?? 16, (done, of) =>
      say(
        `  ${name}: ${done}/${of} sent (${Math.round(done / Math.max(0.001, (Date.now() - phaseStart) / 1000))}/s)`,
      ),
    );
    refused += outcome.refused.length;
    for (const r of outcome.refused.slice(0, 3)) say(`  refused ${r.status} ${r.path}: ${r.body}`);
  }
  // The projector works behind the queue: wait until the province's figures hold every lượt.
  const deadline = Date.now() + (target.settleMs ?? 300_000);
  const plan: ReportRequest = {
    kind: "yearly",
    unit: scenario.province,
    year: scenario.year,
    asOf: "historic",
  };
  let report = await generateReport(plan, target.sources);
  while (Date.now() < deadline) {
    const now = summaryOf(report);
    say(
      `  projected: ${now.luot}/${truth.province.luot} lượt, ${now.people}/${truth.province.people} people`,
    );
    if (now.luot === truth.province.luot && compareYearly(report, truth).length === 0) break;
    await sleep(2_000);
    report = await generateReport(plan, target.sources);
  }
  const current: ReportRequest = { ...plan, asOf: "current" };
  const currentReport = await generateReport(current, target.sources);
  mkdirSync(target.reportsDir, { recursive: true });
  const paths: string[] = [];
  for (const [request, r] of [
    [plan, report],
    [current, currentReport],
  ] as const)
    for (const file of await renderAll(r, `demo-${baseNameOf(request)}`)) {
      const path = join(target.reportsDir, file.name);
      writeFileSync(path, file.body);
      paths.push(path);
    }
  const mismatches = compareYearly(report, truth);
  const currentMismatches = differ("today's units", summaryOf(currentReport), truth.province);
  const stated = summaryOf(report);
  say(`demo: ${report.headline.vi}`);
  say(`demo: in today's units: ${currentReport.headline.vi}`);
  for (const m of [...mismatches, ...currentMismatches].slice(0, 10)) say(`  MISMATCH ${m}`);
  return {
    scenario: "yen-bai-2018",
    seed,
    scale,
    peopleSupported: stated.people,
    luot: stated.luot,
    moneyVnd: stated.moneyVnd,
    inKindVnd: stated.inKindVnd,
    matchesTruth: mismatches.length === 0,
    currentUnitsMatch: currentMismatches.length === 0,
    mismatches: [...mismatches, ...currentMismatches].slice(0, 20),
    refused,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    reports: paths,
  };
};
