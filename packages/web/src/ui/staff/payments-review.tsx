import { useEffect, useState } from "preact/hooks";
import { errorsOf } from "../../form-issues.ts";
import { formatDate, formatVnd, type Lang } from "../../format.ts";
import { issueMessage } from "../../issue-messages.ts";
import {
  emptyResolution,
  type ResolutionChoice,
  type ResolutionState,
  resolutionBodyOf,
  resolutionFieldOf,
} from "../../transfer-resolution.ts";
import { type CampaignSummary, loadCampaigns } from "../api.ts";
import { type FormOutcome, postStaff } from "./form-kit.tsx";
import { type MoneyTexts, moneyTextsOf } from "./money-texts.ts";
import type { StaffPageProps } from "./pages.tsx";
import { staffFetch } from "./session.ts";
import { sessionEnded } from "./sign-in.ts";

/** One transfer of `GET /v1/payments/review` (functions/payments/review.ts). */
interface Transfer {
  readonly transferId: string;
  readonly amountVnd: number;
  readonly transactionAt: string;
  readonly content: string;
  readonly accountNumber: string;
  readonly gateway: string;
  readonly reason: string;
}

type Listed = { readonly transfers: readonly Transfer[] } | { readonly failed: true } | undefined;

const CHOICES: readonly ResolutionChoice[] = ["pledge", "campaign", "not-a-donation"];

/** One transfer and the form that resolves it; `onResolved` takes it off the list. */
const TransferCard = (props: {
  page: StaffPageProps;
  transfer: Transfer;
  campaigns: readonly CampaignSummary[];
  t: MoneyTexts;
  onResolved: () => void;
}) => {
  const { transfer, t, page } = props;
  const lang: Lang = page.lang;
  const [form, setForm] = useState<ResolutionState>(emptyResolution);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<FormOutcome>();
  const id = transfer.transferId.slice(0, 8);
  const { fields: errors, general, refusalAbove } = errorsOf(outcome, resolutionFieldOf, lang);
  const set = <K extends keyof ResolutionState>(key: K, value: ResolutionState[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      // The route is idempotent per transfer (the same request again answers as the first did), so the
      // retries postStaff makes after a network error or a 503 resolve it once.
      const sent = await postStaff(
        page.session,
        `v1/payments/${encodeURIComponent(transfer.transferId)}/match`,
        resolutionBodyOf(form),
      );
      if (sent.kind === "accepted") props.onResolved();
      else if (sent.kind !== "signed-out") setOutcome(sent);
    } finally {
      setBusy(false);
    }
  };
  const field = (key: "donationCode" | "note", label: string, hint?: string) => (
    <div class={errors[key] ? "field invalid" : "field"}>
      <label for={`${key}-${id}`}>{label}</label>
      <input
        id={`${key}-${id}`}
        type="text"
        autocomplete="off"
        spellcheck={false}
        value={form[key]}
        onInput={(e) => set(key, e.currentTarget.value)}
        {...(errors[key] ? { "aria-invalid": "true" as const } : {})}
        aria-describedby={[hint && `${key}-${id}-hint`, errors[key] && `${key}-${id}-error`]
          .filter(Boolean)
          .join(" ")}
      />
      {hint && (
        <p id={`${key}-${id}-hint`} class="muted hint">
          {hint}
        </p>
      )}
      {errors[key] && (
        <p id={`${key}-${id}-error`} class="error" data-testid={`${key}-error`}>
          {errors[key]}
        </p>
      )}
    </div>
  );
  return (
    <article class="card" aria-labelledby={`transfer-${id}`} data-testid="transfer">
      <h2 id={`transfer-${id}`}>
        {t.transferOf(formatVnd(transfer.amountVnd, lang), formatDate(transfer.transactionAt, lang))}
      </h2>
      <dl class="facts">
        <dt>{t.content}</dt>
        <dd>{transfer.content}</dd>
        <dt>{t.account}</dt>
        <dd>
          {transfer.accountNumber} · {transfer.gateway}
        </dd>
        <dt>{t.whyHere}</dt>
        <dd>{t.reviewReasons[transfer.reason] ?? transfer.reason}</dd>
      </dl>
      <form noValidate onSubmit={onSubmit} aria-busy={busy}>
        <div role="alert" class="summary">
          {general.map((g) => (
            <p key={g}>{g}</p>
          ))}
          {outcome?.kind === "unreachable" && <p>{t.unreachable}</p>}
          {outcome?.kind === "refused" && !refusalAbove && <p>{t.seeBelow}</p>}
          {outcome?.kind === "refused" && refusalAbove && (
            <p data-testid="refusal">
              {t.refused} {issueMessage(outcome.error, lang)}
            </p>
          )}
        </div>
        <fieldset class="field">
          <legend>{t.resolveAs}</legend>
          {CHOICES.map((choice) => (
            <span key={choice} class="check">
              <input
                id={`${choice}-${id}`}
                type="radio"
                name={`choice-${id}`}
                checked={form.choice === choice}
                onChange={() => set("choice", choice)}
              />
              <label for={`${choice}-${id}`}>
                {choice === "pledge" ? t.asPledge : choice === "campaign" ? t.asCampaign : t.asNotDonation}
              </label>
            </span>
          ))}
        </fieldset>
        {form.choice === "pledge" && field("donationCode", t.donationCode, t.donationCodeHint)}
        {form.choice === "campaign" && (
          <div class={errors.campaignId ? "field invalid" : "field"}>
            <label for={`campaignId-${id}`}>{t.campaign}</label>
            <select
              id={`campaignId-${id}`}
              value={form.campaignId}
              onChange={(e) => set("campaignId", e.currentTarget.value)}
              {...(errors.campaignId ? { "aria-invalid": "true" as const } : {})}
            >
              <option value="">{t.choose}</option>
              {props.campaigns.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name[lang]}
                </option>
              ))}
            </select>
            {errors.campaignId && <p class="error">{errors.campaignId}</p>}
          </div>
        )}
        {form.choice === "not-a-donation" && field("note", t.note)}
        <button type="submit" disabled={busy}>
          {busy ? t.sending : t.confirm}
        </button>
      </form>
    </article>
  );
};

/**
 * `/staff/payments`: transfers that arrived with no donation code the door knew, in the member's scope
 * (docs/payments.md). Staff tie each to a pledge's code or a campaign, or say it was not a donation; a
 * resolved transfer leaves the list, and the list is read again so two people see the same.
 */
export const PaymentsReview = (props: StaffPageProps) => {
  const t = moneyTextsOf(props.lang);
  const [listed, setListed] = useState<Listed>();
  const [campaigns, setCampaigns] = useState<CampaignSummary[]>([]);
  const [notice, setNotice] = useState<string>();

  const load = async () => {
    try {
      const response = await staffFetch(props.session, "v1/payments/review");
      if (sessionEnded(response)) return;
      if (!response.ok) throw new Error(String(response.status));
      setListed((await response.json()) as { transfers: Transfer[] });
    } catch {
      setListed({ failed: true });
    }
  };
  useEffect(() => {
    document.title = t.review;
    void load();
    loadCampaigns().then(setCampaigns, () => undefined);
  }, [t]);

  return (
    <>
      <h1>{t.review}</h1>
      <p class="muted">{t.reviewIntro}</p>
      <p role="status" class="notice">
        {notice}
      </p>
      {listed === undefined && <p>…</p>}
      {listed !== undefined && "failed" in listed && (
        <p role="alert">
          {t.loadFailed}{" "}
          <button type="button" class="secondary" onClick={() => void load()}>
            {t.reload}
          </button>
        </p>
      )}
      {listed !== undefined && "transfers" in listed && listed.transfers.length === 0 && (
        <p>{t.reviewEmpty}</p>
      )}
      {listed !== undefined &&
        "transfers" in listed &&
        listed.transfers.map((transfer) => (
          <TransferCard
            key={transfer.transferId}
            page={props}
            transfer={transfer}
            campaigns={campaigns}
            t={t}
            onResolved={() => {
              setNotice(t.resolved);
              void load();
            }}
          />
        ))}
    </>
  );
};
