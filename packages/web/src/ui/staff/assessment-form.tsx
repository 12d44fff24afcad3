import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import {
  type AssessmentFormState,
  assessmentFieldOf,
  registrationBodyOf,
  resultBodyOf,
  SUBJECT_KINDS,
  schemeKey,
  schemesFor,
} from "../../assessment-body.ts";
import { errorsOf } from "../../form-issues.ts";
import { vietnamToday } from "../../occurred-at.ts";
import { type Aria, Field } from "../field.tsx";
import { type FormOutcome, FormSummary, postStaff, useSending } from "./form-kit.tsx";
import { type FormTexts, formTextsOf } from "./forms-texts.ts";
import type { StaffPageProps } from "./pages.tsx";
import { type StaffTexts, staffTextsOf } from "./texts.ts";

const emptyForm = (
  unit: string | undefined,
  seed: Partial<AssessmentFormState> = {},
): AssessmentFormState => ({
  subjectKind: "learning-family",
  subjectId: crypto.randomUUID(),
  year: vietnamToday().slice(0, 4),
  date: vietnamToday(),
  unitCode: unit && /^\d{5}$/.test(unit) ? unit : "",
  scheme: "",
  level: "",
  assessedBy: "",
  ...seed,
});

type FormProps = StaffPageProps & { t: StaffTexts; w: FormTexts };

/**
 * The fields both forms share: the subject, the year, the day and the commune. `prefix` keeps the two
 * forms' ids apart on one page.
 */
const SubjectFields = (props: {
  prefix: string;
  form: AssessmentFormState;
  set: (key: keyof AssessmentFormState, value: string) => void;
  fields: Record<string, string>;
  w: FormTexts;
  dateLabel: string;
  newId: boolean;
}) => {
  const { prefix: p, form, set, fields, w } = props;
  const text = (key: keyof AssessmentFormState, inputMode?: "numeric") => (aria: Aria) => (
    <input
      {...aria}
      type="text"
      autocomplete="off"
      spellcheck={false}
      {...(inputMode ? { inputMode } : {})}
      value={form[key]}
      onInput={(e) => set(key, e.currentTarget.value)}
    />
  );
  return (
    <>
      <Field id={`${p}subjectKind`} label={w.subjectKind} error={fields[`${p}subjectKind`]}>
        {(aria) => (
          <select
            {...aria}
            value={form.subjectKind}
            onChange={(e) => set("subjectKind", e.currentTarget.value)}
          >
            {SUBJECT_KINDS.map((k) => (
              <option key={k} value={k}>
                {w.subjectKinds[k]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id={`${p}subjectId`} label={w.subjectId} error={fields[`${p}subjectId`]}>
        {text("subjectId")}
      </Field>
      {props.newId && (
        <p>
          <button type="button" class="secondary" onClick={() => set("subjectId", crypto.randomUUID())}>
            {w.newSubjectId}
          </button>
        </p>
      )}
      <Field id={`${p}year`} label={w.assessmentYear} error={fields[`${p}year`]}>
        {text("year", "numeric")}
      </Field>
      <Field id={`${p}date`} label={props.dateLabel} error={fields[`${p}date`]}>
        {(aria) => (
          <input
            {...aria}
            type="date"
            max={vietnamToday()}
            value={form.date}
            onInput={(e) => set("date", e.currentTarget.value)}
          />
        )}
      </Field>
      <Field id={`${p}unitCode`} label={w.unitCommune} error={fields[`${p}unitCode`]}>
        {text("unitCode", "numeric")}
      </Field>
    </>
  );
};

/** Sends one of the two forms, its issues placed beside its own fields (their ids carry its prefix). */
const useAssessmentSending = (props: FormProps, path: string, prefix: string) => {
  const { busy, outcome, setOutcome, formRef, run } = useSending();
  const fieldOf = (issuePath: string) => {
    const field = assessmentFieldOf(issuePath);
    return field === undefined ? undefined : `${prefix}${field}`;
  };
  const placed = errorsOf(outcome, fieldOf, props.lang);
  const send = (body: unknown): Promise<FormOutcome | undefined> =>
    run(async () => {
      const sent = await postStaff(props.session, path, body);
      setOutcome(sent);
      return sent;
    });
  return { busy, outcome, setOutcome, formRef, fields: placed.fields, placed, send };
};

/**
 * One of the two forms as a section: its title and intro, the summary above it, the word that it was
 * recorded, the subject's fields, then what only this form asks (`children`) and its button. `name` keys
 * its ids and test ids (`<name>-title`, `<name>-refusal`).
 */
const AssessmentSection = (props: {
  page: FormProps;
  name: string;
  title: string;
  intro: string;
  accepted: { testId: string; words: string };
  submit: string;
  sending: ReturnType<typeof useAssessmentSending>;
  onSubmit: (event: Event) => void;
  subject: Omit<Parameters<typeof SubjectFields>[0], "fields" | "w">;
  children?: ComponentChildren;
}) => {
  const { sending: s, page } = props;
  return (
    <section aria-labelledby={`${props.name}-title`}>
      <h2 id={`${props.name}-title`}>{props.title}</h2>
      <p class="muted">{props.intro}</p>
      <form ref={s.formRef} class="card" noValidate onSubmit={props.onSubmit} aria-busy={s.busy}>
        <FormSummary
          outcome={s.outcome}
          placed={s.placed}
          t={page.t}
          lang={page.lang}
          testId={`${props.name}-refusal`}
        />
        {s.outcome?.kind === "accepted" && (
          <p role="status" data-testid={props.accepted.testId}>
            {props.accepted.words}
          </p>
        )}
        <SubjectFields {...props.subject} fields={s.fields} w={page.w} />
        {props.children}
        <button type="submit" disabled={s.busy}>
          {s.busy ? page.t.sending : props.submit}
        </button>
      </form>
    </section>
  );
};

/** A registration: the API derives its event from the subject and the year, so a retry registers once. */
const RegistrationForm = (props: FormProps & { onRegistered: (form: AssessmentFormState) => void }) => {
  const { w } = props;
  const [form, setForm] = useState(() => emptyForm(props.session.unit));
  const set = (key: keyof AssessmentFormState, value: string) => setForm((f) => ({ ...f, [key]: value }));
  const s = useAssessmentSending(props, "v1/assessments/registrations", "reg-");
  const onSubmit = async (event: Event) => {
    event.preventDefault();
    const sent = await s.send(registrationBodyOf(form));
    if (sent?.kind === "accepted") {
      props.onRegistered(form);
      setForm(emptyForm(props.session.unit));
    }
  };
  return (
    <AssessmentSection
      page={props}
      name="registration"
      title={w.registrationTitle}
      intro={w.registrationIntro}
      accepted={{ testId: "subject-registered", words: w.subjectRegistered }}
      submit={w.registerSubject}
      sending={s}
      onSubmit={onSubmit}
      subject={{ prefix: "reg-", form, set, dateLabel: w.dateRegistered, newId: true }}
    />
  );
};

/**
 * A result: the schemes offered are those that assess the chosen kind of subject in the chosen year, and
 * the levels those of the chosen scheme; the API judges by the same data and says 422 otherwise.
 */
const ResultForm = (props: FormProps & { seed: Partial<AssessmentFormState> }) => {
  const { t, w } = props;
  const [form, setForm] = useState(() => emptyForm(props.session.unit, { subjectId: "", ...props.seed }));
  const s = useAssessmentSending(props, "v1/assessments/results", "res-");
  const offered = schemesFor(form.subjectKind, Number(form.year));
  const chosen = offered.find((c) => schemeKey(c) === form.scheme);
  useEffect(() => {
    // A kind or year the chosen scheme does not cover: the only scheme that does, or none.
    if (chosen === undefined) {
      const only = offered.length === 1 ? offered[0] : undefined;
      setForm((f) => ({ ...f, scheme: only ? schemeKey(only) : "", level: "" }));
    }
  }, [chosen, offered.length, offered[0]]);
  const set = (key: keyof AssessmentFormState, value: string) =>
    setForm((f) => ({ ...f, [key]: value, ...(key === "scheme" ? { level: "" } : {}) }));
  const onSubmit = async (event: Event) => {
    event.preventDefault();
    const sent = await s.send(resultBodyOf(form));
    if (sent?.kind === "accepted") setForm(emptyForm(props.session.unit, { subjectId: "" }));
  };
  return (
    <AssessmentSection
      page={props}
      name="result"
      title={w.resultTitle}
      intro={w.resultIntro}
      accepted={{ testId: "result-recorded", words: w.resultRecorded }}
      submit={w.recordResult}
      sending={s}
      onSubmit={onSubmit}
      subject={{ prefix: "res-", form, set, dateLabel: w.dateAssessed, newId: false }}
    >
      <Field
        id="res-scheme"
        label={w.scheme}
        error={s.fields["res-scheme"]}
        {...(offered.length === 0 ? { hint: w.noScheme } : {})}
      >
        {(aria) => (
          <select {...aria} value={form.scheme} onChange={(e) => set("scheme", e.currentTarget.value)}>
            <option value="">{t.choose}</option>
            {offered.map((c) => (
              <option key={schemeKey(c)} value={schemeKey(c)}>
                {`${w.schemeNames[c.id] ?? c.id} (${c.years.from}–${c.years.to}), ${w.version} ${c.version}`}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="res-level" label={w.level} error={s.fields["res-level"]}>
        {(aria) => (
          <select {...aria} value={form.level} onChange={(e) => set("level", e.currentTarget.value)}>
            <option value="">{t.choose}</option>
            {(chosen?.levels ?? []).map((l) => (
              <option key={l.id} value={l.id}>
                {w.levels[l.id] ?? l.id}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="res-assessedBy" label={w.assessedBy} error={s.fields["res-assessedBy"]}>
        {(aria) => (
          <input
            {...aria}
            type="text"
            value={form.assessedBy}
            onInput={(e) => set("assessedBy", e.currentTarget.value)}
          />
        )}
      </Field>
    </AssessmentSection>
  );
};

/** `/staff/assessments/new`: a subject registers for a year's assessment, and its result is recorded. */
export const AssessmentForm = (props: StaffPageProps) => {
  const t = staffTextsOf(props.lang);
  const w = formTextsOf(props.lang);
  const [seed, setSeed] = useState<Partial<AssessmentFormState>>({});
  useEffect(() => {
    document.title = `${w.assessmentNew} · ${t.area}`;
  }, [t, w]);
  return (
    <>
      <h1>{w.assessmentNew}</h1>
      <RegistrationForm
        {...props}
        t={t}
        w={w}
        onRegistered={(f) =>
          setSeed({ subjectKind: f.subjectKind, subjectId: f.subjectId, year: f.year, unitCode: f.unitCode })
        }
      />
      {/* A new registration fills the result form in afresh with its subject. */}
      <ResultForm key={seed.subjectId ?? ""} {...props} t={t} w={w} seed={seed} />
    </>
  );
};
