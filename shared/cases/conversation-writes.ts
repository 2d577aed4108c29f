import { type CaseTable, caseKey, conditionalUpdate, DUE, pendingSince } from "./case-item.ts";
import type { TimelineEntry } from "./model.ts";
import { noteWords } from "./search-text.ts";

/**
 * What the company's side of a case writes: the acknowledgement's claim and record (once per case).
 * Each write is conditional, so a repeated or concurrent delivery message sends nothing twice.
 */

/** Takes the acknowledgement for this worker: false when it was sent or is being sent already. */
export function claimAcknowledgement(t: CaseTable, reference: string, at: string): Promise<boolean> {
  return conditionalUpdate(t, {
    Key: caseKey(reference),
    UpdateExpression: "SET ackClaimedAt = :at",
    ConditionExpression:
      "attribute_exists(pk) AND attribute_not_exists(acknowledgedAt) AND attribute_not_exists(ackClaimedAt)",
    ExpressionAttributeValues: { ":at": at },
  });
}

/** The acknowledgement went out. */
export function markAcknowledged(t: CaseTable, reference: string, at: string): Promise<boolean> {
  return conditionalUpdate(t, {
    Key: caseKey(reference),
    UpdateExpression: "SET acknowledgedAt = :at",
    ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(acknowledgedAt)",
    ExpressionAttributeValues: { ":at": at },
  });
}

/** The send failed: give the claim back (only this worker's own claim) so a retry may try again. */
export function releaseAcknowledgement(t: CaseTable, reference: string, claimedAt: string): Promise<boolean> {
  return conditionalUpdate(t, {
    Key: caseKey(reference),
    UpdateExpression: "REMOVE ackClaimedAt",
    ConditionExpression: "ackClaimedAt = :at AND attribute_not_exists(acknowledgedAt)",
    ExpressionAttributeValues: { ":at": claimedAt },
  });
}

/**
 * Appends a message to the timeline. A consultant's message is conditional on the case still being
 * in the consultant's consortium (`consortiumId`) and clears "new reply"; the company's sets it
 * and is refused on a closed case.
 */
export function addMessage(
  t: CaseTable,
  reference: string,
  entry: TimelineEntry,
  from: { consultantIn: string } | "company",
  now: string,
): Promise<boolean> {
  const company = from === "company";
  // A message's words are searchable like a note's; the first message to the company is its first
  // contact (the response-time target), unless a recorded call or meeting came before.
  const words = noteWords(entry.detail ?? "");
  const add = words.length ? " ADD noteWords :words" : "";
  return conditionalUpdate(t, {
    Key: caseKey(reference),
    UpdateExpression: company
      ? // …and asks the sweeper to tell the consortium (attention.ts): into the index's DUE partition
        // unless it is still PENDING delivery (then its delivery schedules the look), sorted by now.
        `SET updatedAt = :now, timeline = list_append(timeline, :entry), newReplyAt = :now, gsi3pk = if_not_exists(gsi3pk, :due), gsi3sk = :attention${add}`
      : `SET updatedAt = :now, timeline = list_append(timeline, :entry), firstContactAt = if_not_exists(firstContactAt, :now) REMOVE newReplyAt${add}`,
    ConditionExpression: company
      ? "attribute_exists(pk) AND #status <> :closed"
      : "attribute_exists(pk) AND consortiumId = :consortium",
    ...(company ? { ExpressionAttributeNames: { "#status": "status" } } : {}),
    ExpressionAttributeValues: {
      ":now": now,
      ":entry": [entry],
      ...(words.length ? { ":words": new Set(words) } : {}),
      ...(company
        ? { ":closed": "closed", ":due": DUE, ":attention": pendingSince(now, reference) }
        : { ":consortium": from.consultantIn }),
    },
  });
}

/** A consultant has seen the company's reply: the inbox's "new reply" goes. */
export function clearNewReply(t: CaseTable, reference: string): Promise<boolean> {
  return conditionalUpdate(t, {
    Key: caseKey(reference),
    UpdateExpression: "REMOVE newReplyAt",
    ConditionExpression: "attribute_exists(newReplyAt)",
  });
}
