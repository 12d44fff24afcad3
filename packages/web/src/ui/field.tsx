import type { JSX } from "preact";

/** What a Field gives its input: its id and name, and its error and hint tied to it. */
export interface Aria {
  readonly id: string;
  readonly name: string;
  readonly "aria-invalid"?: "true";
  readonly "aria-describedby"?: string;
}

/** The ids of a field's hint and error, for its `aria-describedby`; undefined when it has neither. */
export const describedBy = (id: string, hint: string | undefined, error: string | undefined) => {
  const ids = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean);
  return ids.length > 0 ? ids.join(" ") : undefined;
};

/** What is said below a field or a group: its hint and its error, under the ids `describedBy` names. */
export const FieldNotes = (props: { id: string; hint: string | undefined; error: string | undefined }) => (
  <>
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
  </>
);

/** A labelled field with its error beside it, tied together for screen readers. */
export const Field = (props: {
  id: string;
  label: string;
  error: string | undefined;
  hint?: string;
  children: (aria: Aria) => JSX.Element;
}) => {
  const described = describedBy(props.id, props.hint, props.error);
  return (
    <div class={props.error ? "field invalid" : "field"}>
      <label for={props.id}>{props.label}</label>
      {props.children({
        id: props.id,
        name: props.id,
        ...(props.error ? { "aria-invalid": "true" as const } : {}),
        ...(described ? { "aria-describedby": described } : {}),
      })}
      <FieldNotes id={props.id} hint={props.hint} error={props.error} />
    </div>
  );
};
