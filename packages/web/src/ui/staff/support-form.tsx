import { useEffect, useRef, useState } from "preact/hooks";
import { errorsOf } from "../../form-issues.ts";
import { type SupportFormState, supportBodyOf, supportFieldOf } from "../../support-body.ts";
import { type CampaignSummary, loadCampaigns } from "../api.ts";
import { type Aria, Field } from "../field.tsx";
import { FormSummary, postStaff, useSending } from "./form-kit.tsx";
import type { StaffPageProps } from "./pages.tsx";
import { staffTextsOf } from "./texts.ts";

const REASONS = [
  "hardship",
  "high-achievement",
  "overcoming-hardship",
  "scholarship",
  "study-equipment",
  "other",
] as const;

const today = () =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh", dateStyle: "short" }).format(new Date());

const emptyForm = (unit: string | undefined): SupportFormState => ({
  recipientType: "beneficiary",
  beneficiaryId: "",
  beneficiaryKind: "student",
  collectiveKind: "school",
  collectiveName: "",
  reason: "",
  moneyVnd: "",
  goodsDescription: "",
  goodsValuation: "",
  fundedBy: "fund",
  campaignId: "",
  date: today(),
  // A commune officer records support in their commune; others type the commune.
  unitCode: unit && /^\d{5}$/.test(unit) ? unit : "",
});

/** Who the registration page sent here to support (`?beneficiary=<id>&kind=teacher`), if anyone. */
const prefilled = (): Partial<SupportFormState> => {
  const query = new URLSearchParams(location.search);
  const id = query.get("beneficiary");
  if (id === null || !/^[0-9a-f-]{36}$/i.test(id)) return {};
  return { beneficiaryId: id, beneficiaryKind: query.get("kind") === "teacher" ? "teacher" : "student" };
};

/** `/staff/support/new`: one lượt of support; its supportId is kept across retries so it counts once. */
export const SupportForm = (props: StaffPageProps) => {
  const t = staffTextsOf(props.lang);
  const [form, setForm] = useState<SupportFormState>(() => ({
    ...emptyForm(props.session.unit),
    ...prefilled(),
  }));
  const [supportId, setSupportId] = useState(() => crypto.randomUUID());
  const { busy, outcome, setOutcome, formRef, run } = useSending();
  const [campaigns, setCampaigns] = useState<CampaignSummary[]>([]);
  const done = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    loadCampaigns().then(setCampaigns, () => undefined);
  }, []);
  useEffect(() => {
    document.title = `${t.supportNew} · ${t.area}`;
  }, [t]);
  useEffect(() => {
    if (outcome?.kind === "accepted") done.current?.focus();
  }, [outcome]);

  const set = <K extends keyof SupportFormState>(key: K, value: SupportFormState[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const placed = errorsOf(outcome, supportFieldOf, props.lang);
  const { fields } = placed;

  const onSubmit = (event: Event) => {
    event.preventDefault();
    return run(async () =>
      setOutcome(await postStaff(props.session, "v1/support", supportBodyOf(supportId, form))),
    );
  };
  const again = () => {
    setForm(emptyForm(props.session.unit));
    setOutcome(undefined);
    setSupportId(crypto.randomUUID());
  };

  if (outcome?.kind === "accepted")
    return (
      <section class="card" aria-labelledby="recorded">
        <h1 id="recorded" tabIndex={-1} ref={done}>
          {t.recorded}
        </h1>
        <p>{t.recordedIntro}</p>
        <p class="actions">
          <a class="button" href="/staff">
            {t.toDashboard}
          </a>
          <button type="button" class="secondary" onClick={again}>
            {t.recordAnother}
          </button>
        </p>
      </section>
    );

  const text =
    (
      key: keyof SupportFormState,
      extra: {
        inputMode?: "numeric";
        autocomplete?: string;
        spellcheck?: boolean;
      } = {},
    ) =>
    (aria: Aria) => (
      <input
        {...aria}
        {...extra}
        type="text"
        value={form[key]}
        onInput={(e) => set(key, e.currentTarget.value as never)}
      />
    );

  return (
    <>
      <h1>{t.supportNew}</h1>
      <form ref={formRef} class="card" noValidate onSubmit={onSubmit} aria-busy={busy}>
        <FormSummary outcome={outcome} placed={placed} t={t} lang={props.lang} testId="refusal" />
        <fieldset class="field">
          <legend id="recipientType">{t.recipientType}</legend>
          {(["beneficiary", "collective"] as const).map((k) => (
            <span key={k} class="check">
              <input
                id={`recipient-${k}`}
                type="radio"
                name="recipientType"
                checked={form.recipientType === k}
                onChange={() => set("recipientType", k)}
              />
              <label for={`recipient-${k}`}>
                {k === "beneficiary" ? t.recipientBeneficiary : t.recipientCollective}
              </label>
            </span>
          ))}
          {fields.recipientType && <p class="error">{fields.recipientType}</p>}
        </fieldset>
        {form.recipientType === "beneficiary" ? (
          <>
            <Field id="beneficiaryId" label={t.beneficiaryId} error={fields.beneficiaryId}>
              {text("beneficiaryId", { autocomplete: "off", spellcheck: false })}
            </Field>
            <Field id="beneficiaryKind" label={t.beneficiaryKind} error={fields.beneficiaryKind}>
              {(aria) => (
                <select
                  {...aria}
                  value={form.beneficiaryKind}
                  onChange={(e) =>
                    set("beneficiaryKind", e.currentTarget.value as SupportFormState["beneficiaryKind"])
                  }
                >
                  {Object.entries(t.beneficiaryKinds).map(([k, words]) => (
                    <option key={k} value={k}>
                      {words}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </>
        ) : (
          <>
            <Field id="collectiveKind" label={t.collectiveKind} error={fields.collectiveKind}>
              {(aria) => (
                <select
                  {...aria}
                  value={form.collectiveKind}
                  onChange={(e) =>
                    set("collectiveKind", e.currentTarget.value as SupportFormState["collectiveKind"])
                  }
                >
                  {Object.entries(t.collectiveKinds).map(([k, words]) => (
                    <option key={k} value={k}>
                      {words}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id="collectiveName" label={t.collectiveName} error={fields.collectiveName}>
              {text("collectiveName")}
            </Field>
          </>
        )}
        <Field id="reason" label={t.reason} error={fields.reason}>
          {(aria) => (
            <select
              {...aria}
              aria-required="true"
              value={form.reason}
              onChange={(e) => set("reason", e.currentTarget.value)}
            >
              <option value="">{t.choose}</option>
              {REASONS.map((r) => (
                <option key={r} value={r}>
                  {t.reasons[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="moneyVnd" label={t.moneyVnd} error={fields.moneyVnd} hint={t.amountsHint}>
          {text("moneyVnd", { inputMode: "numeric" })}
        </Field>
        <Field id="goodsDescription" label={t.goodsDescription} error={fields.goodsDescription}>
          {text("goodsDescription")}
        </Field>
        <Field id="goodsValuation" label={t.goodsValuation} error={fields.goodsValuation}>
          {text("goodsValuation", { inputMode: "numeric" })}
        </Field>
        <fieldset class="field">
          <legend>{t.fundedBy}</legend>
          {(["fund", "campaign"] as const).map((k) => (
            <span key={k} class="check">
              <input
                id={`funded-${k}`}
                type="radio"
                name="fundedBy"
                checked={form.fundedBy === k}
                onChange={() => set("fundedBy", k)}
              />
              <label for={`funded-${k}`}>{k === "fund" ? t.fromFund : t.fromCampaign}</label>
            </span>
          ))}
        </fieldset>
        {form.fundedBy === "campaign" && (
          <Field id="campaignId" label={t.whichCampaign} error={fields.campaignId}>
            {(aria) => (
              <select
                {...aria}
                value={form.campaignId}
                onChange={(e) => set("campaignId", e.currentTarget.value)}
              >
                <option value="">{t.choose}</option>
                {campaigns.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name[props.lang]}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field id="date" label={t.date} error={fields.date}>
          {(aria) => (
            <input
              {...aria}
              type="date"
              max={today()}
              value={form.date}
              onInput={(e) => set("date", e.currentTarget.value)}
            />
          )}
        </Field>
        <Field id="unitCode" label={t.unitOfGrant} error={fields.unitCode}>
          {text("unitCode", { inputMode: "numeric", autocomplete: "off" })}
        </Field>
        <button type="submit" disabled={busy}>
          {busy ? t.sending : t.record}
        </button>
      </form>
    </>
  );
};
