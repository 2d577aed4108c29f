import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The links the service mails to a company, derived from one server secret (CASE_LINK_SECRET; on
 * AWS a Secrets Manager secret) so that nothing but the hash of a status token is ever stored.
 *
 * The status token is HMAC-SHA256(secret, "status:" + reference), its first 16 bytes (128 bits) in
 * base64url: the intake computes it for a new case and stores only its sha256 (`tokenHash`), and
 * the delivery worker recomputes it for the acknowledgement e-mail. Verification is unchanged
 * (sha256(token) against `tokenHash`), so cases created with a random token keep their links.
 * Each use has its own label ("status:"), so one derived value never serves for another.
 */
export function statusTokenFor(secret: string, reference: string): string {
  return createHmac("sha256", secret)
    .update(`status:${reference}`)
    .digest()
    .subarray(0, 16)
    .toString("base64url");
}

/** A header value (subject, address) with no line break or other control character: no injection. */
export function headerSafe(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
  if (/[\u0000-\u001f\u007f\u2028\u2029]/.test(value))
    throw new Error("header value contains a line break or control character");
  return value;
}

/** The local part's prefix of a reply address: `svar+<reference>.<signature>@<REPLY_DOMAIN>`. */
export const REPLY_LOCAL_PREFIX = "svar";
/** How long a reply address works after the message that carried it (days). */
export const REPLY_VALID_DAYS = 180;

const replySignature = (secret: string, reference: string, day: number) =>
  createHmac("sha256", secret).update(`reply:${reference}:${day}`).digest().subarray(0, 10).toString("hex");

/**
 * The signed reply address of a case's e-mails: the reference, the day it was issued (days since
 * 1970, base 36) and an 80-bit HMAC of both. Only the service can make one; it names one case; it
 * expires after REPLY_VALID_DAYS. Lowercase only, as mail systems may fold the local part's case.
 */
export function replyAddress(secret: string, reference: string, domain: string, now: string): string {
  const day = Math.floor(Date.parse(now) / 86_400_000);
  const local = `${REPLY_LOCAL_PREFIX}+${reference.toLowerCase()}.${day.toString(36)}.${replySignature(secret, reference, day)}`;
  return headerSafe(`${local}@${domain.toLowerCase()}`);
}

export type ReplyAddressCheck =
  | { ok: true; reference: string }
  | { ok: false; why: "not_a_reply_address" | "foreign_domain" | "bad_signature" | "expired" };

/** The case a reply address names, or why it names none (forged, foreign, expired): never by subject. */
export function verifyReplyAddress(
  secret: string,
  address: string,
  domain: string,
  now: string,
): ReplyAddressCheck {
  const m = /^svar\+(ind-[0-9a-z]{4}-[0-9a-z]{4})\.([0-9a-z]{1,8})\.([0-9a-f]{20})@([^@\s]+)$/.exec(
    address.trim().toLowerCase(),
  );
  if (!m) return { ok: false, why: "not_a_reply_address" };
  const [, ref = "", dayText = "", sig = "", host = ""] = m;
  if (host !== domain.toLowerCase()) return { ok: false, why: "foreign_domain" };
  const reference = ref.toUpperCase();
  const day = Number.parseInt(dayText, 36);
  const expected = replySignature(secret, reference, day);
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(sig))) return { ok: false, why: "bad_signature" };
  const today = Math.floor(Date.parse(now) / 86_400_000);
  if (day > today + 1 || today - day > REPLY_VALID_DAYS) return { ok: false, why: "expired" };
  return { ok: true, reference };
}

/** The signature of a case's rating link (one per case: a rating can be given once). */
export function ratingSignature(secret: string, reference: string): string {
  return createHmac("sha256", secret)
    .update(`rating:${reference}`)
    .digest()
    .subarray(0, 16)
    .toString("base64url");
}

export function ratingSignatureMatches(secret: string, reference: string, sig: string): boolean {
  const a = Buffer.from(ratingSignature(secret, reference));
  const b = Buffer.from(sig);
  return a.length === b.length && timingSafeEqual(a, b);
}
