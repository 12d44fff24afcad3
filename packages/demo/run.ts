import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Report } from "#domain/reports/report.ts";
import { REASON_VI } from "#domain/reports/yearly.ts";
import { baseNameOf, generateReport, type ReportRequest, type ReportSources } from "#reports/generate.ts";
import { renderAll } from "#reports/render.ts";
import { generateMoney, restrictedGrants } from "./money.ts";
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
  /** Signs a bank-transfer notification as the notifier would (the stack's notifier secret). */
  readonly signNotification: (body: unknown) => { body: string; headers: Record<string, string> };
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
  /** Every campaign's `received` equals the transfers, cash and goods the generator sent for it. */
  readonly receivedMatches: boolean;
  readonly receivedVnd: number;
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
  const generated = generateYenBai2018(seed, scale);
  const money = generateMoney(generated);
  // Grants paid from the bookshelf project's restricted money join the year's support.
  const scenario = { ...generated, grants: [...generated.grants, ...restrictedGrants(generated, money)] };
  const truth = truthOf(scenario);
  say(
    `demo: Yên Bái 2018, seed ${seed}, scale ${scale}: ${scenario.registrations.length} people, ` +
      `${scenario.grants.length} grants, ${scenario.sponsorships.length} sponsorships, ` +
      `${scenario.assessmentRegistrations.length + scenario.assessmentResults.length} assessment records, ` +
      `${scenario.pledges.length} pledges to ${scenario.campaigns.length} campaigns, ` +
      `${money.notifications.length} bank transfers, ${money.cash.length} piggy banks, ${money.goods.length} gifts of books`,
  );
  const admin = target.token("association-admin", "VN");
  const staff = target.token("association-admin", scenario.province);
  const post =
    (path: string, token?: string) =>
    (body: unknown): Request => ({
      method: "POST",
      path,
      body,
      ...(token === undefined ? {} : { token }),
    });
  let refused = 0;
  const send = async (name: string, requests: readonly Request[]) => {
    const phaseStart = Date.now();
    const outcome = await sendAll(target.url, requests, target.concurrency ?? 16, (done, of) =>
      say(
        `  ${name}: ${done}/${of} sent (${Math.round(done / Math.max(0.001, (Date.now() - phaseStart) / 1000))}/s)`,
      ),
    );
    refused += outcome.refused.length;
    for (const r of outcome.refused.slice(0, 3)) say(`  refused ${r.status} ${r.path}: ${r.body}`);
  };
  await send("campaigns", scenario.campaigns.map(post("/v1/campaigns", admin)));
  await send("beneficiaries", scenario.registrations.map(post("/v1/beneficiaries", staff)));
  await send("pledges", scenario.pledges.map(post("/v1/donations")));
  // Money arrives: transfers (three in ten delivered twice, as notifiers retry), cash and goods.
  const signed = money.notifications.map((n) => ({
    ...post("/v1/payments/bank-transfer")(n),
    raw: target.signNotification(n),
  }));
  await send("bank transfers", [...signed, ...signed.filter((_, i) => i % 10 < 3)]);
  await send("cash", money.cash.map(post("/v1/receipts/cash", staff)));
  await send("goods", money.goods.map(post("/v1/receipts/goods", staff)));
  // Restricted money is spent only once it is seen received: wait for the campaigns' figures.
  const receivedDiffers = async () => {
    const out: string[] = [];
    for (const campaign of scenario.campaigns) {
      const response = await fetch(`${target.url}/v1/campaigns/${campaign.id}`);
      const view = (await response.json()) as {
        received?: { moneyVnd: number; inKindVnd: number; count: number };
      };
      const want = money.receivedByCampaign.get(campaign.id) ?? { moneyVnd: 0, inKindVnd: 0, count: 0 };
      for (const k of ["moneyVnd", "inKindVnd", "count"] as const)
        if (view.received?.[k] !== want[k])
          out.push(`campaign ${campaign.id} received ${k}: ${view.received?.[k]}, truth ${want[k]}`);
    }
    return out;
  };
  const moneyDeadline = Date.now() + (target.settleMs ?? 300_000);
  let receivedMismatches = await receivedDiffers();
  while (receivedMismatches.length > 0 && Date.now() < moneyDeadline) {
    await sleep(1_000);
    receivedMismatches = await receivedDiffers();
  }
  say(
    `  received: ${receivedMismatches.length === 0 ? "every campaign's received equals the money sent" : receivedMismatches[0]}`,
  );
  await send("support", scenario.grants.map(post("/v1/support", staff)));
  await send("sponsorships", scenario.sponsorships.map(post("/v1/sponsorships", staff)));
  await send("assessments", [
    ...scenario.assessmentRegistrations.map(post("/v1/assessments/registrations", staff)),
    ...scenario.assessmentResults.map(post("/v1/assessments/results", staff)),
  ]);
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
  // The province's fund discloses its year: what it received by purpose must be what was sent.
  const disclosure: ReportRequest = { kind: "disclosure", unit: scenario.province, year: scenario.year };
  const disclosed = await generateReport(disclosure, target.sources);
  const purposes = disclosed.sheets[0]?.rows ?? [];
  const sentMoney = [...money.receivedByCampaign.values()].reduce((t, r) => t + r.moneyVnd, 0);
  const sentGoods = [...money.receivedByCampaign.values()].reduce((t, r) => t + r.inKindVnd, 0);
  const disclosedMoney = purposes.reduce((t, r) => t + Number(r.receivedMoney), 0);
  const disclosedGoods = purposes.reduce((t, r) => t + Number(r.receivedGoods), 0);
  if (disclosedMoney !== sentMoney)
    receivedMismatches.push(`disclosure received money: ${disclosedMoney}, truth ${sentMoney}`);
  if (disclosedGoods !== sentGoods)
    receivedMismatches.push(`disclosure received goods: ${disclosedGoods}, truth ${sentGoods}`);
  mkdirSync(target.reportsDir, { recursive: true });
  const paths: string[] = [];
  for (const [request, r] of [
    [plan, report],
    [current, currentReport],
    [disclosure, disclosed],
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
  say(`demo: the province's fund: ${disclosed.headline.vi}`);
  for (const m of [...mismatches, ...currentMismatches, ...receivedMismatches].slice(0, 10))
    say(`  MISMATCH ${m}`);
  return {
    scenario: "yen-bai-2018",
    seed,
    scale,
    peopleSupported: stated.people,
    luot: stated.luot,
    moneyVnd: stated.moneyVnd,
    inKindVnd: stated.inKindVnd,
    matchesTruth: mismatches.length === 0,
    receivedMatches: receivedMismatches.length === 0,
    receivedVnd: [...money.receivedByCampaign.values()].reduce((t, r) => t + r.moneyVnd + r.inKindVnd, 0),
    currentUnitsMatch: currentMismatches.length === 0,
    mismatches: [...mismatches, ...currentMismatches, ...receivedMismatches].slice(0, 20),
    refused,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    reports: paths,
  };
};
