import * as z from "zod/mini";
import { LEAD_SYSTEM, NEEDS, type Need, SYSTEMS, type System } from "#shared/needs.ts";
import { parseBody } from "#shared/validation.ts";
import "#shared/zod.ts";
import { AppError, conflict, notFound, validationFailed } from "#shared/errors.ts";

import type { Log } from "#shared/log.ts";
import { canAccessConsortium, isAssignee, type Principal } from "#shared/principal.ts";
import type { CaseQueues } from "#shared/queues.ts";

import type { ConsortiumDirectory } from "#shared/reference/consortium-directory.ts";
import type { InboxFilter } from "./index-pagers.ts";
import {
  type Assignee,
  CASE_STATUSES,
  type CaseRecord,
  CONTACT_KINDS,
  OUTCOMES,
  type TimelineEntry,
} from "./model.ts";
import {
  type CaseDues,
  caseDues,
  DEFAULT_TARGETS,
  overdueBefore,
  type ResponseTargets,
} from "./response-times.ts";
import { type SearchHit, SearchQuerySchema, searchHit } from "./search-text.ts";
import type { CaseStore } from "./store.ts";

/**
 * The consortium inbox: what consultants may see and do with cases. Every function checks access
 * first, before it even reads the body — a case of another consortium is "not found", its existence
 * not disclosed — and every
 * change is a conditional write that also appends to the timeline.
 */
export interface InboxDeps {
  cases: CaseStore;
  queues: CaseQueues;
  consortia: () => Promise<ConsortiumDirectory>;
  now: () => string;
  log: Log;
  config: { RETENTION_DAYS: number };
}

// ---- request bodies and queries (the API's contract) ----------------------------------------

export const InboxQuerySchema = z.strictObject({
  status: z.optional(z.enum(CASE_STATUSES)),
  need: z.optional(z.enum(NEEDS)),
  cursor: z.optional(z.string().check(z.maxLength(2000))),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 25),
  campaign: z.optional(z.string().check(z.maxLength(60))),
  /** Only the caller's cases, those nobody holds, or those past their first-contact target. */
  show: z.optional(z.enum(["mine", "unclaimed", "overdue"])),
  /** Search: words every listed case holds (reference, CVR, company, contact, request, notes). */
  q: z.optional(SearchQuerySchema),
  /** Administrators choose the inbox; consultants always get their own. `manual` is manual triage. */
  consortiumId: z.optional(z.string().check(z.maxLength(60))),
});
export type InboxQuery = z.input<typeof InboxQuerySchema>;

export const ClaimSchema = z.strictObject({ reassign: z._default(z.boolean(), false) });
export const NoteSchema = z.strictObject({
  text: z.string().check(z.trim(), z.minLength(1), z.maxLength(5000)),
  system: z.optional(z.enum(SYSTEMS)),
  /** Set when the note records a contact with the company: the first one meets the first-contact target. */
  contact: z.optional(z.enum(CONTACT_KINDS)),
});
export const StatusChangeSchema = z.discriminatedUnion("status", [
  z.strictObject({ status: z.literal("in_progress") }),
  z.strictObject({ status: z.literal("closed"), outcome: z.enum(OUTCOMES) }),
]);
export const ReopenSchema = z.strictObject({
  reason: z.string().check(z.trim(), z.minLength(3), z.maxLength(1000)),
});
export const TransferSchema = z.strictObject({
  consortiumId: z.string().check(z.minLength(1), z.maxLength(60)),
  reason: z.string().check(z.trim(), z.minLength(3), z.maxLength(1000)),
});

// ---- what the inbox shows ----------------------------------------------------------------------

export interface InboxItem {
  id: string;
  reference: string;
  status: CaseRecord["status"];
  needs: Need[];
  primaryNeed: Need | null;
  /** No need found: the local consortium was sent it to find out (shared/rules/routing.ts). */
  needUnclear?: true;
  companyName: string;
  cvr: string;
  receivedAt: string;
  assignee: Assignee | null;
  /** With a search: where the case matched, the hit marked. */
  hit?: SearchHit;
  /** The consortium's response-time targets on this case, now. */
  dues: CaseDues;
  /** The company wrote back and no consultant has opened the case since. */
  newReply?: boolean;
}

export interface CaseDetail {
  id: string;
  reference: string;
  status: CaseRecord["status"];
  receivedAt: string;
  updatedAt: string;
  request: CaseRecord["payload"];
  needs: Need[];
  primaryNeed: Need | null;
  consortium: { id: string; name: string } | null;
  assignee: Assignee | null;
  outcome: CaseRecord["outcome"] | null;
  /** Why the case came here: the decision with its full explanation. */
  decision: CaseRecord["decision"] | null;
  /** Which member organisation leads each of the case's needs. */
  leads: { need: Need; system: System; organisation: string }[];
  /** Coupled follow-ups (e.g. growth → competence-development conversation): open until done. */
  followUps: { couplingId: string; need: Need; reason: string; done: boolean }[];
  /** The consortium's response-time targets on this case, now. */
  dues: CaseDues;
  timeline: TimelineEntry[];
  /** The company's other cases, any consortium: no notes, no contact details. */
  companyHistory: {
    reference: string;
    status: CaseRecord["status"];
    consortiumId: string | null;
    needs: Need[];
    receivedAt: string;
  }[];
}

/**
 * The inbox a principal lists. Administrators choose any (the regional manual-triage inbox is
 * theirs to work); a consultant lists only their own consortium's, and only if that consortium is in
 * the map: a token naming `manual` (a Cognito group `consortium-manual`) or a consortium since
 * removed lists nothing.
 */
async function whichInbox(deps: InboxDeps, p: Principal, asked: string | undefined): Promise<string> {
  if (p.role === "admin") {
    if (!asked) throw validationFailed([{ path: "consortiumId", message: "administrators choose an inbox" }]);
    return asked;
  }
  if (asked && asked !== p.consortiumId) throw notFound("No such inbox");
  if (!p.consortiumId || !(await deps.consortia()).byId.has(p.consortiumId))
    throw new AppError("forbidden", "You belong to no consortium");
  return p.consortiumId;
}

export async function listInbox(deps: InboxDeps, p: Principal, query: unknown) {
  const q = parseBody(InboxQuerySchema, query);
  const inbox = await whichInbox(deps, p, q.consortiumId);
  const [dir, now] = [await deps.consortia(), deps.now()];
  const targets = targetsOf(dir, inbox);
  const filter: InboxFilter = {
    ...(q.status ? { status: q.status } : {}),
    ...(q.need ? { need: q.need } : {}),
    ...(q.q?.length ? { terms: q.q } : {}),
    ...(q.campaign ? { campaignId: q.campaign } : {}),
    ...(q.show === "mine" ? { assignedTo: { sub: p.sub, email: p.email?.toLowerCase() } } : {}),
    ...(q.show === "unclaimed" ? { unclaimed: true } : {}),
    ...(q.show === "overdue" ? { receivedBefore: overdueBefore(now, targets.firstContactWorkingDays) } : {}),
  };
  const searching = Boolean(q.q?.length);
  const [page, counts] = await Promise.all([
    // The cursor is opaque here: the store refuses one of another inbox.
    deps.cases.listInbox(inbox, { ...filter, limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) }),
    // The inbox's counts per status read its whole partition: a search, which reads it already,
    // does not read it twice (its answer has no counts; the search results are the count).
    searching ? undefined : deps.cases.inboxCounts(inbox),
  ]);
  return {
    consortiumId: inbox,
    ...(counts ? { counts } : {}),
    items: page.items.map((c) => toItem(c, targets, now, q.q)),
    nextCursor: page.next ?? null,
  };
}

/** An inbox's targets (the manual-triage inbox, no consortium's, has the defaults). */
const targetsOf = (dir: ConsortiumDirectory, consortiumId: string | undefined): ResponseTargets =>
  (consortiumId ? dir.byId.get(consortiumId)?.targets : undefined) ?? DEFAULT_TARGETS;

function toItem(c: CaseRecord, targets: ResponseTargets, now: string, terms?: readonly string[]): InboxItem {
  const hit = terms?.length ? searchHit(c, terms) : undefined;
  return {
    id: c.reference,
    reference: c.reference,
    status: c.status,
    needs: c.needs,
    primaryNeed: c.primaryNeed,
    companyName: c.payload.company.name,
    cvr: c.payload.company.cvr,
    receivedAt: c.receivedAt,
    assignee: c.assignee ?? null,
    dues: caseDues(c, targets, now),
    ...(hit ? { hit } : {}),
    ...(c.newReplyAt ? { newReply: true } : {}),
    ...(c.decision?.route.needUnclear && c.needs.length === 0 ? { needUnclear: true as const } : {}),
  };
}

/** The case if the principal may see it; otherwise "not found", exactly as for a case that does not exist. */
export async function visibleCase(deps: InboxDeps, p: Principal, reference: string): Promise<CaseRecord> {
  const c = await deps.cases.get(reference);
  if (!c || !canAccessConsortium(p, c.consortiumId)) throw notFound("No such case");
  return c;
}

export async function caseDetail(deps: InboxDeps, p: Principal, reference: string): Promise<CaseDetail> {
  const c = await visibleCase(deps, p, reference);
  const [dir, company] = await Promise.all([
    deps.consortia(),
    deps.cases.companyCases(c.payload.company.cvr),
  ]);
  const consortium = c.consortiumId ? dir.byId.get(c.consortiumId) : undefined;
  const done = new Set(c.followUpsDone ?? []);
  return {
    id: c.reference,
    reference: c.reference,
    status: c.status,
    receivedAt: c.receivedAt,
    dues: caseDues(c, targetsOf(dir, c.consortiumId), deps.now()),
    updatedAt: c.updatedAt,
    request: c.payload,
    needs: c.needs,
    primaryNeed: c.primaryNeed,
    consortium: c.consortiumId ? { id: c.consortiumId, name: consortium?.name ?? c.consortiumId } : null,
    assignee: c.assignee ?? null,
    outcome: c.outcome ?? null,
    decision: c.decision ?? null,
    leads: c.needs.map((need) => ({
      need,
      system: LEAD_SYSTEM[need],
      organisation: consortium?.members[LEAD_SYSTEM[need]].name ?? LEAD_SYSTEM[need],
    })),
    followUps: (c.decision?.followUps ?? []).map((f) => ({ ...f, done: done.has(f.couplingId) })),
    timeline: c.timeline,
    companyHistory: company
      .filter((o) => o.reference !== c.reference)
      .map((o) => ({
        reference: o.reference,
        status: o.status,
        consortiumId: o.consortiumId ?? null,
        needs: o.needs,
        receivedAt: o.receivedAt,
      })),
  };
}

const who = (p: Principal): Assignee => ({
  sub: p.sub,
  name: p.name,
  ...(p.email ? { email: p.email.toLowerCase() } : {}),
});

/** The consortium a staff change acts in: the case's own (checked visible first). */
export function actingIn(c: CaseRecord): string {
  if (!c.consortiumId) throw conflict("The case is not in a consortium inbox yet");
  return c.consortiumId;
}

export async function claimCase(deps: InboxDeps, p: Principal, reference: string, body: unknown) {
  const c = await visibleCase(deps, p, reference);
  const { reassign } = parseBody(ClaimSchema, body ?? {});
  if (c.assignee?.sub === p.sub) return caseDetail(deps, p, reference); // already mine: nothing to do
  if (!["delivered", "claimed", "in_progress"].includes(c.status))
    throw conflict(`A case that is ${c.status} cannot be claimed`);
  // Given to my e-mail before I signed in: mine to take under my sign-in.
  const mine = isAssignee(c.assignee, p);
  if (c.assignee && !reassign && !mine)
    throw conflict(`${c.assignee.name} has already claimed this case; send "reassign": true to take it over`);
  const ok = await deps.cases.claim(
    reference,
    actingIn(c),
    who(p),
    { reassign: reassign || mine, current: c.status },
    deps.now(),
  );
  if (!ok) throw conflict("Someone else changed the case at the same time; reload and try again");
  return caseDetail(deps, p, reference);
}

/**
 * A case is one DynamoDB item, which holds at most 400 KB, and its notes live in its timeline. A note
 * that would take the case past this size is refused, which keeps 100 KB for the claims, transfers
 * and status changes still to come (each a few hundred bytes): a full case can still be closed.
 */
export const CASE_NOTES_LIMIT_BYTES = 300_000;

export async function addNote(deps: InboxDeps, p: Principal, reference: string, body: unknown) {
  const c = await visibleCase(deps, p, reference);
  const note = parseBody(NoteSchema, body);
  refuseClosed(c);
  const consortiumId = actingIn(c);
  const now = deps.now();
  const entry: TimelineEntry = {
    at: now,
    event: "note",
    actor: p.sub,
    actorName: p.name,
    consortiumId,
    detail: note.text,
    ...(note.system ? { system: note.system } : {}),
    ...(note.contact ? { contact: note.contact } : {}),
  };
  // JSON's size is close to DynamoDB's count of an item (names and values, UTF-8).
  if (
    Buffer.byteLength(JSON.stringify(c)) + Buffer.byteLength(JSON.stringify(entry)) >
    CASE_NOTES_LIMIT_BYTES
  )
    throw conflict(
      "This case has no room for more notes (a case holds about 300 KB of history); summarise the " +
        "earlier notes in your own system and add a shorter note here",
    );
  if (!(await deps.cases.addNote(reference, consortiumId, entry, now)))
    throw conflict("The case moved to another consortium meanwhile");
  return caseDetail(deps, p, reference);
}

export async function changeStatus(deps: InboxDeps, p: Principal, reference: string, body: unknown) {
  const c = await visibleCase(deps, p, reference);
  const change = parseBody(StatusChangeSchema, body);
  if (!c.assignee) throw conflict("Claim the case before you change its status");
  if (!isAssignee(c.assignee, p) && p.role !== "admin")
    throw conflict(`${c.assignee.name} holds this case; claim it (reassign) first`);
  const now = deps.now();
  const expiresAt = Math.floor(Date.parse(now) / 1000) + deps.config.RETENTION_DAYS * 24 * 3600;
  const ok = await deps.cases.setStatus(
    reference,
    actingIn(c),
    who(p),
    change.status === "closed" ? { status: "closed", outcome: change.outcome, expiresAt } : change,
    now,
  );
  if (!ok) throw conflict(`A case that is ${c.status} cannot become ${change.status}`);
  return caseDetail(deps, p, reference);
}

/** A closed case takes no more work, through the API as on the page: reopen it first. */
export function refuseClosed(c: CaseRecord): void {
  if (c.status === "closed")
    throw conflict("The case is closed; reopen it (with a reason) to work on it again");
}

/** A closed case back to work, held by whoever reopens it, with the reason on the timeline. */
export async function reopenCase(deps: InboxDeps, p: Principal, reference: string, body: unknown) {
  const c = await visibleCase(deps, p, reference);
  const { reason } = parseBody(ReopenSchema, body);
  if (c.status !== "closed") throw conflict(`Only a closed case can be reopened; this one is ${c.status}`);
  if (!(await deps.cases.reopen(reference, actingIn(c), who(p), reason, deps.now())))
    throw conflict("The case changed meanwhile; look at it again");
  return caseDetail(deps, p, reference);
}

export async function transferCase(deps: InboxDeps, p: Principal, reference: string, body: unknown) {
  const c = await visibleCase(deps, p, reference);
  const t = parseBody(TransferSchema, body);
  // A manual-triage case has no consortium yet: an administrator routes it by hand.
  const from = c.status === "manual_triage" && !c.consortiumId ? null : actingIn(c);
  const dir = await deps.consortia();
  if (!dir.byId.has(t.consortiumId))
    throw validationFailed([{ path: "consortiumId", message: "is not a consortium" }]);
  if (t.consortiumId === from)
    throw validationFailed([{ path: "consortiumId", message: "is the case's own consortium" }]);
  if (!(await deps.cases.transfer(reference, from, t.consortiumId, who(p), t.reason, deps.now())))
    throw conflict(`A case that is ${c.status} cannot be transferred`);
  try {
    await deps.queues.toInbox(reference, t.consortiumId);
  } catch (err) {
    deps.log.warn("transfer: send failed; the sweeper will re-send", { reference, error: String(err) });
  }
  deps.log.info("case transferred", { reference, from, to: t.consortiumId });
  // The consultant no longer sees it (unless admin): answer with what they may still know.
  return { reference, status: "routed" as const, consortiumId: t.consortiumId };
}

export async function completeFollowUp(deps: InboxDeps, p: Principal, reference: string, couplingId: string) {
  const c = await visibleCase(deps, p, reference);
  refuseClosed(c);
  if (!(c.decision?.followUps ?? []).some((f) => f.couplingId === couplingId))
    throw notFound("No such follow-up");
  if (!(await deps.cases.completeFollowUp(reference, actingIn(c), couplingId, who(p), deps.now())))
    throw conflict("The follow-up is already done");
  return caseDetail(deps, p, reference);
}
