import * as z from "zod/mini";
import "#shared/zod.ts";
import type { CaseRecord } from "./model.ts";
import { caseDues, type ResponseTargets } from "./response-times.ts";

/**
 * What a consortium is told about a case after its delivery: the company replied, or a
 * response-time target passed. A case that will need telling carries the sweeper's attention key
 * (the `pending` index, partition DUE, sorted by when to look): set to "now" by the company's reply,
 * to the next due time by the sweeper itself. The sweeper then decides here what to send, once.
 */
export const CASE_NOTICE_KINDS = ["reply", "overdue_first_contact", "overdue_close", "assigned"] as const;
export type CaseNoticeKind = (typeof CASE_NOTICE_KINDS)[number];

export const CaseNoticeSchema = z.strictObject({
  kind: z.enum(CASE_NOTICE_KINDS),
  /**
   * Stable per notice (`reply/<at>`, `overdue_first_contact`, `assigned/<at>`): receivers drop a
   * repeat by it. An `assigned` notice goes to the assignee alone (queued by the staff API).
   */
  id: z.string().check(z.minLength(1), z.maxLength(80)),
});
export type CaseNotice = z.infer<typeof CaseNoticeSchema>;

/** What the sweeper found for one case: the notices to send now, and when to look again (or never). */
export interface Attention {
  notices: CaseNotice[];
  /** The next instant a target falls overdue, unless it is met first; null when nothing is left to watch. */
  next: string | null;
}

/** Only an open case in a consortium's inbox is watched: closed, manual or undelivered ones are not. */
const WATCHED = new Set<CaseRecord["status"]>(["delivered", "claimed", "in_progress"]);

/** The case at `now` against its consortium's targets: each notice is due at most once per case. */
export function attentionOf(c: CaseRecord, targets: ResponseTargets, now: string): Attention {
  if (!WATCHED.has(c.status) || !c.consortiumId) return { notices: [], next: null };
  const notices: CaseNotice[] = [];
  const later: string[] = [];
  if (c.newReplyAt && c.replyNotifiedFor !== c.newReplyAt)
    notices.push({ kind: "reply", id: `reply/${c.newReplyAt}` });
  const dues = caseDues(c, targets, now);
  if (!c.firstContactAt && !c.firstContactAlertedAt) {
    if (dues.firstContact.state === "overdue")
      notices.push({ kind: "overdue_first_contact", id: "overdue_first_contact" });
    else later.push(dues.firstContact.due.overdueFrom);
  }
  if (!c.closeAlertedAt) {
    if (dues.close.state === "overdue") notices.push({ kind: "overdue_close", id: "overdue_close" });
    else later.push(dues.close.due.overdueFrom);
  }
  return { notices, next: later.sort()[0] ?? null };
}
