import { describe, expect, it } from "vitest";
import { REPLY_VALID_DAYS, replyAddress, verifyReplyAddress } from "#shared/conversation/case-links.ts";

const SECRET = "unit-test-case-link-secret";
const REF = "IND-7K3M-Q9PX";
const DOMAIN = "svar.indgang.example.dk";
const NOW = "2026-03-02T09:00:00.000Z";
const later = (days: number) => new Date(Date.parse(NOW) + days * 86_400_000).toISOString();

describe("signed reply addresses", () => {
  const address = replyAddress(SECRET, REF, DOMAIN, NOW);

  it("name their case, in lowercase, and verify back to it (whatever case a mail system gives them)", () => {
    expect(address).toMatch(/^svar\+ind-7k3m-q9px\.[0-9a-z]+\.[0-9a-f]{20}@svar\.indgang\.example\.dk$/);
    expect(verifyReplyAddress(SECRET, address, DOMAIN, later(3))).toEqual({ ok: true, reference: REF });
    expect(verifyReplyAddress(SECRET, address.toUpperCase(), DOMAIN, NOW)).toEqual({
      ok: true,
      reference: REF,
    });
  });

  it("refuse a forged signature, another case's reference with this signature, and another key", () => {
    const forged = address.replace(/[0-9a-f]{20}@/, "0123456789abcdef0123@");
    expect(verifyReplyAddress(SECRET, forged, DOMAIN, NOW)).toEqual({ ok: false, why: "bad_signature" });
    const otherCase = address.replace("ind-7k3m-q9px", "ind-7k3m-q9pz");
    expect(verifyReplyAddress(SECRET, otherCase, DOMAIN, NOW)).toEqual({ ok: false, why: "bad_signature" });
    expect(verifyReplyAddress(`${SECRET}2`, address, DOMAIN, NOW)).toEqual({
      ok: false,
      why: "bad_signature",
    });
    // Moving the issue day (to extend it) breaks the signature too.
    const moved = address.replace(/\.([0-9a-z]+)\.([0-9a-f]{20})@/, (_m, _d, sig) => `.zzzz.${sig}@`);
    expect(verifyReplyAddress(SECRET, moved, DOMAIN, NOW)).toEqual({ ok: false, why: "bad_signature" });
  });

  it("refuse a foreign domain, something that is not a reply address, and an expired one", () => {
    expect(verifyReplyAddress(SECRET, address.replace(DOMAIN, "evil.example.com"), DOMAIN, NOW)).toEqual({
      ok: false,
      why: "foreign_domain",
    });
    expect(verifyReplyAddress(SECRET, "kontakt@svar.indgang.example.dk", DOMAIN, NOW).ok).toBe(false);
    expect(verifyReplyAddress(SECRET, `${address}\r\nBcc: x@y.dk`, DOMAIN, NOW).ok).toBe(false);
    expect(verifyReplyAddress(SECRET, address, DOMAIN, later(REPLY_VALID_DAYS + 1))).toEqual({
      ok: false,
      why: "expired",
    });
  });
});
