import type { JSX } from "preact";
import type { Lang } from "../format.ts";
import { issueMessage } from "../issue-messages.ts";

/** A 400's issues in the reader's words: beside the field `fieldOf` names, else above the form. */
export const errorsOf = (
  outcome:
    | { readonly kind: string; readonly issues?: readonly { path: string; code?: string }[] }
    | undefined,
  fieldOf: (path: string) => string | undefined,
  lang: Lang,
) => {
  const fields: Record<string, string> = {};
  const general: string[] = [];
  for (const issue of outcome?.kind === "invalid" ? (outcome.issues ?? []) : []) {
    const field = fieldOf(issue.path);
    const words = issueMessage(issue.code, lang);
    if (field === undefined) general.push(words);
    else fields[field] ??= words;
  }
  return { fields, general };
};

/** What a Field gives its input: its id and name, and its error and hint tied to it. */
export interface Aria {
  readonly id: string;
  readonly name: string;
  readonly "aria-invalid"?: "true";
  readonly "aria-describedby"?: string;
}

/** A labelled field with its error beside it, tied together for screen readers. */
export const Field = (props: {
  id: string;
  label: string;
  error: string | undefined;
  hint?: string;
  children: (aria: Aria) => JSX.Element;
}) => {
  const described = [props.hint && `${props.id}-hint`, props.error && `${props.id}-error`].filter(Boolean);
  return (
    <div class={props.error ? "field invalid" : "field"}>
      <label for={props.id}>{props.label}</label>
      {props.children({
        id: props.id,
        name: props.id,
        ...(props.error ? { "aria-invalid": "true" as const } : {}),
        ...(described.length > 0 ? { "aria-describedby": described.join(" ") } : {}),
      })}
      {props.hint && (
        <p id={`${props.id}-hint`} class="muted hint">
          {props.hint}
        </p>
      )}
      {props.error && (
        <p id={`${props.id}-error`} class="error" data-testid={`${props.id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  );
};
