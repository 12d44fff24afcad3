import { useEffect, useState } from "preact/hooks";
import type { Lang } from "../../format.ts";
import { loadUnits, type UnitEntry } from "../api.ts";
import { staffPages } from "./pages.tsx";
import { loadSession, type StaffSession } from "./session.ts";
import { authConfig, completeSignIn, EXPIRED_EVENT, signOut, startSignIn } from "./sign-in.ts";
import { type StaffTexts, staffTextsOf } from "./texts.ts";
import "./staff.css";

/** Why the sign-in panel is shown: first visit, an ended session, or a failed sign-in. */
type Reason = "none" | "expired" | "failed" | "unexpected" | "refused" | "unconfigured";

const reasonText = (reason: Reason, t: StaffTexts): string | undefined =>
  ({
    none: undefined,
    expired: t.expired,
    failed: t.signInFailed,
    unexpected: t.signInUnexpected,
    refused: t.signInRefused,
    unconfigured: t.noSignIn,
  })[reason];

/** No session: what the area is, and the button that leaves for the hosted sign-in page. */
const SignInPanel = ({ t, reason, returnTo }: { t: StaffTexts; reason: Reason; returnTo: string }) => {
  const [shown, setShown] = useState(reason);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = `${t.signInTitle} · ${t.area}`;
  }, [t]);
  const message = reasonText(shown, t);
  return (
    <section class="card sign-in" aria-labelledby="sign-in-heading">
      <h1 id="sign-in-heading">{t.signInTitle}</h1>
      {message && (
        <p role="alert" class="error">
          {message}
        </p>
      )}
      <p>{t.signInIntro}</p>
      <button
        type="button"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          if (!(await startSignIn(returnTo))) {
            setShown("unconfigured");
            setBusy(false);
          }
        }}
      >
        {busy ? t.signingIn : t.signIn}
      </button>
    </section>
  );
};

/** `/auth/callback`: redeems the code with this tab's verifier, keeps the session, opens the staff page. */
export const AuthCallback = ({ lang }: { lang: Lang }) => {
  const t = staffTextsOf(lang);
  const [failed, setFailed] = useState<Reason>();
  useEffect(() => {
    completeSignIn().then((outcome) => {
      if (outcome.kind === "signed-in") location.replace(outcome.returnTo);
      else setFailed(outcome.kind);
    });
  }, []);
  if (failed === undefined) return <p aria-live="polite">{t.signingIn}</p>;
  return <SignInPanel t={t} reason={failed} returnTo="/staff" />;
};

const unitWords = (session: StaffSession, units: UnitEntry[], t: StaffTexts) => {
  if (session.unit === undefined || session.unit === "VN") return t.nationwide;
  const name = units.find((u) => u.code === session.unit)?.name;
  return name ? `${name} (${session.unit})` : session.unit;
};

/** Who is signed in, with the way out. */
const Member = ({ session, t }: { session: StaffSession; t: StaffTexts }) => {
  const [units, setUnits] = useState<UnitEntry[]>([]);
  useEffect(() => {
    loadUnits().then(setUnits, () => undefined);
  }, []);
  return (
    <section class="member" aria-label={t.signedInAs}>
      <p>
        <strong data-testid="member-name">{session.name ?? session.subject}</strong>
        <span class="muted"> · {t.roles[session.role] ?? session.role}</span>
        <br />
        <span class="muted">{t.unitLabel}: </span>
        <span data-testid="member-unit">{unitWords(session, units, t)}</span>
      </p>
      <button type="button" class="secondary" onClick={() => void signOut()}>
        {t.signOut}
      </button>
    </section>
  );
};

/**
 * Everything under `/staff`: the sign-in when there is no session, else the member, the navigation built
 * from `staffPages`, and the page the path names. A 401 from any staff route, or the session's end, takes
 * the member back to the sign-in.
 */
export const StaffArea = ({ path, lang }: { path: string; lang: Lang }) => {
  const t = staffTextsOf(lang);
  const [session, setSession] = useState(() => loadSession());
  const [reason, setReason] = useState<Reason>("none");
  useEffect(() => {
    const ended = () => {
      setSession(undefined);
      setReason("expired");
    };
    window.addEventListener(EXPIRED_EVENT, ended);
    const timer = session ? setTimeout(ended, Math.max(0, session.expiresAt - Date.now())) : undefined;
    return () => {
      window.removeEventListener(EXPIRED_EVENT, ended);
      clearTimeout(timer);
    };
  }, [session]);
  useEffect(() => {
    // Learn early whether sign-in is configured, so the button does not fail on first press.
    void authConfig();
  }, []);
  if (session === undefined) return <SignInPanel t={t} reason={reason} returnTo={path} />;
  const sub = path.replace(/^\/staff\/?/, "").replace(/\/$/, "");
  const page = staffPages.find((p) => p.path === sub);
  return (
    <div class="staff">
      <Member session={session} t={t} />
      <nav class="staff-nav" aria-label={t.staffNav}>
        <ul>
          {staffPages.map((p) => (
            <li key={p.path}>
              <a
                href={p.path === "" ? "/staff" : `/staff/${p.path}`}
                aria-current={p === page ? "page" : undefined}
              >
                {p.title[lang]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {page ? <page.component session={session} lang={lang} /> : <p role="alert">{t.pageNotFound}</p>}
    </div>
  );
};
