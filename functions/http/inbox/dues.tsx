import type { InboxMessages } from "#functions/http/i18n/inbox-messages.ts";
import { fill, formatDateTime, formatDay, type Lang } from "#functions/http/i18n/lang.ts";
import type { CaseStatus } from "#shared/cases/model.ts";
import type { CaseDues, TargetState } from "#shared/cases/response-times.ts";

/** A target where it stands, in words: "senest 4. december 2026", "Frist i dag", "Over fristen (…)". */
export function DueBadge(p: { m: InboxMessages; lang: Lang; target: TargetState }) {
  const { m, target: t } = p;
  const day = formatDay(t.due.day, p.lang);
  const at = t.metAt ? formatDateTime(t.metAt, p.lang) : day;
  const text = fill(m.dueStates[t.state], { day, at });
  return <span class={`due due-${t.state.replace("_", "-")}`}>{text}</span>;
}

/**
 * The target that matters now: first contact until it is made, then closing the case. A closed
 * case shows how its close went.
 */
export function currentTarget(
  dues: CaseDues,
  status: CaseStatus,
): { which: "firstContact" | "close"; target: TargetState } {
  if (status !== "closed" && !dues.firstContact.metAt)
    return { which: "firstContact", target: dues.firstContact };
  return { which: "close", target: dues.close };
}

/** How urgent a listed case is: overdue first, then due today, then the rest (closed last). */
export function urgency(dues: CaseDues, status: CaseStatus): number {
  const { target } = currentTarget(dues, status);
  if (status === "closed") return 3;
  return target.state === "overdue" ? 0 : target.state === "due_today" ? 1 : 2;
}
