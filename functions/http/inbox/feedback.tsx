import {
  INBOX_DONE,
  type InboxAction,
  type InboxDone,
  type InboxMessages,
  PROBLEM_FIELDS,
  type ProblemField,
} from "#functions/http/i18n/inbox-messages.ts";
import type { AppError } from "#shared/errors.ts";

/** What a form post tells the page it leads to: what was done (303 `?done=`), or what was refused. */

/**
 * A refused form post, in the reader's language: which action, the field at fault (if one the page
 * has words for), and the text. The domain's own messages are English, written for API clients; a
 * page never shows them.
 */
export interface PageProblem {
  action: InboxAction | "search";
  field?: ProblemField;
  text: string;
}

const isProblemField = (path: string): path is ProblemField =>
  (PROBLEM_FIELDS as readonly string[]).includes(path);

/** The page's words for a validation failure or a conflict (anything else is not the reader's to fix). */
export function pageProblem(m: InboxMessages, action: PageProblem["action"], err: AppError): PageProblem {
  if (err.code === "conflict" && action !== "search") return { action, text: m.conflicts[action] };
  const field = err.fields.map((f) => f.path.split(".")[0] ?? "").find(isProblemField);
  return field ? { action, field, text: m.fieldProblems[field] } : { action, text: m.invalidInput };
}

/** The attributes of a form control that the problem is about (and the id of its message). */
export function invalidAttrs(
  problem: PageProblem | undefined,
  action: PageProblem["action"],
  field: ProblemField,
  messageId: string,
) {
  return problem?.action === action && problem.field === field
    ? { "aria-invalid": "true" as const, "aria-describedby": messageId }
    : {};
}

/** The problem's words next to its field, when the problem is this field's. */
export function FieldProblem(p: {
  problem: PageProblem | undefined;
  action: PageProblem["action"];
  field: ProblemField;
  id: string;
}) {
  if (p.problem?.action !== p.action || p.problem.field !== p.field) return null;
  return (
    <p class="error" id={p.id}>
      {p.problem.text}
    </p>
  );
}

/** The confirmation a 303 asked for (`?done=`), if it is one the pages know. */
export function doneOf(path: string): InboxDone | undefined {
  const done = new URL(path, "http://x").searchParams.get("done");
  return INBOX_DONE.find((d) => d === done);
}
