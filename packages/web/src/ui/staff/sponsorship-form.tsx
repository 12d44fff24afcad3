import { useEffect, useRef, useState } from "preact/hooks";
import { errorsOf } from "../../form-issues.ts";
import { vietnamToday } from "../../occurred-at.ts";
import {
  type SponsorshipEndState,
  type SponsorshipStartState,
  sponsorshipEndFieldOf,
  sponsorshipEndOf,
  sponsorshipStartBodyOf,
  sponsorshipStartFieldOf,
} from "../../sponsorship-body.ts";
import { type Aria, Field } from "../field.tsx";
import { CopyableId, FormSummary, postStaff, useSending } from "./form-kit.tsx";
import { type FormTexts, formTextsOf } from "./forms-texts.ts";
import type { StaffPageProps } from "./pages.tsx";
import { type StaffTexts, staffTextsOf } from "./texts.ts";

const END_REASONS = ["completed", "student-left", "teacher-left", "other"] as const;

/** `?teacher=<id>` or `?student=<id>` from the registration page: that person is one side of the start. */
const prefilled = (): Partial<SponsorshipStartState> => {
  const query = new URLSearchParams(location.search);
  const uuid = (v: string | null) => (v !== null && /^[0-9a-f-]{36}$/i.test(v) ? v : undefined);
  const teacher = uuid(query.get("teacher"));
  const student = uuid(query.get("student"));
  return { ...(teacher ? { teacherId: teacher } : {}), ...(student ? { studentId: student } : {}) };
};

const emptyStart = (unit: string | undefined): SponsorshipStartState => ({
  teacherId: "",
  studentId: "",
  date: vietnamToday(),
  unitCode: unit && /^\d{5}$/.test(unit) ? unit : "",
});
const emptyEnd = (): SponsorshipEndState => ({ sponsorshipId: "", reason: "", date: vietnamToday() });

const textInput =
  <S,>(form: S, set: (key: keyof S, value: string) => void, key: keyof S, inputMode?: "numeric") =>
  (aria: Aria) => (
    <input
      {...aria}
      type="text"
      autocomplete="off"
      spellcheck={false}
      {...(inputMode ? { inputMode } : {})}
      value={form[key] as string}
      onInput={(e) => set(key, e.currentTarget.value)}
    />
  );

const dateInput =
  <S,>(form: S, set: (key: keyof S, value: string) => void, key: keyof S) =>
  (aria: Aria) => (
    <input
      {...aria}
      type="date"
      max={vietnamToday()}
      value={form[key] as string}
      onInput={(e) => set(key, e.currentTarget.value)}
    />
  );

/** The start: its sponsorshipId made once per form and kept across retries, so one place is taken. */
const StartForm = (props: StaffPageProps & { t: StaffTexts; w: FormTexts }) => {
  const { t, w } = props;
  const [form, setForm] = useState<SponsorshipStartState>(() => ({
    ...emptyStart(props.session.unit),
    ...prefilled(),
  }));
  const [sponsorshipId, setSponsorshipId] = useState(() => crypto.randomUUID());
  const { busy, outcome, setOutcome, formRef, run } = useSending();
  const done = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (outcome?.kind === "accepted") done.current?.focus();
  }, [outcome]);
  const set = (key: keyof SponsorshipStartState, value: string) => setForm((f) => ({ ...f, [key]: value }));
  const placed = errorsOf(outcome, sponsorshipStartFieldOf, props.lang);
  const { fields } = placed;

  const onSubmit = (event: Event) => {
    event.preventDefault();
    return run(async () =>
      setOutcome(
        await postStaff(props.session, "v1/sponsorships", sponsorshipStartBodyOf(sponsorshipId, form)),
      ),
    );
  };

  if (outcome?.kind === "accepted")
    return (
      <section class="card" aria-labelledby="started">
        <h2 id="started" tabIndex={-1} ref={done}>
          {w.started}
        </h2>
        <CopyableId
          id="sponsorship-id"
          value={String(outcome.answer.sponsorshipId ?? sponsorshipId)}
          label={w.sponsorshipIdIs}
          copy={w.copy}
          copied={w.copied}
        />
        <p class="actions">
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setForm(emptyStart(props.session.unit));
              setOutcome(undefined);
              setSponsorshipId(crypto.randomUUID());
            }}
          >
            {w.startAnother}
          </button>
        </p>
      </section>
    );

  return (
    <section aria-labelledby="start-title">
      <h2 id="start-title">{w.startTitle}</h2>
      <p class="muted">{w.startIntro}</p>
      <form ref={formRef} class="card" noValidate onSubmit={onSubmit} aria-busy={busy}>
        <FormSummary outcome={outcome} placed={placed} t={t} lang={props.lang} testId="start-refusal" />
        <Field id="teacherId" label={w.teacherId} error={fields.teacherId}>
          {textInput(form, set, "teacherId")}
        </Field>
        <Field id="studentId" label={w.studentId} error={fields.studentId}>
          {textInput(form, set, "studentId")}
        </Field>
        <Field id="startDate" label={w.startDate} error={fields.startDate}>
          {dateInput(form, set, "date")}
        </Field>
        <Field id="unitCode" label={w.unitCommune} error={fields.unitCode}>
          {textInput(form, set, "unitCode", "numeric")}
        </Field>
        <button type="submit" disabled={busy}>
          {busy ? t.sending : w.start}
        </button>
      </form>
    </section>
  );
};

/** The end: the API derives its event from the sponsorship, so a retry ends it once. */
const EndForm = (props: StaffPageProps & { t: StaffTexts; w: FormTexts }) => {
  const { t, w } = props;
  const [form, setForm] = useState<SponsorshipEndState>(emptyEnd);
  const { busy, outcome, setOutcome, formRef, run } = useSending();
  const set = (key: keyof SponsorshipEndState, value: string) => setForm((f) => ({ ...f, [key]: value }));
  const placed = errorsOf(outcome, sponsorshipEndFieldOf, props.lang);
  const { fields } = placed;

  const onSubmit = (event: Event) => {
    event.preventDefault();
    return run(async () => {
      const { path, body } = sponsorshipEndOf(form);
      const sent = await postStaff(props.session, path, body);
      setOutcome(sent);
      if (sent.kind === "accepted") setForm(emptyEnd());
    });
  };

  return (
    <section aria-labelledby="end-title">
      <h2 id="end-title">{w.endTitle}</h2>
      <form ref={formRef} class="card" noValidate onSubmit={onSubmit} aria-busy={busy}>
        <FormSummary outcome={outcome} placed={placed} t={t} lang={props.lang} testId="end-refusal" />
        {outcome?.kind === "accepted" && (
          <p role="status" data-testid="ended">
            {w.ended}
          </p>
        )}
        <Field id="sponsorshipId" label={w.sponsorshipId} error={fields.sponsorshipId}>
          {textInput(form, set, "sponsorshipId")}
        </Field>
        <Field id="endReason" label={w.endReason} error={fields.endReason}>
          {(aria) => (
            <select {...aria} value={form.reason} onChange={(e) => set("reason", e.currentTarget.value)}>
              <option value="">{t.choose}</option>
              {END_REASONS.map((r) => (
                <option key={r} value={r}>
                  {w.endReasons[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="endDate" label={w.endDate} error={fields.endDate}>
          {dateInput(form, set, "date")}
        </Field>
        <button type="submit" disabled={busy}>
          {busy ? t.sending : w.end}
        </button>
      </form>
    </section>
  );
};

/** `/staff/sponsorships/new`: a teacher starts sponsoring a student, or a sponsorship ends. */
export const SponsorshipForm = (props: StaffPageProps) => {
  const t = staffTextsOf(props.lang);
  const w = formTextsOf(props.lang);
  useEffect(() => {
    document.title = `${w.sponsorshipNew} · ${t.area}`;
  }, [t, w]);
  return (
    <>
      <h1>{w.sponsorshipNew}</h1>
      <StartForm {...props} t={t} w={w} />
      <EndForm {...props} t={t} w={w} />
    </>
  );
};
