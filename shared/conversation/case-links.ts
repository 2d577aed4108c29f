import { createHmac } from "node:crypto";

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
