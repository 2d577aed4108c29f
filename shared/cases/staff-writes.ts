import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { TABLE } from "#shared/resources.ts";
import { type CaseTable, caseKey, conditionalUpdate, PENDING, pendingSince } from "./case-item.ts";
import type { Assignee, CaseRecord, CaseStatus, Outcome, TimelineEntry } from "./model.ts";
import { noteWords } from "./search-text.ts";

/**
 * What staff change on a case: a consultant's claim, note, status, transfer or follow-up (each a
 * conditional update that also appends its timeline entry, so two people acting at once cannot both
 * win), and an administrator's erasure of its personal data.
 */

/**
 * Takes a case that is `current` (delivered, claimed or in progress) in `consortiumId`. Fails
 * (false) when someone else holds it, unless `reassign`, or when it changed meanwhile: two
 * consultants claiming at once cannot both win.
 */
export async function claim(
  t: CaseTable,
  reference: string,
  consortiumId: string,
  who: Assignee,
  opts: { reassign: boolean; current: CaseStatus },
  now: string,
): Promise<boolean> {
  return staffChange(t, reference, {
    // The first claim's time, for the statistics (which read the byDay index, not the timeline).
    set: "#status = :next, assignee = :who, firstClaimedAt = if_not_exists(firstClaimedAt, :now)",
    condition:
      "consortiumId = :consortium AND #status = :current" +
      (opts.reassign ? "" : " AND attribute_not_exists(assignee)"),
    values: {
      ":consortium": consortiumId,
      ":who": who,
      ":current": opts.current,
      ":next": opts.current === "in_progress" ? "in_progress" : "claimed",
    },
    entry: { at: now, event: "claimed", actor: who.sub, actorName: who.name, consortiumId },
    now,
  });
}

/**
 * Gives a current case to `to`, a consultant of its consortium. Conditional on what the giver saw:
 * the same status and the same holder (or none), so a claim or another assignment at the same
 * moment wins or loses whole.
 */
export async function assign(
  t: CaseTable,
  reference: string,
  consortiumId: string,
  to: Assignee,
  seen: { status: CaseStatus; holderSub: string | null },
  entry: TimelineEntry,
  now: string,
): Promise<boolean> {
  return staffChange(t, reference, {
    set: "#status = :next, assignee = :to",
    condition:
      "consortiumId = :consortium AND #status = :current AND " +
      (seen.holderSub === null ? "attribute_not_exists(assignee)" : "assignee.#sub = :holder"),
    names: seen.holderSub === null ? {} : { "#sub": "sub" },
    values: {
      ":consortium": consortiumId,
      ":to": to,
      ":current": seen.status,
      ":next": seen.status === "in_progress" ? "in_progress" : "claimed",
      ...(seen.holderSub === null ? {} : { ":holder": seen.holderSub }),
    },
    entry,
    now,
  });
}

export async function addNote(
  t: CaseTable,
  reference: string,
  consortiumId: string,
  entry: TimelineEntry,
  now: string,
): Promise<boolean> {
  const words = noteWords(entry.detail ?? "");
  return staffChange(t, reference, {
    condition: "consortiumId = :consortium",
    // A note of a contact with the company is its first contact, unless one came before.
    ...(entry.contact ? { set: "firstContactAt = if_not_exists(firstContactAt, :now)" } : {}),
    // A string set, added to atomically: a note written at the same moment keeps its words too.
    ...(words.length ? { add: "noteWords :words" } : {}),
    values: { ":consortium": consortiumId, ...(words.length ? { ":words": new Set(words) } : {}) },
    entry,
    now,
  });
}

/**
 * closed → in progress again, held by `who`: the outcome, the closing time and the expiry go (the
 * case is open work again); the reason is on the timeline. Fails (false) unless the case is closed.
 */
export async function reopen(
  t: CaseTable,
  reference: string,
  consortiumId: string,
  who: Assignee,
  reason: string,
  now: string,
): Promise<boolean> {
  return staffChange(t, reference, {
    set: "#status = :inProgress, assignee = :who",
    remove: `outcome, closedAt, #ttl`,
    condition: "consortiumId = :consortium AND #status = :closed",
    names: { "#ttl": TABLE.ttlAttribute },
    values: { ":consortium": consortiumId, ":closed": "closed", ":inProgress": "in_progress", ":who": who },
    entry: { at: now, event: "reopened", actor: who.sub, actorName: who.name, consortiumId, detail: reason },
    now,
  });
}

export type StatusChange =
  | { status: "in_progress" }
  | { status: "closed"; outcome: Outcome; expiresAt: number };

/** claimed → in_progress, or → closed with an outcome (closed cases then expire after `expiresAt`). */
export async function setStatus(
  t: CaseTable,
  reference: string,
  consortiumId: string,
  who: Assignee,
  change: StatusChange,
  now: string,
): Promise<boolean> {
  const closing = change.status === "closed";
  return staffChange(t, reference, {
    set: closing
      ? "#status = :closed, outcome = :outcome, closedAt = :now, #ttl = :expires"
      : "#status = :inProgress",
    // A closed case leaves the sweeper's DUE list (a claimed case is never PENDING, so only that).
    ...(closing ? { remove: "gsi3pk, gsi3sk" } : {}),
    condition: "consortiumId = :consortium AND #status IN (:claimed, :inProgress)",
    names: closing ? { "#ttl": TABLE.ttlAttribute } : {},
    values: {
      ":consortium": consortiumId,
      ":claimed": "claimed",
      ":inProgress": "in_progress",
      ...(closing ? { ":closed": "closed", ":outcome": change.outcome, ":expires": change.expiresAt } : {}),
    },
    entry: {
      at: now,
      event: change.status,
      actor: who.sub,
      actorName: who.name,
      consortiumId,
      ...(closing ? { detail: change.outcome } : {}),
    },
    now,
  });
}

/**
 * Moves a case to another consortium: out of this inbox, back to `routed` and pending, so the
 * delivery worker (or, if the send is lost, the sweeper) places it in the other inbox.
 */
export async function transfer(
  t: CaseTable,
  reference: string,
  from: string | null,
  to: string,
  who: Assignee,
  reason: string,
  now: string,
): Promise<boolean> {
  return staffChange(t, reference, {
    set: "#status = :routed, consortiumId = :to, gsi3pk = :pending, gsi3sk = :pendingSk",
    remove: "assignee, gsi1pk",
    // From manual triage (no consortium yet), or from a consortium's inbox.
    condition:
      from === null
        ? "attribute_not_exists(consortiumId) AND #status = :manual"
        : "consortiumId = :from AND #status <> :closed AND #status <> :routed",
    values: {
      ":routed": "routed",
      ":to": to,
      ...(from === null ? { ":manual": "manual_triage" } : { ":from": from, ":closed": "closed" }),
      ":pending": PENDING,
      ":pendingSk": pendingSince(now, reference),
    },
    entry: {
      at: now,
      event: "transferred",
      actor: who.sub,
      actorName: who.name,
      consortiumId: to,
      detail: reason,
    },
    now,
  });
}

export async function completeFollowUp(
  t: CaseTable,
  reference: string,
  consortiumId: string,
  couplingId: string,
  who: Assignee,
  now: string,
): Promise<boolean> {
  return staffChange(t, reference, {
    set: "followUpsDone = list_append(if_not_exists(followUpsDone, :empty), :done)",
    condition: "consortiumId = :consortium AND NOT contains(followUpsDone, :id)",
    values: { ":consortium": consortiumId, ":empty": [], ":done": [couplingId], ":id": couplingId },
    entry: {
      at: now,
      event: "note",
      actor: who.sub,
      actorName: who.name,
      consortiumId,
      detail: `follow-up done: ${couplingId}`,
    },
    now,
  });
}

/** One staff change: a conditional update that also appends its timeline entry. */
function staffChange(
  t: CaseTable,
  reference: string,
  c: {
    set?: string;
    remove?: string;
    add?: string;
    condition: string;
    names?: Record<string, string>;
    values: Record<string, unknown>;
    entry: TimelineEntry;
    now: string;
  },
): Promise<boolean> {
  const set = ["updatedAt = :now", "timeline = list_append(timeline, :entry)", ...(c.set ? [c.set] : [])];
  const names = {
    ...c.names,
    ...(/#status/.test(c.set ?? "") || /#status/.test(c.condition) ? { "#status": "status" } : {}),
  };
  return conditionalUpdate(t, {
    Key: caseKey(reference),
    UpdateExpression: `SET ${set.join(", ")}${c.remove ? ` REMOVE ${c.remove}` : ""}${c.add ? ` ADD ${c.add}` : ""}`,
    ConditionExpression: `attribute_exists(pk) AND ${c.condition}`,
    ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
    ExpressionAttributeValues: { ...c.values, ":now": c.now, ":entry": [c.entry] },
  });
}

const ERASED = "[erased]";

/**
 * Anonymises a case rather than deleting it: needs, consortium, status, outcome and the timeline's
 * events stay for the regional statistics, while names, contact details, the description, notes and
 * the CVR link are removed.
 */
export async function erase(t: CaseTable, c: CaseRecord, now: string): Promise<void> {
  const timeline = c.timeline.map(({ detail: _d, actorName: _n, ...e }) =>
    e.event === "note" || e.event.startsWith("message_") ? { ...e, detail: ERASED } : e,
  );
  const payload = {
    company: { cvr: "00000000", name: ERASED, municipalityCode: c.payload.company.municipalityCode },
    contact: { name: ERASED, email: "erased@invalid", language: c.payload.contact.language },
    request: { description: ERASED, needHints: c.payload.request.needHints },
    consent: true,
  };
  await t.db.send(
    new UpdateCommand({
      TableName: t.tableName,
      Key: caseKey(c.reference),
      // Out of the company index too: the erased case no longer links to the CVR.
      // A rating keeps its score for the statistics; its comment (the company's words) goes.
      UpdateExpression:
        "SET payload = :payload, timeline = :timeline, erasedAt = :now, updatedAt = :now" +
        (c.rating ? ", rating = :rating " : " ") +
        "REMOVE gsi2pk, gsi2sk, decision.firedRules, decision.negated, lastError, searchText, noteWords",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: {
        ":payload": payload,
        ":timeline": timeline,
        ":now": now,
        ...(c.rating ? { ":rating": { score: c.rating.score, at: c.rating.at } } : {}),
      },
    }),
  );
}
