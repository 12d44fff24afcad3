import { useEffect, useState } from "preact/hooks";
import { formatDate, formatVnd, type Lang } from "../format.ts";
import { type CampaignSummary, loadCampaigns } from "./api.ts";
import { textsOf } from "./i18n.ts";

/** Today in Vietnam, as `YYYY-MM-DD`. */
const today = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh" }).format(new Date());

/** Whether the campaign takes pledges today by its window (the API has the last word: closed early). */
const isOpen = (c: CampaignSummary) => c.window.from <= today() && today() <= c.window.to;

/** The example campaigns, each with its dates, goal and links to follow it or give. */
export const IndexPage = ({ lang }: { lang: Lang }) => {
  const t = textsOf(lang);
  const [campaigns, setCampaigns] = useState<CampaignSummary[] | "failed">();
  useEffect(() => {
    loadCampaigns().then(setCampaigns, () => setCampaigns("failed"));
  }, []);
  useEffect(() => {
    document.title = `${t.campaigns} · ${t.association}`;
  }, [t]);
  return (
    <>
      <h1>{t.campaigns}</h1>
      <p>{t.campaignsIntro}</p>
      {campaigns === undefined && <p aria-live="polite">{t.loading}</p>}
      {campaigns === "failed" && <p role="alert">{t.loadFailed}</p>}
      {Array.isArray(campaigns) && (
        <ul class="cards">
          {campaigns.map((c) => (
            <li key={c.id} class="card">
              <h2>
                <a href={`/campaigns/${encodeURIComponent(c.id)}`}>{c.name[lang]}</a>
              </h2>
              <dl class="facts">
                <dt>{t.window}</dt>
                <dd>
                  {formatDate(c.window.from, lang)} – {formatDate(c.window.to, lang)}
                </dd>
                {c.goals.moneyVnd !== undefined && (
                  <>
                    <dt>{t.goal}</dt>
                    <dd>{formatVnd(c.goals.moneyVnd, lang)}</dd>
                  </>
                )}
              </dl>
              {isOpen(c) && (
                <a class="button" href={`/campaigns/${encodeURIComponent(c.id)}/donate`}>
                  {t.donate}
                  <span class="visually-hidden">: {c.name[lang]}</span>
                </a>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
};
