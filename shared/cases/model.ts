import * as z from "zod/mini";
import { type Need, NeedSchema, type System } from "#shared/needs.ts";
import "#shared/zod.ts";
import type { IntakePayload } from "#shared/intake/request-schema.ts";

import type { Classification } from "#shared/rules/engine.ts";
import type { Route } from "#shared/rules/routing.ts";

/**
 * A case is one company request from intake to close. DynamoDB is its source of truth; queues only
 * carry its reference. Every status change appends to the timeline, which is never edited.
 */
/** Routing overrides made from campaigns carry this id prefix; the case is tagged with the rest. */
export const CAMPAIGN_OVERRIDE_PREFIX = "campaign.";

export const CASE_STATUSES = [
  "received",
  "routed",
  "manual_triage",
  "delivered",
  "claimed",
  "in_progress",
  "closed",
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const TIMELINE_EVENTS = [
  "received",
  "routed",
  "manual_triage",
  "delivered",
  "claimed",
  /** Given to a consultant of the consortium by a colleague (detail: their name). */
  "assigned",
  "note",
  "in_progress",
  "transferred",
  "closed",
  "reopened",
  /** A consultant wrote to the company (shown on its status page and mailed to it). */
  "message_to_company",
  /** The company wrote back (the status page's form, or a reply to the e-mail). */
  "message_from_company",
] as const;
export type TimelineEvent = (typeof TIMELINE_EVENTS)[number];

export interface TimelineEntry {
  at: string;
  event: TimelineEvent;
  /** "company", "system", or a staff user's id. */
  actor: string;
  /** The staff user's display name. */
  actorName?: string;
  consortiumId?: string;
  detail?: string;
  /** For notes: which of the three systems the contact was made by. */
  system?: System;
  /** For notes: the note records a contact with the company, and how it was made. */
  contact?: ContactKind;
  /** For a company's message: how it came (the status page's form or a reply e-mail). */
  via?: "web" | "email";
}

/** How a consultant was in contact with the company (a note of a contact is a first contact). */
export const CONTACT_KINDS = ["phone", "meeting", "visit", "email"] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

/** The ways a consortium's inbox is told of a new case (`notify` of a consortium). */
export const NOTICE_CHANNELS = ["webhook", "email"] as const;
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number];
/** The case attribute that records a channel's notice for a delivery. */
export const NOTIFIED_FOR = {
  webhook: "webhookNotifiedFor",
  email: "emailNotifiedFor",
} as const satisfies Record<NoticeChannel, keyof CaseRecord>;

/** How a case ended: what the company got. */
export const OUTCOMES = [
  "recruited",
  "upskilling_started",
  "growth_programme",
  "referred",
  "no_action",
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Why a worker last failed a case's message: kept on the case item as `lastError`. */
export interface CaseError {
  at: string;
  message: string;
  /** The queue whose message failed (its name, from the record's eventSourceARN). */
  queue: string;
}

export interface Assignee {
  /** The sign-in's subject; `member:<e-mail>` for a case given to a consultant who has not signed in. */
  sub: string;
  name: string;
  email?: string;
}

/**
 * A route as stored with a case. Decisions made before routes carried a `basis` have only the
 * English `reason`: readers fall back to it.
 */
export type StoredRoute = Omit<Route, "basis"> & Partial<Pick<Route, "basis">>;

/** What the triage worker decided, and why: stored with the case and shown to consultants. */
export interface Decision extends Classification {
  route: StoredRoute;
  decidedAt: string;
}

export interface CaseRecord {
  reference: string;
  status: CaseStatus;
  receivedAt: string;
  updatedAt: string;
  payload: IntakePayload;
  /** sha256 of the status-link token; the token itself is never stored with the case. */
  tokenHash: string;
  decision?: Decision;
  consortiumId?: string;
  needs: Need[];
  primaryNeed: Need | null;
  deliveredAt?: string;
  /** When the consortium's inbox was told of the latest delivery (every channel it has). */
  notifiedAt?: string;
  /**
   * Per channel: the `deliveredAt` of the delivery whose notice that channel has sent. A retried
   * delivery message skips a channel whose value equals the current `deliveredAt`.
   */
  webhookNotifiedFor?: string;
  emailNotifiedFor?: string;
  /** When the company's acknowledgement e-mail went out (once per case; shared/conversation/). */
  acknowledgedAt?: string;
  /** Taken by the worker sending the acknowledgement, before it sends: one sender per case. */
  ackClaimedAt?: string;
  /** The company's latest unanswered message ("new reply" in the inbox), cleared when a consultant opens or answers. */
  newReplyAt?: string;
  /** The `newReplyAt` the consortium was last told of (shared/cases/attention.ts). */
  replyNotifiedFor?: string;
  /** When the consortium was told that the first contact is overdue (once per case). */
  firstContactAlertedAt?: string;
  /** When the consortium was told that closing is overdue (once per case). */
  closeAlertedAt?: string;
  /** `<notice id>/<channel>` for each channel a notice after delivery went out on. */
  noticesSent?: string[];
  /** When the closing e-mail (outcome and rating link) went out: once per case. */
  closingMailedAt?: string;
  /** The company's rating of the help it got (1-5), given once through the closing e-mail's link. */
  rating?: { score: number; comment?: string; at: string };
  /** The rating's score alone, for the statistics' index (the comment stays on the case). */
  ratingScore?: number;
  /** True until the case reached an inbox (a consortium's or manual triage): the sweeper's work list. */
  pending: boolean;
  assignee?: Assignee;
  /**
   * The company's first contact with a consultant: the first message to it, or a call or meeting a
   * consultant recorded. The response-time target's "met" (shared/cases/response-times.ts).
   */
  firstContactAt?: string;
  /** When a consultant first claimed the case (the statistics' time to claim). */
  firstClaimedAt?: string;
  /** The campaign whose routing caught this case, if any. */
  campaignId?: string;
  outcome?: Outcome;
  closedAt?: string;
  /** Coupled follow-ups (by coupling id) that a consultant has marked done. */
  followUpsDone?: string[];
  timeline: TimelineEntry[];
}

/** What a company (or anyone with the status link) may see of its case: no staff names, no notes. */
export const PublicCaseViewSchema = z
  .strictObject({
    reference: z.string(),
    status: z.enum(CASE_STATUSES),
    needs: z.array(NeedSchema),
    primaryNeed: z.nullable(NeedSchema),
    consortiumId: z.nullable(z.string()),
    receivedAt: z.iso.datetime(),
    /** How a closed case ended. */
    outcome: z.optional(z.enum(OUTCOMES)),
    timeline: z.array(
      z.strictObject({
        at: z.iso.datetime(),
        event: z.enum(TIMELINE_EVENTS),
        consortiumId: z.optional(z.string()),
        /** The text of a message between the company and its consultants (no names, no addresses). */
        message: z.optional(z.string()),
      }),
    ),
  })
  .register(z.globalRegistry, { id: "CaseStatus" });
export type PublicCaseView = z.infer<typeof PublicCaseViewSchema>;

const PUBLIC_EVENTS: ReadonlySet<TimelineEvent> = new Set<TimelineEvent>([
  "received",
  "routed",
  "manual_triage",
  "delivered",
  "claimed",
  "in_progress",
  "transferred",
  "closed",
  "reopened",
  "message_to_company",
  "message_from_company",
]);

/** The events whose `detail` the company may read: the messages it wrote or was written. */
export const MESSAGE_EVENTS: ReadonlySet<TimelineEvent> = new Set<TimelineEvent>([
  "message_to_company",
  "message_from_company",
]);

export function publicView(c: CaseRecord): PublicCaseView {
  return {
    reference: c.reference,
    status: c.status,
    needs: c.needs,
    primaryNeed: c.primaryNeed,
    consortiumId: c.consortiumId ?? null,
    receivedAt: c.receivedAt,
    ...(c.status === "closed" && c.outcome ? { outcome: c.outcome } : {}),
    timeline: c.timeline
      .filter((e) => PUBLIC_EVENTS.has(e.event))
      .map((e) => ({
        at: e.at,
        event: e.event,
        ...(e.consortiumId ? { consortiumId: e.consortiumId } : {}),
        // Notes are never the company's: only a message's text is shown, and no actor at all.
        ...(MESSAGE_EVENTS.has(e.event) && e.detail !== undefined ? { message: e.detail } : {}),
      })),
  };
}
