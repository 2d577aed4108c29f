import * as z from "zod/mini";
import "#shared/zod.ts";
import type { CaseRecord } from "./model.ts";

/**
 * Inbox search, the text side: what of a case can be searched, folded so that a consultant finds
 * "Café Nørrebro" by typing "cafe norrebro" or "nørrebro", and the terms of a query. The store keeps
 * the folded text on the case (`searchText`) and DynamoDB filters the consortium's partition by it
 * (`contains`, the terms bound as values, never spliced into the expression).
 */

/** At most this much folded text per case: the request (≤ 5,000 characters) and the newest notes. */
export const MAX_SEARCH_TEXT = 12_000;
export const MAX_QUERY_LENGTH = 200;
export const MAX_QUERY_TERMS = 8;

/** Danish letters as a consultant may type them: without the letter ("norrebro"), or spelt out ("noerrebro"). */
const PLAIN: Record<string, string> = { æ: "ae", ø: "o", å: "a", ß: "ss" };
const SPELT: Record<string, string> = { æ: "ae", ø: "oe", å: "aa", ß: "ss" };

/** One lower-case character folded: accents dropped, æ/ø/å by `letters`, anything but a letter or digit a space. */
function foldChar(ch: string, letters: Record<string, string>): string {
  const mapped = letters[ch] ?? ch.normalize("NFKD").replace(/\p{M}+/gu, "");
  if (mapped === "") return ""; // a lone combining mark belongs to the letter before it
  return /^[\p{L}\p{N}@.+-]+$/u.test(mapped) ? mapped : " ";
}

/** Text folded with each folded character's position in the original (for marking hits). */
function foldMapped(text: string, letters: Record<string, string>): { folded: string; origin: number[] } {
  let folded = "";
  const origin: number[] = [];
  let i = 0;
  for (const ch of text) {
    const f = foldChar(ch.toLowerCase(), letters);
    folded += f;
    for (let k = 0; k < f.length; k++) origin.push(i);
    i += ch.length;
  }
  return { folded, origin };
}

const squeeze = (s: string) => s.replace(/ +/g, " ").trim();

/**
 * A query's folding: lower case, accents dropped, ø → o, å → a, æ → ae, every run of other
 * characters one space. "Nørrebro", "norrebro" and "NORREBRO" are one term.
 */
export const fold = (text: string): string => squeeze(foldMapped(text, PLAIN).folded);

/**
 * A case's folding: the query's, plus the words with æ/ø/å spelt out a second time, so a case is
 * found by "norrebro" and by "noerrebro", by "arhus" and by "aarhus".
 */
export function foldForSearch(text: string): string {
  const plain = fold(text);
  const spelt = squeeze(foldMapped(text, SPELT).folded)
    .split(" ")
    .filter((w) => /ae|oe|aa|ss/.test(w));
  const extra = spelt.filter((w) => !plain.includes(w));
  return extra.length ? `${plain} ${[...new Set(extra)].join(" ")}` : plain;
}

/** What a consultant can find a case by: reference, CVR, company, contact e-mail, request, notes. */
export function searchText(c: Pick<CaseRecord, "reference" | "payload" | "timeline">): string {
  const { company, contact, request } = c.payload;
  const fixed = [c.reference, company.cvr, company.name, contact.email, contact.name, request.description];
  const notes = c.timeline
    .filter((e) => e.event === "note" && e.detail)
    .map((e) => e.detail ?? "")
    .reverse(); // the newest first, so that the limit drops the oldest
  return foldForSearch([...fixed, ...notes].join(" ")).slice(0, MAX_SEARCH_TEXT);
}

/** A search query: up to 8 terms, each folded; every term must occur (AND), as a word or part of one. */
export const SearchQuerySchema = z
  .pipe(
    z.string().check(z.maxLength(MAX_QUERY_LENGTH)),
    z.transform((q) => [...new Set(fold(q).split(" ").filter(Boolean))]),
  )
  .check(
    z.refine((terms) => terms.length <= MAX_QUERY_TERMS, {
      message: `may hold at most ${MAX_QUERY_TERMS} words`,
    }),
  );

/** Whether folded text holds every term. */
export const matchesAll = (folded: string, terms: readonly string[]): boolean =>
  terms.every((t) => folded.includes(t));

/** A piece of shown text, marked when it is (part of) a hit. */
export interface Segment {
  text: string;
  hit: boolean;
}

/**
 * The part of `text` around its first hit (about `width` characters), split into marked and plain
 * segments for the page to render (`<mark>`, escaped like any text). Terms are found in both
 * foldings and marked in the original spelling: "norrebro" and "noerrebro" both mark "Nørrebro".
 */
export function highlight(text: string, terms: readonly string[], width = 160): Segment[] {
  const spans: [number, number][] = [];
  for (const letters of [PLAIN, SPELT]) {
    const { folded, origin } = foldMapped(text, letters);
    for (const term of terms) {
      for (let at = folded.indexOf(term); at >= 0 && term; at = folded.indexOf(term, at + term.length)) {
        const start = origin[at] ?? 0;
        const last = origin[at + term.length - 1] ?? start;
        spans.push([start, last + ((text.codePointAt(last) ?? 0) > 0xffff ? 2 : 1)]);
      }
    }
  }
  if (spans.length === 0) return [{ text: text.slice(0, width), hit: false }];
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const first = spans[0]?.[0] ?? 0;
  const from = Math.max(0, Math.min(first - Math.floor(width / 3), text.length - width));
  const to = Math.min(text.length, from + width);
  const out: Segment[] = from > 0 ? [{ text: "…", hit: false }] : [];
  let pos = from;
  for (const [s, e] of spans) {
    if (e <= pos || s >= to) continue;
    if (s > pos) out.push({ text: text.slice(pos, s), hit: false });
    out.push({ text: text.slice(Math.max(s, pos), Math.min(e, to)), hit: true });
    pos = Math.min(e, to);
  }
  if (pos < to) out.push({ text: text.slice(pos, to), hit: false });
  if (to < text.length) out.push({ text: "…", hit: false });
  return out;
}
