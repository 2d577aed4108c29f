/** Replies per sender address per hour, whatever the case (per process: one Lambda container, or npm start). */
export const REPLIES_PER_SENDER_PER_HOUR = 30;

/** Senders kept in memory at most; the oldest is forgotten first. */
const MAX_SENDERS = 10_000;

/**
 * An in-memory limit of replies per sender address (lower-cased by the caller) over the last hour:
 * `receiveReply`'s `senderAllowed`, for the local SMTP receiver and the SES inbound function alike.
 */
export function senderLimiter(
  perHour: number = REPLIES_PER_SENDER_PER_HOUR,
  clock: () => number = Date.now,
): (sender: string) => boolean {
  const hits = new Map<string, number[]>();
  return (sender) => {
    const now = clock();
    const recent = (hits.get(sender) ?? []).filter((t) => now - t < 3_600_000);
    if (recent.length >= perHour) return false;
    recent.push(now);
    hits.delete(sender);
    hits.set(sender, recent);
    if (hits.size > MAX_SENDERS) {
      const oldest = hits.keys().next();
      if (!oldest.done) hits.delete(oldest.value);
    }
    return true;
  };
}
