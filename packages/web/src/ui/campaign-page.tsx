import { useEffect, useMemo, useState } from "preact/hooks";
import { type CampaignAnswer, campaignView } from "../campaign-view.ts";
import { formatDate, formatVnd, type Lang } from "../format.ts";
import { loadCampaign, loadUnits, type UnitEntry } from "./api.ts";
import { DayChart } from "./day-chart.tsx";
import { textsOf } from "./i18n.ts";

type Loaded = { answer: CampaignAnswer; units: UnitEntry[] } | "missing" | "failed";

const percent = (lang: Lang, share: number) =>
  new Intl.NumberFormat(lang === "vi" ? "vi-VN" : "en-GB", {
    style: "percent",
    maximumFractionDigits: 1,
  }).format(share);

/** `/campaigns/<id>`: goal and progress, pledged (and received once the API says), by day and by commune. */
export const CampaignPage = ({ campaignId, lang }: { campaignId: string; lang: Lang }) => {
  const t = textsOf(lang);
  const [loaded, setLoaded] = useState<Loaded>();
  useEffect(() => {
    Promise.all([loadCampaign(campaignId), loadUnits()]).then(
      ([answer, units]) => setLoaded(answer ? { answer, units } : "missing"),
      () => setLoaded("failed"),
    );
  }, [campaignId]);
  const view = useMemo(() => {
    if (typeof loaded !== "object") return undefined;
    const names = new Map(loaded.units.map((u) => [u.code, u.name]));
    return campaignView(loaded.answer, (code) => names.get(code));
  }, [loaded]);
  const name = typeof loaded === "object" ? (loaded.answer.name?.[lang] ?? campaignId) : campaignId;
  useEffect(() => {
    document.title = `${name} · ${t.association}`;
  }, [name, t]);

  if (loaded === undefined) return <p aria-live="polite">{t.loading}</p>;
  if (loaded === "missing") return <p role="alert">{t.notFound}</p>;
  if (loaded === "failed" || view === undefined) return <p role="alert">{t.loadFailed}</p>;
  const dates = loaded.answer.window;
  return (
    <>
      <h1>{name}</h1>
      {dates && (
        <p class="muted">
          {t.window}: {formatDate(dates.from, lang)} – {formatDate(dates.to, lang)}
        </p>
      )}
      <section class="card" aria-labelledby="totals">
        <h2 id="totals" class="visually-hidden">
          {t.pledged}
        </h2>
        <dl class="facts">
          <dt>{t.pledged}</dt>
          <dd class="big" data-testid="pledged">
            {formatVnd(view.pledgedVnd, lang)}
          </dd>
          {view.receivedVnd !== undefined && (
            <>
              <dt>{t.received}</dt>
              <dd data-testid="received">{formatVnd(view.receivedVnd, lang)}</dd>
            </>
          )}
          <dt>{t.donors}</dt>
          <dd>{view.count.toLocaleString(lang === "vi" ? "vi-VN" : "en-GB")}</dd>
          {view.goalVnd !== undefined && (
            <>
              <dt>{t.goal}</dt>
              <dd>{formatVnd(view.goalVnd, lang)}</dd>
            </>
          )}
        </dl>
        {view.progress !== undefined && (
          <>
            <label for="progress">
              {t.progress}: {percent(lang, view.progress)}
            </label>
            <progress id="progress" max={1} value={view.progress}>
              {percent(lang, view.progress)}
            </progress>
          </>
        )}
        <a class="button" href={`/campaigns/${encodeURIComponent(campaignId)}/donate`}>
          {t.donate}
        </a>
      </section>
      <section aria-labelledby="by-day">
        <h2 id="by-day">{t.byDay}</h2>
        {view.days.length === 0 ? (
          <p>{t.nothingYet}</p>
        ) : (
          <>
            <DayChart days={view.days} lang={lang} />
            <details>
              <summary>{t.byDayTable}</summary>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t.day}</th>
                    <th scope="col" class="num">
                      {t.amount}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {view.days.map((d) => (
                    <tr key={d.day}>
                      <td>{formatDate(d.day, lang)}</td>
                      <td class="num">{formatVnd(d.vnd, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          </>
        )}
      </section>
      <section aria-labelledby="by-commune">
        <h2 id="by-commune">{t.byCommune}</h2>
        {view.communes.length === 0 ? (
          <p>{t.nothingYet}</p>
        ) : (
          <div class="scroll">
            <table data-testid="by-commune">
              <thead>
                <tr>
                  <th scope="col">{t.commune}</th>
                  <th scope="col" class="num">
                    {t.amount}
                  </th>
                </tr>
              </thead>
              <tbody>
                {view.communes.map((c) => (
                  <tr key={c.unitCode}>
                    <td>{c.name}</td>
                    <td class="num">{formatVnd(c.vnd, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
};
