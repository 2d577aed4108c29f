import { type CaseTable, caseKey, conditionalUpdate } from "./case-item.ts";

/** Claims the closing e-mail of a closed case for one sender: false when it went (or is going) already. */
export function claimClosingMail(t: CaseTable, reference: string, at: string): Promise<boolean> {
  return conditionalUpdate(t, {
    Key: caseKey(reference),
    UpdateExpression: "SET closingMailedAt = :at",
    ConditionExpression: "#status = :closed AND attribute_not_exists(closingMailedAt)",
    ExpressionAttributeNames: { "#status": "status" },
    ExpressionAttributeValues: { ":at": at, ":closed": "closed" },
  });
}

/** The company's rating of a closed case, once: false when it has rated already (or it is not closed). */
export function recordRating(
  t: CaseTable,
  reference: string,
  rating: { score: number; comment?: string; at: string },
): Promise<boolean> {
  return conditionalUpdate(t, {
    Key: caseKey(reference),
    UpdateExpression: "SET rating = :rating, ratingScore = :score",
    ConditionExpression: "#status = :closed AND attribute_not_exists(rating)",
    ExpressionAttributeNames: { "#status": "status" },
    ExpressionAttributeValues: { ":rating": rating, ":score": rating.score, ":closed": "closed" },
  });
}
