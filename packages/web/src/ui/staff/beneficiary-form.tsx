import { useEffect, useRef, useState } from "preact/hooks";
import {
  type BeneficiaryFormState,
  bankAccountIssues,
  beneficiaryBodyOf,
  beneficiaryFieldOf,
  CIRCUMSTANCES,
  GRADE_BANDS,
  RELATIONSHIPS,
} from "../../beneficiary-body.ts";
import { errorsOf } from "../../form-issues.ts";
import { vietnamToday } from "../../occurred-at.ts";
import { type Aria, Field } from "../field.tsx";
import { Check, Choices, CopyableId, FormSummary, postStaff, useSending } from "./form-kit.tsx";
import { formTextsOf } from "./forms-texts.ts";
import type { StaffPageProps } from "./pages.tsx";
import { staffTextsOf } from "./texts.ts";

const emptyForm = (unit: string | undefined): BeneficiaryFormState => ({
  kind: "student",
  // A commune officer registers people of their commune; others type the commune.
  unitCode: unit && /^\d{5}$/.test(unit) ? unit : "",
  schoolName: "",
  gradeBand: "",
  circumstances: [],
  fullName: "",
  dateOfBirth: "",
  gender: "",
  ethnicity: "",
  address: "",
  phone: "",
  guardianName: "",
  guardianRelationship: "",
  guardianPhone: "",
  bankName: "",
  accountNumber: "",
  accountHolder: "",
  guardianConsent: false,
  subjectConsent: false,
  consentPurposes: [],
  consentDate: vietnamToday(),
});

/** Who was registered last: their id and kind, for the links to the next step. Never their personal data. */
interface Registered {
  readonly beneficiaryId: string;
  readonly kind: BeneficiaryFormState["kind"];
}

/**
 * `/staff/beneficiaries/new`: registers a student or teacher. The personal data lives in this form's
 * state only (never in the browser's storage) and is cleared as soon as the API has accepted it; the
 * beneficiaryId is made once per form and kept across retries, so the person is registered once.
 */
export const BeneficiaryForm = (props: StaffPageProps) => {
  const t = staffTextsOf(props.lang);
  const w = formTextsOf(props.lang);
  const [form, setForm] = useState<BeneficiaryFormState>(() => emptyForm(props.session.unit));
  const [beneficiaryId, setBeneficiaryId] = useState(() => crypto.randomUUID());
  const { busy, outcome, setOutcome, formRef, run } = useSending();
  const [registered, setRegistered] = useState<Registered>();
  // The bank account group starts folded: most registrations have none.
  const [bankOpen, setBankOpen] = useState(false);
  const done = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = `${w.beneficiaryNew} · ${t.area}`;
  }, [t, w]);
  useEffect(() => {
    if (registered) done.current?.focus();
  }, [registered]);

  const set = <K extends keyof BeneficiaryFormState>(key: K, value: BeneficiaryFormState[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const toggle = <K extends "circumstances" | "consentPurposes">(
    key: K,
    value: BeneficiaryFormState[K][number],
    on: boolean,
  ) =>
    setForm((f) => ({
      ...f,
      [key]: on ? [...(f[key] as readonly string[]), value] : f[key].filter((v) => v !== value),
    }));
  const placed = errorsOf(outcome, beneficiaryFieldOf, props.lang);
  const { fields } = placed;
  // An issue in the bank account keeps its group open, so the field said to fix is seen.
  const bankError = Boolean(fields.bankName || fields.accountNumber || fields.accountHolder);

  const onSubmit = (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const unfinished = bankAccountIssues(form);
    if (unfinished.length > 0) {
      // Said before sending: a half-filled bank account would only come back as a 400.
      setOutcome({ kind: "invalid", issues: unfinished });
      return;
    }
    return run(async () => {
      const sent = await postStaff(props.session, "v1/beneficiaries", beneficiaryBodyOf(beneficiaryId, form));
      if (sent.kind === "accepted") {
        // The person's data leaves the page at once; only the id and kind stay, for the next step.
        setRegistered({ beneficiaryId: String(sent.answer.beneficiaryId ?? beneficiaryId), kind: form.kind });
        setForm(emptyForm(props.session.unit));
        setBeneficiaryId(crypto.randomUUID());
        setBankOpen(false);
        setOutcome(undefined);
      } else setOutcome(sent);
    });
  };

  if (registered) {
    const role = registered.kind === "teacher" ? "teacher" : "student";
    return (
      <section class="card" aria-labelledby="registered">
        <h1 id="registered" tabIndex={-1} ref={done}>
          {w.registered}
        </h1>
        <p>{w.registeredIntro}</p>
        <CopyableId
          id="beneficiary-id"
          value={registered.beneficiaryId}
          label={w.beneficiaryIdIs}
          copy={w.copy}
          copied={w.copied}
        />
        <p class="actions">
          <a
            class="button"
            href={`/staff/support/new?beneficiary=${registered.beneficiaryId}&kind=${registered.kind}`}
          >
            {w.supportForThem}
          </a>
          <a class="button" href={`/staff/sponsorships/new?${role}=${registered.beneficiaryId}`}>
            {w.sponsorForThem}
          </a>
          <button type="button" class="secondary" onClick={() => setRegistered(undefined)}>
            {w.registerAnother}
          </button>
        </p>
      </section>
    );
  }

  const text =
    (key: keyof BeneficiaryFormState, extra: { inputMode?: "numeric" | "tel"; spellcheck?: boolean } = {}) =>
    (aria: Aria) => (
      <input
        {...aria}
        {...extra}
        type="text"
        autocomplete="off"
        value={form[key] as string}
        onInput={(e) => set(key, e.currentTarget.value as never)}
      />
    );
  const select =
    (key: keyof BeneficiaryFormState, options: readonly string[], words: Record<string, string>) =>
    (aria: Aria) => (
      <select
        {...aria}
        value={form[key] as string}
        onChange={(e) => set(key, e.currentTarget.value as never)}
      >
        <option value="">{t.choose}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {words[o]}
          </option>
        ))}
      </select>
    );
  const date = (key: "dateOfBirth" | "consentDate") => (aria: Aria) => (
    <input
      {...aria}
      type="date"
      max={vietnamToday()}
      value={form[key]}
      onInput={(e) => set(key, e.currentTarget.value)}
    />
  );

  return (
    <>
      <h1>{w.beneficiaryNew}</h1>
      <p class="muted">{w.privacyNote}</p>
      <form ref={formRef} class="card" noValidate autocomplete="off" onSubmit={onSubmit} aria-busy={busy}>
        <FormSummary outcome={outcome} placed={placed} t={t} lang={props.lang} testId="refusal" />
        <Choices id="kind" legend={w.kind} error={fields.kind}>
          {(["student", "teacher"] as const).map((k) => (
            <Check
              key={k}
              id={`kind-${k}`}
              name="kind"
              type="radio"
              label={w.kinds[k] ?? k}
              checked={form.kind === k}
              onChange={() => set("kind", k)}
            />
          ))}
        </Choices>
        <Field id="unitCode" label={w.unitCommune} error={fields.unitCode}>
          {text("unitCode", { inputMode: "numeric" })}
        </Field>
        <Field id="schoolName" label={w.schoolName} error={fields.schoolName}>
          {text("schoolName")}
        </Field>
        <Field id="gradeBand" label={w.gradeBand} error={fields.gradeBand}>
          {select("gradeBand", GRADE_BANDS, w.gradeBands)}
        </Field>
        <Choices id="circumstances" legend={w.circumstances} error={fields.circumstances}>
          {CIRCUMSTANCES.map((c) => (
            <Check
              key={c}
              id={`circumstance-${c}`}
              name="circumstances"
              type="checkbox"
              label={w.circumstanceNames[c] ?? c}
              checked={form.circumstances.includes(c)}
              onChange={(on) => toggle("circumstances", c, on)}
            />
          ))}
        </Choices>
        <fieldset class="field">
          <legend>{w.person}</legend>
          <Field id="fullName" label={w.fullName} error={fields.fullName}>
            {text("fullName", { spellcheck: false })}
          </Field>
          <Field id="dateOfBirth" label={w.dateOfBirth} error={fields.dateOfBirth}>
            {date("dateOfBirth")}
          </Field>
          <Field id="gender" label={w.gender} error={fields.gender}>
            {select("gender", ["female", "male", "other"], w.genders)}
          </Field>
          <Field id="ethnicity" label={w.ethnicity} error={fields.ethnicity}>
            {text("ethnicity")}
          </Field>
          <Field id="address" label={w.address} error={fields.address}>
            {text("address")}
          </Field>
          <Field id="phone" label={w.phone} error={fields.phone}>
            {text("phone", { inputMode: "tel" })}
          </Field>
        </fieldset>
        <fieldset class="field">
          <legend>{w.guardian}</legend>
          <Field id="guardianName" label={w.guardianName} error={fields.guardianName}>
            {text("guardianName", { spellcheck: false })}
          </Field>
          <Field id="guardianRelationship" label={w.guardianRelationship} error={fields.guardianRelationship}>
            {select("guardianRelationship", RELATIONSHIPS, w.relationships)}
          </Field>
          <Field id="guardianPhone" label={w.guardianPhone} error={fields.guardianPhone}>
            {text("guardianPhone", { inputMode: "tel" })}
          </Field>
        </fieldset>
        <details
          class="field group"
          open={bankOpen || bankError}
          onToggle={(e) => setBankOpen((e.currentTarget as HTMLDetailsElement).open)}
        >
          <summary>{w.bankAccount}</summary>
          <p class="muted hint">{w.bankAccountHint}</p>
          <Field id="bankName" label={w.bankName} hint={w.bankNameHint} error={fields.bankName}>
            {text("bankName")}
          </Field>
          <Field id="accountNumber" label={w.accountNumber} error={fields.accountNumber}>
            {text("accountNumber", { inputMode: "numeric", spellcheck: false })}
          </Field>
          <Field id="accountHolder" label={w.accountHolder} error={fields.accountHolder}>
            {text("accountHolder", { spellcheck: false })}
          </Field>
        </details>
        <fieldset class="field">
          <legend>{w.consent}</legend>
          <Choices id="consentGiven" legend={w.whoConsented} error={fields.consentGiven} hint={w.consentHint}>
            <Check
              id="guardianConsent"
              name="consentGiven"
              type="checkbox"
              label={w.guardianConsent}
              checked={form.guardianConsent}
              onChange={(on) => set("guardianConsent", on)}
            />
            <Check
              id="subjectConsent"
              name="consentGiven"
              type="checkbox"
              label={w.subjectConsent}
              checked={form.subjectConsent}
              onChange={(on) => set("subjectConsent", on)}
            />
          </Choices>
          <Choices id="consentPurposes" legend={w.purposes} error={fields.consentPurposes}>
            {(["payment", "contact"] as const).map((p) => (
              <Check
                key={p}
                id={`purpose-${p}`}
                name="consentPurposes"
                type="checkbox"
                label={w.purposeNames[p] ?? p}
                checked={form.consentPurposes.includes(p)}
                onChange={(on) => toggle("consentPurposes", p, on)}
              />
            ))}
          </Choices>
          <Field id="consentDate" label={w.consentDate} error={fields.consentDate}>
            {date("consentDate")}
          </Field>
        </fieldset>
        <button type="submit" disabled={busy}>
          {busy ? t.sending : w.register}
        </button>
      </form>
    </>
  );
};
