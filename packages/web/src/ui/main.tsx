import { render } from "preact";
import { useState } from "preact/hooks";
import type { Lang } from "../format.ts";
import { CampaignPage } from "./campaign-page.tsx";
import { DonatePage } from "./donate-page.tsx";
import { savedLang, saveLang, textsOf } from "./i18n.ts";
import { IndexPage } from "./index-page.tsx";
import { AuthCallback, StaffArea } from "./staff/area.tsx";
import { staffTextsOf } from "./staff/texts.ts";
import { TransparencyPage } from "./transparency-page.tsx";
import "./styles.css";

/** Which page a path names; plain links between pages keep every page its own address. */
const pageOf = (path: string, lang: Lang) => {
  const donate = /^\/campaigns\/([^/]+)\/donate\/?$/.exec(path);
  if (donate?.[1]) return <DonatePage campaignId={decodeURIComponent(donate[1])} lang={lang} />;
  const campaign = /^\/campaigns\/([^/]+)\/?$/.exec(path);
  if (campaign?.[1]) return <CampaignPage campaignId={decodeURIComponent(campaign[1])} lang={lang} />;
  if (path === "/" || path === "/index.html") return <IndexPage lang={lang} />;
  if (/^\/transparency\/?$/.test(path)) return <TransparencyPage lang={lang} />;
  if (/^\/staff(\/|$)/.test(path)) return <StaffArea path={path} lang={lang} />;
  if (path === "/auth/callback") return <AuthCallback lang={lang} />;
  return <p role="alert">{textsOf(lang).notFound}</p>;
};

const App = () => {
  const [lang, setLang] = useState<Lang>(savedLang);
  const t = textsOf(lang);
  const other: Lang = lang === "vi" ? "en" : "vi";
  saveLang(lang);
  return (
    <>
      <header class="site">
        <a class="brand" href="/">
          {t.association}
        </a>
        <a class="nav" href="/transparency">
          {t.transparency}
        </a>
        <a class="nav" href="/staff">
          {staffTextsOf(lang).staffLink}
        </a>
        <button
          type="button"
          class="lang"
          lang={other}
          aria-label={t.switchLabel}
          onClick={() => setLang(other)}
        >
          {t.switchTo}
        </button>
      </header>
      <main id="main">{pageOf(location.pathname, lang)}</main>
    </>
  );
};

const root = document.getElementById("app");
if (root) render(<App />, root);
