import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { errorsOf } from "../form-issues.ts";
import type { Lang } from "../format.ts";
import { issueMessage } from "../issue-messages.ts";
import { type SubmitOutcome, submitDonation } from "../submit.ts";
import { apiUrl, type CampaignSummary, loadCampaigns, loadUnits, type UnitEntry } from "./api.ts";
import { Field } from "./field.tsx";
import { type Texts, textsOf } from "./i18n.ts";
import { qrImageOf } from "./qr.ts";

const DONOR_KINDS = ["individual", "business", "organization", "school", "class"] as const;

interface FormState {
  donorKind: (typeof DONOR_KINDS)[number];
  donorName: string;
  anonymous: boolean;
  kind: "money" | "in-kind";
  amount: string;
  description: string;
  province: string;
  unitCode: string;
  message: string;
}

const EMPTY: FormState = {
  donorKind: "individual",
  donorName: "",
  anonymous: false,
  kind: "money",
  amount: "",
  description: "",
  province: "",
  unitCode: "",
  message: "",
};

/** Digits the reader typed, with or without `.` separators, as integer VND; undefined when none. */
const vndOf = (text: string): number | undefined => {
  const digits = text.replace(/[.\s,₫đ]/g, "");
  return /^\d+$/.test(digits) ? Number(digits) : undefined;
};

/**
 * The body of `POST /v1/donations` from what was typed, as typed: the API validates it and the page
 * words each issue beside its field, so the rules live in one place.
 */
const bodyOf = (campaignId: string, eventId: string, f: FormState) => {
  // Not a number: sent as typed, so the API names what is wrong; nothing typed: left out (required).
  const value = f.amount.trim() === "" ? undefined : (vndOf(f.amount) ?? f.amount);
  const amount = value === undefined ? {} : { [f.kind === "money" ? "amountVnd" : "valuationVnd"]: value };
  return {
    eventId,
    campaignId,
    // Left out when none is chosen, so the API says it is required rather than malformed.
    ...(f.unitCode === "" ? {} : { unitCode: f.unitCode }),
    donor: { kind: f.donorKind, name: f.donorName, anonymous: f.anonymous },
    contribution:
      f.kind === "money"
        ? { kind: "money", ...amount }
        : { kind: "in-kind", description: f.description, ...amount },
    ...(f.message.trim() === "" ? {} : { message: f.message }),
  };
};

/**
 * Which input an issue's path belongs to: the id of the field beside which it is said. Only fields that
 * show an error are here; any other issue is said above the form, so none is lost.
 */
const FIELD_OF: Record<string, string> = {
  "donor.kind": "donorKind",
  "donor.name": "donorName",
  "contribution.amountVnd": "amount",
  "contribution.valuationVnd": "amount",
  "contribution.description": "description",
  unitCode: "unitCode",
  message: "message",
};

type Sent = Extract<SubmitOutcome, { kind: "accepted" }>;

const Thanks = ({
  sent,
  t,
  onAgain,
  campaignId,
}: {
  sent: Sent;
  t: Texts;
  onAgain: () => void;
  campaignId: string;
}) => {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section class="card" aria-labelledby="thanks">
      <h2 id="thanks" tabIndex={-1} ref={heading}>
        {t.thanks}
      </h2>
      {sent.donationCode && (
        <>
          <p>{t.codeIntro}</p>
          <p class="code" data-testid="donation-code">
            {sent.donationCode}
          </p>
        </>
      )}
      {sent.vietQr && (
        <>
          <p>{t.qrIntro}</p>
          <img
            class="qr"
            src={qrImageOf(sent.vietQr)}
            alt={t.qrAlt}
            width={240}
            height={240}
            data-testid="vietqr"
          />
        </>
      )}
      <p class="actions">
        <a class="button" href={`/campaigns/${encodeURIComponent(campaignId)}`}>
          {t.back}
        </a>
        <button type="button" class="secondary" onClick={onAgain}>
          {t.another}
        </button>
      </p>
    </section>
  );
};

/** `/campaigns/<id>/donate`: the pledge form; its eventId is kept across retries so a pledge counts once. */
export const DonatePage = ({ campaignId, lang }: { campaignId: string; lang: Lang }) => {
  const t = textsOf(lang);
  const [campaign, setCampaign] = useState<CampaignSummary>();
  const [units, setUnits] = useState<UnitEntry[]>([]);
  const [form, setForm] = useState<FormState>(EMPTY);
  const [eventId, setEventId] = useState(() => crypto.randomUUID());
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<SubmitOutcome>();
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    loadCampaigns().then(
      (all) => setCampaign(all.find((c) => c.id === campaignId)),
      () => undefined,
    );
    loadUnits().then(setUnits, () => undefined);
  }, [campaignId]);
  const name = campaign?.name[lang] ?? campaignId;
  useEffect(() => {
    document.title = `${t.donateTitle} · ${name}`;
  }, [name, t]);

  // Only the provinces and communes the campaign covers; a national campaign covers them all.
  const covers = (code: string) =>
    !campaign || campaign.units.includes("VN") || campaign.units.includes(code);
  const provinces = useMemo(
    () =>
      units
        .filter((u) => u.parent === undefined)
        .filter((p) => covers(p.code) || units.some((c) => c.parent === p.code && covers(c.code)))
        .sort((a, b) => a.name.localeCompare(b.name, "vi")),
    [units, campaign],
  );
  const communes = useMemo(
    () =>
      units
        .filter((u) => u.parent === form.province && (covers(u.code) || covers(form.province)))
        .sort((a, b) => a.name.localeCompare(b.name, "vi")),
    [units, campaign, form.province],
  );

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const { fields, general, refusalAbove } = errorsOf(outcome, (path) => FIELD_OF[path], lang);

  useEffect(() => {
    // After a refused submit, take the keyboard to the first field that needs fixing.
    if (outcome?.kind === "invalid" || outcome?.kind === "refused")
      formRef.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus();
  }, [outcome]);

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      const result = await submitDonation(await apiUrl(), bodyOf(campaignId, eventId, form), {
        fetch: (input, init) => fetch(input, init),
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      });
      setOutcome(result);
    } catch {
      setOutcome({ kind: "unreachable" });
    } finally {
      setBusy(false);
    }
  };

  const again = () => {
    setForm(EMPTY);
    setOutcome(undefined);
    setEventId(crypto.randomUUID());
  };

  return (
    <>
      <p>
        <a href={`/campaigns/${encodeURIComponent(campaignId)}`}>← {t.back}</a>
      </p>
      <h1>
        {t.donateTitle}: {name}
      </h1>
      {outcome?.kind === "accepted" ? (
        <Thanks sent={outcome} t={t} onAgain={again} campaignId={campaignId} />
      ) : (
        <form ref={formRef} class="card" noValidate onSubmit={onSubmit} aria-busy={busy}>
          <div role="alert" class="summary">
            {(outcome?.kind === "invalid" || (outcome?.kind === "refused" && !refusalAbove)) && (
              <p>{t.fixBelow}</p>
            )}
            {general.map((g) => (
              <p key={g}>{g}</p>
            ))}
            {outcome?.kind === "unreachable" && <p>{t.unreachable}</p>}
            {outcome?.kind === "refused" && refusalAbove && (
              <p>
                {t.refused} {issueMessage(outcome.error, lang)}
              </p>
            )}
          </div>
          <Field id="donorKind" label={t.donorKind} error={fields.donorKind}>
            {(aria) => (
              <select
                {...aria}
                value={form.donorKind}
                onChange={(e) => set("donorKind", e.currentTarget.value as FormState["donorKind"])}
              >
                {DONOR_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t.kinds[k]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="donorName" label={t.donorName} error={fields.donorName}>
            {(aria) => (
              <input
                {...aria}
                type="text"
                autocomplete="name"
                aria-required="true"
                value={form.donorName}
                onInput={(e) => set("donorName", e.currentTarget.value)}
              />
            )}
          </Field>
          <div class="field check">
            <input
              id="anonymous"
              type="checkbox"
              checked={form.anonymous}
              onChange={(e) => set("anonymous", e.currentTarget.checked)}
            />
            <label for="anonymous">{t.anonymous}</label>
          </div>
          <fieldset class="field">
            <legend>{t.contribution}</legend>
            {(["money", "in-kind"] as const).map((k) => (
              <span key={k} class="check">
                <input
                  id={`kind-${k}`}
                  type="radio"
                  name="kind"
                  value={k}
                  checked={form.kind === k}
                  onChange={() => set("kind", k)}
                />
                <label for={`kind-${k}`}>{k === "money" ? t.money : t.inKind}</label>
              </span>
            ))}
          </fieldset>
          {form.kind === "in-kind" && (
            <Field id="description" label={t.description} error={fields.description}>
              {(aria) => (
                <textarea
                  {...aria}
                  rows={2}
                  value={form.description}
                  onInput={(e) => set("description", e.currentTarget.value)}
                />
              )}
            </Field>
          )}
          <Field
            id="amount"
            label={form.kind === "money" ? t.amountVnd : t.valuationVnd}
            error={fields.amount}
          >
            {(aria) => (
              <input
                {...aria}
                type="text"
                inputMode="numeric"
                aria-required="true"
                value={form.amount}
                onInput={(e) => set("amount", e.currentTarget.value)}
              />
            )}
          </Field>
          <Field id="province" label={t.province} error={undefined}>
            {(aria) => (
              <select
                {...aria}
                value={form.province}
                onChange={(e) => setForm((f) => ({ ...f, province: e.currentTarget.value, unitCode: "" }))}
              >
                <option value="">{t.choose}</option>
                {provinces.map((p) => (
                  <option key={p.code} value={p.code}>
                    {p.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="unitCode" label={t.unit} error={fields.unitCode}>
            {(aria) => (
              <select
                {...aria}
                aria-required="true"
                value={form.unitCode}
                onChange={(e) => set("unitCode", e.currentTarget.value)}
              >
                <option value="">{t.choose}</option>
                {communes.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="message" label={t.message} error={fields.message}>
            {(aria) => (
              <textarea
                {...aria}
                rows={3}
                value={form.message}
                onInput={(e) => set("message", e.currentTarget.value)}
              />
            )}
          </Field>
          <button type="submit" disabled={busy}>
            {busy ? t.sending : t.submit}
          </button>
        </form>
      )}
    </>
  );
};
