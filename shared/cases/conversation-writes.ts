import { type CaseTable, caseKey, conditionalUpdate } from "./case-item.ts";

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
