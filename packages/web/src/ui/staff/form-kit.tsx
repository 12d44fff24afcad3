import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { ApiIssue, PlacedIssues } from "../../form-issues.ts";
import type { Lang } from "../../format.ts";
import { issueMessage } from "../../issue-messages.ts";
import { describedBy, FieldNotes } from "../field.tsx";
import { type StaffSession, staffFetch } from "./session.ts";
import { sessionEnded } from "./sign-in.ts";
import type { StaffTexts } from "./texts.ts";

/** How one sending of a staff form ended, after any retries. */
export type FormOutcome =
  | { readonly kind: "accepted"; readonly answer: Readonly<Record<string, unknown>> }
  | { readonly kind: "invalid"; readonly issues: readonly ApiIssue[] }
  | { readonly kind: "refused"; readonly error: string; readonly issues: readonly ApiIssue[] }
  | { readonly kind: "unreachable" }
  | { readonly kind: "signed-out" };

/**
 * Posts a staff form's body, sending the very same body (its id included) again after a network error or
 * a 503, so it is recorded once however often it is sent. Other answers are final; a 401 ends the session.
 */
export const postStaff = async (
  session: StaffSession,
  path: string,
  body: unknown,
  tries = 3,
): Promise<FormOutcome> => {
  const text = JSON.stringify(body);
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await staffFetch(session, path, { method: "POST", body: text });
    } catch {
      if (attempt >= tries) return { kind: "unreachable" };
      await new Promise((r) => setTimeout(r, 2000));
      continue;
    }
    if (response.status === 503 && attempt < tries) {
      const seconds = Number(response.headers.get("retry-after"));
      await new Promise((r) => setTimeout(r, (seconds > 0 ? Math.min(seconds, 30) : 2) * 1000));
      continue;
    }
    if (sessionEnded(response)) return { kind: "signed-out" };
    const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.status === 202) return { kind: "accepted", answer };
    if (response.status === 400 && Array.isArray(answer.issues))
      return { kind: "invalid", issues: answer.issues as ApiIssue[] };
    return {
      kind: "refused",
      error: typeof answer.error === "string" ? answer.error : "invalid",
      // A refusal (a 422 above all) may name the fields it is about: the form says it beside them.
      issues: Array.isArray(answer.issues) ? (answer.issues as ApiIssue[]) : [],
    };
  }
};

/**
 * A staff form's sending: `busy` while `run`'s work goes on (a second press meanwhile does nothing), the
 * outcome, and the keyboard taken to the first field to fix after a 400 or a refusal that names one.
 */
export const useSending = () => {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<FormOutcome>();
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (outcome?.kind === "invalid" || outcome?.kind === "refused")
      formRef.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus();
  }, [outcome]);
  const run = async <T,>(work: () => Promise<T>): Promise<T | undefined> => {
    if (busy) return undefined;
    setBusy(true);
    try {
      return await work();
    } finally {
      setBusy(false);
    }
  };
  return { busy, outcome, setOutcome, formRef, run };
};

/**
 * What sits above a form and is announced: fix-below (a 400, or a refusal said beside its fields), issues
 * with no field, a refusal that names no field, no connection.
 */
export const FormSummary = (props: {
  outcome: FormOutcome | undefined;
  placed: PlacedIssues;
  t: StaffTexts;
  lang: Lang;
  testId: string;
}) => (
  <div role="alert" class="summary">
    {(props.outcome?.kind === "invalid" ||
      (props.outcome?.kind === "refused" && Object.keys(props.placed.fields).length > 0)) && (
      <p>{props.t.fixBelow}</p>
    )}
    {props.placed.general.map((g) => (
      <p key={g}>{g}</p>
    ))}
    {props.outcome?.kind === "unreachable" && <p>{props.t.unreachable}</p>}
    {props.outcome?.kind === "refused" && props.placed.refusalAbove && (
      <p data-testid={props.testId}>
        {props.t.refused} {issueMessage(props.outcome.error, props.lang)}
      </p>
    )}
  </div>
);

/**
 * A group of choices (radios or checkboxes) under a legend, its error tied to the group. `invalid` marks
 * the group so the first field in error can take the focus.
 */
export const Choices = (props: {
  id: string;
  legend: string;
  error: string | undefined;
  hint?: string;
  children: JSX.Element | JSX.Element[];
}) => {
  const described = describedBy(props.id, props.hint, props.error);
  return (
    <fieldset
      id={props.id}
      class={props.error ? "field invalid" : "field"}
      tabIndex={props.error ? -1 : undefined}
      {...(props.error ? { "aria-invalid": "true" } : {})}
      {...(described ? { "aria-describedby": described } : {})}
    >
      <legend>{props.legend}</legend>
      {props.children}
      <FieldNotes id={props.id} hint={props.hint} error={props.error} />
    </fieldset>
  );
};

/** A tick box or a radio with its label beside it. */
export const Check = (props: {
  id: string;
  name: string;
  type: "checkbox" | "radio";
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) => (
  <span class="check">
    <input
      id={props.id}
      name={props.name}
      type={props.type}
      checked={props.checked}
      onChange={(e) => props.onChange(e.currentTarget.checked)}
    />
    <label for={props.id}>{props.label}</label>
  </span>
);

/** An id shown large, with a button that copies it (where the browser lets the page write the clipboard). */
export const CopyableId = (props: {
  id: string;
  value: string;
  label: string;
  copy: string;
  copied: string;
}) => {
  const [copied, setCopied] = useState(false);
  return (
    <p>
      <span class="muted">{props.label}: </span>
      <code id={props.id} data-testid={props.id} class="code">
        {props.value}
      </code>{" "}
      <button
        type="button"
        class="secondary"
        aria-describedby={props.id}
        onClick={() => {
          void navigator.clipboard?.writeText(props.value).then(
            () => setCopied(true),
            () => undefined,
          );
        }}
      >
        {copied ? props.copied : props.copy}
      </button>
    </p>
  );
};
