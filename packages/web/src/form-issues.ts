import type { Lang } from "./format.ts";
import { issueMessage } from "./issue-messages.ts";

/** One issue of an API answer: where (`path`, dotted) and, for most, a stable `code` to word it by. */
export interface ApiIssue {
  readonly path: string;
  readonly code?: string;
}

/** How a form's sending ended, as far as its issues go: `invalid` (a 400) or `refused` (its `error`). */
export interface IssuesOutcome {
  readonly kind: string;
  readonly error?: string;
  readonly issues?: readonly ApiIssue[];
}

/**
 * A refusal's issues often carry no code of their own (the answer's `error` is the code), and one refusal
 * can name several fields for several reasons: `consent_required` names the birth date, the guardian, who
 * consented and the consent date. Each of those paths has its own words, so the field says what to change.
 */
const REFINED: Record<string, (path: string) => string | undefined> = {
  consent_required: (path) => {
    if (path === "personalData.dateOfBirth") return "birth_after_registration";
    if (path === "personalData.guardian") return "guardian_required";
    if (path === "consent.guardian") return "guardian_consent_required";
    if (path === "consent.subject") return "subject_consent_required";
    if (/^consent\.(guardian|subject)\.purposes/.test(path)) return "administration_consent_required";
    if (/^consent\.(guardian|subject)\.givenAt$/.test(path)) return "consent_date_out_of_range";
    return undefined;
  },
};

/** The code to word a refusal's issue by: its own, else the refinement for its path, else the refusal's. */
export const refusalIssueCode = (error: string, issue: ApiIssue): string =>
  issue.code ?? REFINED[error]?.(issue.path) ?? error;

/** Where a form says its issues: words per field, words above the form, and whether to say the refusal above. */
export interface PlacedIssues {
  /** Field id → what is wrong with it, in the reader's language. */
  readonly fields: Readonly<Record<string, string>>;
  /** A 400's issues that name no field of the form, in words. */
  readonly general: readonly string[];
  /**
   * A refusal is said above the form only when some of it names no field (or it names none at all);
   * when every issue sits beside its field, above is only "fix the fields marked below".
   */
  readonly refusalAbove: boolean;
}

/**
 * A 400's or a refusal's (422) issues in the reader's words: beside the field `fieldOf` names, else above
 * the form. Two issues on one field (a guardian's and the person's own consent) are both said, once each.
 */
export const errorsOf = (
  outcome: IssuesOutcome | undefined,
  fieldOf: (path: string) => string | undefined,
  lang: Lang,
): PlacedIssues => {
  const fields: Record<string, string> = {};
  const general: string[] = [];
  if (outcome?.kind !== "invalid" && outcome?.kind !== "refused")
    return { fields, general, refusalAbove: false };
  const issues = outcome.issues ?? [];
  const error = outcome.kind === "refused" ? (outcome.error ?? "invalid") : undefined;
  let unplaced = false;
  for (const issue of issues) {
    const field = fieldOf(issue.path);
    const words = issueMessage(error === undefined ? issue.code : refusalIssueCode(error, issue), lang);
    if (field === undefined) {
      // A refusal's unplaced issue is the refusal itself, said once above; a 400's is said in its words.
      if (error === undefined) general.push(words);
      else unplaced = true;
    } else if (fields[field] === undefined) fields[field] = words;
    else if (!fields[field].includes(words)) fields[field] = `${fields[field]} ${words}`;
  }
  return { fields, general, refusalAbove: error !== undefined && (issues.length === 0 || unplaced) };
};
