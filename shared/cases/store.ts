import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Log } from "#shared/log.ts";
import type { Attention } from "./attention.ts";
import type { CaseTable } from "./case-item.ts";
import * as reads from "./case-reads.ts";
import * as conversation from "./conversation-writes.ts";
import * as flow from "./flow-writes.ts";
import * as pagers from "./index-pagers.ts";
import type {
  Assignee,
  CaseError,
  CaseRecord,
  CaseStatus,
  Decision,
  NoticeChannel,
  TimelineEntry,
} from "./model.ts";
import * as ratings from "./rating-writes.ts";
import * as staff from "./staff-writes.ts";

/**
 * The case store: every read and write of a case goes through here, each write conditional so that
 * a message delivered twice, or two people acting at once, change nothing twice. This class is the
 * one door; the work is done, by theme, in case-item.ts (keys and the item's layout),
 * flow-writes.ts (intake and the workers), staff-writes.ts (consultants and erasure), case-reads.ts
 * and index-pagers.ts.
 */
export class CaseStore {
  private readonly t: CaseTable;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.t = { db, tableName };
  }

  // ---- intake and the workers (flow-writes.ts) ---------------------------------------------------

  /** A new case and its idempotency keys, or the earlier case one of the keys was seen with. */
  create(record: CaseRecord, statusToken: string, keys: flow.IdempotencyKey[]): Promise<flow.CreateResult> {
    return flow.create(this.t, record, statusToken, keys);
  }

  /** received → routed (or manual_triage). False when the case was already triaged. */
  recordDecision(reference: string, decision: Decision, now: string): Promise<boolean> {
    return flow.recordDecision(this.t, reference, decision, now);
  }

  /** Into its inbox: the case as it now is, or undefined for a duplicate or stale message. */
  markDelivered(
    reference: string,
    consortiumId: string | null,
    now: string,
    firstLook: string = now,
    claimAcknowledgement = false,
  ): Promise<CaseRecord | undefined> {
    return flow.markDelivered(this.t, reference, consortiumId, now, firstLook, claimAcknowledgement);
  }

  /** Cases not yet in an inbox whose last step is older than `before` (oldest first). */
  listPending(before: string, limit?: number): Promise<pagers.PendingCase[]> {
    return pagers.listPending(this.t, before, limit);
  }

  /** Claims a stuck case for one re-send: only one sweeper wins. */
  markResent(p: pagers.PendingCase, now: string): Promise<boolean> {
    return flow.markResent(this.t, p, now);
  }

  /** Delivered cases whose attention time (a reply, a due target) has come by `now`. */
  listDue(now: string, limit?: number): Promise<pagers.DueCase[]> {
    return pagers.listDue(this.t, now, limit);
  }

  /** Records the notices the sweeper is about to queue and when to look next: only one sweeper wins. */
  markAttended(
    due: pagers.DueCase,
    c: Pick<CaseRecord, "newReplyAt">,
    a: Attention,
    now: string,
  ): Promise<boolean> {
    return flow.markAttended(this.t, due, c, a, now);
  }

  /** A notice after delivery went out on these channels (`<notice id>/<channel>`). */
  markNoticeSent(reference: string, sentIds: readonly string[]): Promise<boolean> {
    return flow.markNoticeSent(this.t, reference, sentIds);
  }

  markNotified(reference: string, deliveredAt: string, now: string): Promise<boolean> {
    return flow.markNotified(this.t, reference, deliveredAt, now);
  }

  markChannelNotified(reference: string, channel: NoticeChannel, deliveredAt: string): Promise<boolean> {
    return flow.markChannelNotified(this.t, reference, channel, deliveredAt);
  }

  // ---- the company's side (conversation-writes.ts) -------------------------------------------------

  claimAcknowledgement(reference: string, at: string): Promise<boolean> {
    return conversation.claimAcknowledgement(this.t, reference, at);
  }

  markAcknowledged(reference: string, at: string): Promise<boolean> {
    return conversation.markAcknowledged(this.t, reference, at);
  }

  releaseAcknowledgement(reference: string, claimedAt: string): Promise<boolean> {
    return conversation.releaseAcknowledgement(this.t, reference, claimedAt);
  }

  addMessage(
    reference: string,
    entry: TimelineEntry,
    from: { consultantIn: string } | "company",
    now: string,
  ): Promise<boolean> {
    return conversation.addMessage(this.t, reference, entry, from, now);
  }

  clearNewReply(reference: string): Promise<boolean> {
    return conversation.clearNewReply(this.t, reference);
  }

  claimClosingMail(reference: string, at: string): Promise<boolean> {
    return ratings.claimClosingMail(this.t, reference, at);
  }

  recordRating(reference: string, rating: { score: number; comment?: string; at: string }): Promise<boolean> {
    return ratings.recordRating(this.t, reference, rating);
  }

  /** Best effort, never throws: why a worker failed the case last. */
  recordError(reference: string, error: CaseError, log?: Pick<Log, "warn">): Promise<boolean> {
    return flow.recordError(this.t, reference, error, log);
  }

  // ---- reading (case-reads.ts, index-pagers.ts) -----------------------------------------------------

  get(reference: string): Promise<CaseRecord | undefined> {
    return reads.get(this.t, reference);
  }

  /** Several cases in one strongly consistent batch read; unprocessed keys are simply absent. */
  getMany(references: readonly string[]): Promise<Map<string, CaseRecord>> {
    return reads.getMany(this.t, references);
  }

  /** The newest `limit` cases received, day by day back from `now` (at most `days` days). */
  recentCases(now: string, limit: number, days?: number): Promise<CaseRecord[]> {
    return reads.recentCases(this.t, now, limit, days);
  }

  /** Every case of one company (CVR), in any consortium, newest first. */
  companyCases(cvr: string, limit?: number): Promise<CaseRecord[]> {
    return reads.companyCases(this.t, cvr, limit);
  }

  /** An inbox's cases, newest first; `cursor` is the previous page's `next` (opaque). */
  listInbox(inbox: string, opts: Parameters<typeof pagers.listInbox>[2]): Promise<pagers.InboxPage> {
    return pagers.listInbox(this.t, inbox, opts);
  }

  /** How many cases of an inbox are in each status. */
  inboxCounts(inbox: string): Promise<Partial<Record<CaseStatus, number>>> {
    return pagers.inboxCounts(this.t, inbox);
  }

  /** How many of the cases received on one UTC day a campaign tagged, by status. */
  campaignCountsOn(campaignId: string, day: string): Promise<Partial<Record<CaseStatus, number>>> {
    return pagers.campaignCountsOn(this.t, campaignId, day);
  }

  // ---- staff (staff-writes.ts) ----------------------------------------------------------------------

  /** Takes a case in `consortiumId`; false when someone else holds it (unless `reassign`) or it changed. */
  claim(
    reference: string,
    consortiumId: string,
    who: Assignee,
    opts: { reassign: boolean; current: CaseStatus },
    now: string,
  ): Promise<boolean> {
    return staff.claim(this.t, reference, consortiumId, who, opts, now);
  }

  /** Gives the case to a listed consultant, if it still stands as `seen`. */
  assign(
    reference: string,
    consortiumId: string,
    to: Assignee,
    seen: { status: CaseStatus; holderSub: string | null },
    entry: TimelineEntry,
    now: string,
  ): Promise<boolean> {
    return staff.assign(this.t, reference, consortiumId, to, seen, entry, now);
  }

  addNote(reference: string, consortiumId: string, entry: TimelineEntry, now: string): Promise<boolean> {
    return staff.addNote(this.t, reference, consortiumId, entry, now);
  }

  /** claimed → in_progress, or → closed with an outcome. */
  setStatus(
    reference: string,
    consortiumId: string,
    who: Assignee,
    change: staff.StatusChange,
    now: string,
  ): Promise<boolean> {
    return staff.setStatus(this.t, reference, consortiumId, who, change, now);
  }

  /** closed → in progress again, with a reason. */
  reopen(
    reference: string,
    consortiumId: string,
    who: Assignee,
    reason: string,
    now: string,
  ): Promise<boolean> {
    return staff.reopen(this.t, reference, consortiumId, who, reason, now);
  }

  /** To another consortium: out of this inbox, back to routed and pending. */
  transfer(
    reference: string,
    from: string | null,
    to: string,
    who: Assignee,
    reason: string,
    now: string,
  ): Promise<boolean> {
    return staff.transfer(this.t, reference, from, to, who, reason, now);
  }

  completeFollowUp(
    reference: string,
    consortiumId: string,
    couplingId: string,
    who: Assignee,
    now: string,
  ): Promise<boolean> {
    return staff.completeFollowUp(this.t, reference, consortiumId, couplingId, who, now);
  }

  /** Anonymises the case: its statistics stay, its personal data and its CVR link go. */
  erase(c: CaseRecord, now: string): Promise<void> {
    return staff.erase(this.t, c, now);
  }
}
