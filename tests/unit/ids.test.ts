import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  canonicalHash,
  newReference,
  newStatusToken,
  REFERENCE_PATTERN,
  sha256,
  tokenMatches,
} from "#shared/cases/ids.ts";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

describe("newReference", () => {
  it("looks like IND-XXXX-XXXX in Crockford's base32 (no I, L, O, U)", () => {
    for (let i = 0; i < 1000; i++) {
      const ref = newReference();
      expect(ref).toMatch(REFERENCE_PATTERN);
      expect(ref).toMatch(/^IND-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      expect(ref.slice(4).replace("-", "")).not.toMatch(/[ILOU]/);
    }
  });

  it("has no collisions in 10,000 draws", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) seen.add(newReference());
    expect(seen.size).toBe(10_000);
  });

  it("uses the whole alphabet in every position", () => {
    const perPosition = Array.from({ length: 8 }, () => new Set<string>());
    for (let i = 0; i < 5_000; i++) {
      const chars = newReference().slice(4).replace("-", "");
      for (let p = 0; p < 8; p++) perPosition[p]?.add(chars.charAt(p));
    }
    for (const set of perPosition) expect(set.size).toBe(32);
  });
});

describe("REFERENCE_PATTERN", () => {
  it.each(["IND-7K3M-Q9PX", "IND-0000-ZZZZ"])("accepts %s", (ref) => {
    expect(REFERENCE_PATTERN.test(ref)).toBe(true);
  });

  it.each([
    "ind-7K3M-Q9PX",
    "IND-7K3M-Q9P",
    "IND-7K3MQ9PX",
    "IND-7K3M-Q9PXX",
    "IND-7K3M-Q9PI",
    "IND-7K3M-Q9PL",
    "IND-OK3M-Q9PX",
    "IND-UK3M-Q9PX",
    "XIND-7K3M-Q9PX",
    "IND-7K3M-Q9PX\n",
    "",
  ])("rejects %j", (ref) => {
    expect(REFERENCE_PATTERN.test(ref)).toBe(false);
  });

  it("the alphabet and the pattern agree", () => {
    for (const ch of CROCKFORD)
      expect(REFERENCE_PATTERN.test(`IND-${ch.repeat(4)}-${ch.repeat(4)}`)).toBe(true);
  });
});

describe("newStatusToken", () => {
  it("is URL-safe and carries at least 16 random bytes", () => {
    const token = newStatusToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(token.length).toBeGreaterThanOrEqual(22);
    expect(Buffer.from(token, "base64url").length).toBeGreaterThanOrEqual(16);
  });

  it("never repeats, and its bits vary (no fixed bytes)", () => {
    const tokens = Array.from({ length: 2_000 }, () => newStatusToken());
    expect(new Set(tokens).size).toBe(tokens.length);
    // every byte position takes many values: no constant or low-entropy part
    const bytes = tokens.map((t) => Buffer.from(t, "base64url"));
    for (let i = 0; i < 16; i++) {
      const values = new Set(bytes.map((b) => b[i]));
      expect(values.size).toBeGreaterThan(200);
    }
  });
});

describe("sha256 and tokenMatches", () => {
  it("sha256 is base64url SHA-256", () => {
    expect(sha256("abc")).toBe(createHash("sha256").update("abc").digest("base64url"));
    expect(sha256("abc")).toBe("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
  });

  it("a token matches its own hash", () => {
    const token = newStatusToken();
    expect(tokenMatches(token, sha256(token))).toBe(true);
  });

  it("another token does not match", () => {
    const token = newStatusToken();
    expect(tokenMatches(newStatusToken(), sha256(token))).toBe(false);
    expect(tokenMatches(`${token}x`, sha256(token))).toBe(false);
    expect(tokenMatches("", sha256(token))).toBe(false);
  });

  it("the token is not its own hash, and a hash of another length is no match (and no throw)", () => {
    const token = newStatusToken();
    expect(tokenMatches(token, token)).toBe(false);
    expect(tokenMatches(token, "")).toBe(false);
    expect(tokenMatches(token, `${sha256(token)}=`)).toBe(false);
  });
});

describe("canonicalHash", () => {
  it("does not depend on key order, at any depth", () => {
    const a = { company: { cvr: "11696422", name: "A" }, consent: true, request: { needHints: ["growth"] } };
    const b = { request: { needHints: ["growth"] }, consent: true, company: { name: "A", cvr: "11696422" } };
    expect(canonicalHash(a)).toBe(canonicalHash(b));
    expect(canonicalHash([{ x: 1, y: 2 }])).toBe(canonicalHash([{ y: 2, x: 1 }]));
  });

  it("depends on every value", () => {
    const base = { company: { cvr: "11696422", name: "A" }, consent: true, n: 1 };
    const h = canonicalHash(base);
    expect(canonicalHash({ ...base, company: { cvr: "11696422", name: "B" } })).not.toBe(h);
    expect(canonicalHash({ ...base, consent: false })).not.toBe(h);
    expect(canonicalHash({ ...base, n: 2 })).not.toBe(h);
    expect(canonicalHash({ ...base, n: "1" })).not.toBe(h);
    expect(canonicalHash({ ...base, extra: null })).not.toBe(h);
  });

  it("depends on key names, not only values", () => {
    expect(canonicalHash({ a: 1 })).not.toBe(canonicalHash({ b: 1 }));
  });

  it("depends on array order", () => {
    expect(canonicalHash({ needHints: ["growth", "recruitment"] })).not.toBe(
      canonicalHash({ needHints: ["recruitment", "growth"] }),
    );
  });

  it("is stable across calls and equals the hash of the sorted JSON", () => {
    const v = { b: [1, { d: 4, c: 3 }], a: "x" };
    expect(canonicalHash(v)).toBe(canonicalHash(structuredClone(v)));
    expect(canonicalHash(v)).toBe(sha256('{"a":"x","b":[1,{"c":3,"d":4}]}'));
  });

  it("hashes primitives and null", () => {
    expect(canonicalHash(null)).toBe(sha256("null"));
    expect(canonicalHash("x")).toBe(sha256('"x"'));
    expect(canonicalHash(1)).not.toBe(canonicalHash("1"));
  });
});
