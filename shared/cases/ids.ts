import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

// Crockford's base32 without I, L, O, U: easy to read aloud and to type from a letter.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A short, human-readable case reference such as `IND-7K3M-Q9PX` (40 random bits). */
export function newReference(): string {
  const bytes = randomBytes(8);
  let s = "";
  for (let i = 0; i < 8; i++) s += ALPHABET[(bytes[i] ?? 0) & 31];
  return `IND-${s.slice(0, 4)}-${s.slice(4)}`;
}

export const REFERENCE_PATTERN = /^IND-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

/** The unguessable part of a status link (128 bits); only its hash is stored with the case. */
export function newStatusToken(): string {
  return randomBytes(16).toString("base64url");
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("base64url");
}

export function tokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(sha256(token));
  const b = Buffer.from(storedHash);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A stable hash of a JSON value, independent of key order: identical submissions hash alike. */
export function canonicalHash(value: unknown): string {
  return sha256(JSON.stringify(canonical(value)));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}
