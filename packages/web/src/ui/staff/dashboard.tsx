import { useEffect, useMemo, useState } from "preact/hooks";
import type { CampaignAnswer } from "../../campaign-view.ts";
import { formatVnd, type Lang } from "../../format.ts";
import { coversUnit, pledgedIn } from "../../staff-figures.ts";
import {
  apiUrl,
  type CampaignSummary,
  loadCampaign,
  loadCampaigns,
  loadUnits,
  type UnitEntry,
} from "../api.ts";
import type { StaffPageProps } from "./pages.tsx";
import { staffFetch } from "./session.ts";
import { sessionEnded } from "./sign-in.ts";
import { type StaffTexts, staffTextsOf } from "./texts.ts";

/** `GET /v1/units/{code}/support?year=` (functions/unit-figures, README). */
interface SupportFigures {
  readonly unit: { readonly code: string; readonly name: string };
  readonly luot: number;
  readonly people: number;
  readonly moneyVnd: number;
  readonly inKindVnd: number;
  readonly byReason: Readonly<
    Record<string, { readonly luot: number; readonly moneyVnd: number; readonly inKindVnd: number }>
  >;
  readonly target?: { readonly minLuot: number; readonly percent: number };
}

/** `GET /v1/units/{code}/assessments?year=`. */
interface AssessmentFigures {
  readonly byKind: readonly {
    readonly kind: string;
    readonly registered: number;
    readonly assessed: number;
    readonly recognised: number;
    readonly ratePercent: number | null;
    readonly targetPercent?: number;
  }[];
}

/** `GET /v1/units/{code}/sponsorships`. */
interface SponsorshipFigures {
  readonly started: number;
  readonly active: number;
  readonly teachers: number;
  readonly students: number;
}

interface Figures {
  readonly support: SupportFigures;
  readonly assessments: AssessmentFigures;
  readonly sponsorships: SponsorshipFigures;
}

type Loaded = Figures | { readonly failed: "forbidden" | "not-found" | "other" } | undefined;

const thisYear = () =>
  Number(
    new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh", year: "numeric" }).format(new Date()),
  );

/** One staff read; a 401 ends the session (the area then asks to sign in again). */
const read = async <T,>(props: StaffPageProps, path: string): Promise<T> => {
  const response = await staffFetch(props.session, path);
  if (sessionEnded(response)) throw new Error("401");
  if (!response.ok) throw new Error(String(response.status));
  return (await response.json()) as T;
};

const loadFigures = async (props: StaffPageProps, unit: string, year: number): Promise<Loaded> => {
  const code = encodeURIComponent(unit);
  try {
    const [support, assessments, sponsorships] = await Promise.all([
      read<SupportFigures>(props, `v1/units/${code}/support?year=${year}`),
      read<AssessmentFigures>(props, `v1/units/${code}/assessments?year=${year}`),
      read<SponsorshipFigures>(props, `v1/units/${code}/sponsorships?year=${year}`),
    ]);
    return { support, assessments, sponsorships };
  } catch (error) {
    const status = error instanceof Error ? error.message : "";
    return { failed: status === "403" ? "forbidden" : status === "404" ? "not-found" : "other" };
  }
};

const Fact = ({ term, value, testId }: { term: string; value: string; testId?: string }) => (
  <>
    <dt>{term}</dt>
    <dd class="big" data-testid={testId}>
      {value}
    </dd>
  </>
);

const SupportCard = ({ s, t, lang }: { s: SupportFigures; t: StaffTexts; lang: Lang }) => {
  const number = (n: number) => new Intl.NumberFormat(lang === "vi" ? "vi-VN" : "en-GB").format(n);
  const reasons = Object.entries(s.byReason).sort((a, b) => b[1].luot - a[1].luot);
  return (
    <section class="card" aria-labelledby="support-heading">
      <h2 id="support-heading">{t.support}</h2>
      <dl class="facts">
        <Fact term={t.luot} value={number(s.luot)} testId="support-luot" />
        <Fact term={t.people} value={number(s.people)} testId="support-people" />
        <Fact term={t.money} value={formatVnd(s.moneyVnd, lang)} testId="support-money" />
        <Fact term={t.inKind} value={formatVnd(s.inKindVnd, lang)} testId="support-in-kind" />
        {s.target && <Fact term={t.target} value={number(s.target.minLuot)} />}
      </dl>
      {s.target ? (
        <>
          <label for="target-progress">
            {t.targetProgress}: {number(s.target.percent)} %
          </label>
          <progress id="target-progress" max={100} value={Math.min(100, s.target.percent)} />
        </>
      ) : (
        <p class="muted">{t.noTarget}</p>
      )}
      {reasons.length > 0 && (
        <div class="scroll">
          <table>
            <caption class="visually-hidden">{t.byReason}</caption>
            <thead>
              <tr>
                <th scope="col">{t.reason}</th>
                <th scope="col" class="num">
                  {t.luot}
                </th>
                <th scope="col" class="num">
                  {t.money}
                </th>
                <th scope="col" class="num">
                  {t.inKind}
                </th>
              </tr>
            </thead>
            <tbody>
              {reasons.map(([reason, r]) => (
                <tr key={reason}>
                  <th scope="row">{t.reasons[reason] ?? reason}</th>
                  <td class="num">{number(r.luot)}</td>
                  <td class="num">{formatVnd(r.moneyVnd, lang)}</td>
                  <td class="num">{formatVnd(r.inKindVnd, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
};

const AssessmentCard = ({ a, t, lang }: { a: AssessmentFigures; t: StaffTexts; lang: Lang }) => {
  const number = (n: number) => new Intl.NumberFormat(lang === "vi" ? "vi-VN" : "en-GB").format(n);
  return (
    <section class="card" aria-labelledby="assessments-heading">
      <h2 id="assessments-heading">{t.assessments}</h2>
      {a.byKind.length === 0 ? (
        <p class="muted">{t.noAssessments}</p>
      ) : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t.assessmentKind}</th>
                <th scope="col" class="num">
                  {t.registered}
                </th>
                <th scope="col" class="num">
                  {t.assessed}
                </th>
                <th scope="col" class="num">
                  {t.recognised}
                </th>
                <th scope="col" class="num">
                  {t.rate}
                </th>
                <th scope="col" class="num">
                  {t.schemeTarget}
                </th>
              </tr>
            </thead>
            <tbody>
              {a.byKind.map((k) => (
                <tr key={k.kind}>
                  <th scope="row">{k.kind}</th>
                  <td class="num">{number(k.registered)}</td>
                  <td class="num">{number(k.assessed)}</td>
                  <td class="num">{number(k.recognised)}</td>
                  <td class="num">{k.ratePercent === null ? "–" : `${number(k.ratePercent)} %`}</td>
                  <td class="num">{k.targetPercent === undefined ? "–" : `${number(k.targetPercent)} %`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
};

/** The campaigns over the unit, with what was pledged in it; campaign-wide received money beside. */
const CampaignCard = ({
  unit,
  units,
  t,
  lang,
}: {
  unit: string;
  units: UnitEntry[];
  t: StaffTexts;
  lang: Lang;
}) => {
  const [rows, setRows] = useState<{ c: CampaignSummary; answer: CampaignAnswer }[]>();
  const parentOf = useMemo(() => {
    const parents = new Map(units.map((u) => [u.code, u.parent]));
    return (code: string) => parents.get(code);
  }, [units]);
  useEffect(() => {
    setRows(undefined);
    loadCampaigns()
      .then((all) => all.filter((c) => coversUnit(c, unit, parentOf)))
      .then((mine) => Promise.all(mine.map(async (c) => ({ c, answer: await loadCampaign(c.id) }))))
      .then(
        (loaded) =>
          setRows(
            loaded.filter((r): r is { c: CampaignSummary; answer: CampaignAnswer } => r.answer !== undefined),
          ),
        () => setRows([]),
      );
  }, [unit, parentOf]);
  if (rows === undefined || rows.length === 0) return null;
  return (
    <section class="card" aria-labelledby="campaigns-heading">
      <h2 id="campaigns-heading">{t.campaigns}</h2>
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">{t.campaign}</th>
              <th scope="col" class="num">
                {t.pledged} ({unit})
              </th>
              <th scope="col" class="num">
                {t.received}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ c, answer }) => (
              <tr key={c.id}>
                <th scope="row">
                  <a href={`/campaigns/${encodeURIComponent(c.id)}`}>{c.name[lang]}</a>
                </th>
                <td class="num">{formatVnd(pledgedIn(answer, unit, parentOf).vnd, lang)}</td>
                <td class="num">{answer.received ? formatVnd(answer.received.moneyVnd, lang) : "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
};

/** The unit's fund: the headline of its live disclosure (the public figures, aggregates only). */
const FundCard = ({ unit, year, t, lang }: { unit: string; year: number; t: StaffTexts; lang: Lang }) => {
  const [headline, setHeadline] = useState<string | null>();
  useEffect(() => {
    setHeadline(undefined);
    apiUrl()
      // The public answer may be kept a minute; staff back from recording support should see it used.
      .then((base) =>
        fetch(new URL(`v1/public/funds/${encodeURIComponent(unit)}?year=${year}`, base), {
          cache: "no-cache",
        }),
      )
      .then((r) =>
        r.ok ? (r.json() as Promise<{ headline: { vi: string; en: string } }>) : Promise.reject(new Error()),
      )
      .then(
        (d) => setHeadline(d.headline[lang]),
        () => setHeadline(null),
      );
  }, [unit, year, lang]);
  if (headline === undefined) return null;
  return (
    <section class="card" aria-labelledby="fund-heading">
      <h2 id="fund-heading">{t.fund}</h2>
      <p data-testid="fund-headline">{headline ?? t.noFund}</p>
      <p>
        <a href="/transparency">{t.fundMore}</a>
      </p>
    </section>
  );
};

/** `/staff`: the member's unit (or one they type, within their scope) for a year, against its targets. */
export const Dashboard = (props: StaffPageProps) => {
  const t = staffTextsOf(props.lang);
  const start = props.session.unit ?? "VN";
  const [typed, setTyped] = useState({ unit: start, year: String(thisYear()) });
  const [asked, setAsked] = useState({ unit: start, year: thisYear() });
  const [figures, setFigures] = useState<Loaded>();
  const [units, setUnits] = useState<UnitEntry[]>([]);
  useEffect(() => {
    loadUnits().then(setUnits, () => undefined);
  }, []);
  useEffect(() => {
    setFigures(undefined);
    loadFigures(props, asked.unit, asked.year).then(setFigures);
  }, [asked.unit, asked.year, props.session.idToken]);
  useEffect(() => {
    document.title = `${t.dashboard} · ${t.area}`;
  }, [t]);

  const onSubmit = (event: Event) => {
    event.preventDefault();
    const year = Number(typed.year);
    setAsked({
      unit: typed.unit.trim().toUpperCase() || start,
      year: Number.isInteger(year) ? year : thisYear(),
    });
  };
  const name =
    figures && "support" in figures
      ? figures.support.unit.name
      : (units.find((u) => u.code === asked.unit)?.name ?? asked.unit);

  return (
    <>
      <h1>
        {t.dashboard}: {name} · {asked.year}
      </h1>
      <form class="filters" onSubmit={onSubmit}>
        <label>
          {t.unitCode}
          <input
            type="text"
            inputMode="numeric"
            autocomplete="off"
            value={typed.unit}
            aria-describedby="unit-code-hint"
            onInput={(e) => setTyped((f) => ({ ...f, unit: e.currentTarget.value }))}
          />
        </label>
        <label>
          {t.year}
          <select
            value={typed.year}
            onChange={(e) => setTyped((f) => ({ ...f, year: e.currentTarget.value }))}
          >
            {Array.from({ length: 10 }, (_, i) => String(thisYear() - i)).map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="secondary">
          {t.show}
        </button>
        <p id="unit-code-hint" class="muted hint">
          {t.unitCodeHint}
        </p>
      </form>
      {figures === undefined && <p aria-live="polite">{t.loading}</p>}
      {figures && "failed" in figures && (
        <p role="alert" class="error">
          {figures.failed === "forbidden"
            ? t.forbidden
            : figures.failed === "not-found"
              ? t.unitNotFound
              : t.loadFailed}
        </p>
      )}
      {figures && "support" in figures && (
        <>
          <SupportCard s={figures.support} t={t} lang={props.lang} />
          <AssessmentCard a={figures.assessments} t={t} lang={props.lang} />
          <section class="card" aria-labelledby="sponsorships-heading">
            <h2 id="sponsorships-heading">{t.sponsorships}</h2>
            <dl class="facts">
              <dt>{t.activeSponsorships}</dt>
              <dd>{figures.sponsorships.active}</dd>
              <dt>{t.startedSponsorships}</dt>
              <dd>{figures.sponsorships.started}</dd>
              <dt>{t.sponsoringTeachers}</dt>
              <dd>{figures.sponsorships.teachers}</dd>
              <dt>{t.sponsoredStudents}</dt>
              <dd>{figures.sponsorships.students}</dd>
            </dl>
          </section>
          <CampaignCard unit={asked.unit} units={units} t={t} lang={props.lang} />
          <FundCard unit={asked.unit} year={asked.year} t={t} lang={props.lang} />
        </>
      )}
    </>
  );
};
