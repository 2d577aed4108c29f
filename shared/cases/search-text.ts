import * as z from "zod/mini";
import "#shared/zod.ts";
import type { CaseRecord } from "./model.ts";

/**
 * Inbox search, the text side: what of a case can be searched, folded so that a consultant finds
 * "Café Nørrebro" by typing "cafe norrebro" or "nørrebro", and the terms of a query. The store keeps
 * the folded text on the case (`searchText`) and DynamoDB filters the consortium's partition by it
 * (`contains`, the terms bound as values, never spliced into the expression).
 */

/** At most this much folded text per case (the request itself is at most 5,000 characters). */
export const MAX_SEARCH_TEXT = 8_000;
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

/**
 * What a consultant can find a case by, besides its notes: reference, CVR, company, contact and the
 * request, as one folded text (a term matches any part of it: "1169" finds CVR 11696422).
 */
export function searchText(c: Pick<CaseRecord, "reference" | "payload">): string {
  const { company, contact, request } = c.payload;
  const fixed = [c.reference, company.cvr, company.name, contact.email, contact.name, request.description];
  return foldForSearch(fixed.join(" ")).slice(0, MAX_SEARCH_TEXT);
}

/** At most this many words per note go into the case's note words. */
export const MAX_NOTE_WORDS = 300;

/**
 * A note's words, folded (both spellings of æ/ø/å), for the case's `noteWords` set: DynamoDB adds
 * them to the set atomically (`ADD`), so two notes written at once both stay findable. A term
 * matches a note by whole word.
 */
export function noteWords(text: string): string[] {
  const words = foldForSearch(text)
    .split(" ")
    .filter((w) => w.length >= 2 && w.length <= 40);
  return [...new Set(words)].slice(0, MAX_NOTE_WORDS);
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

export const HIT_FIELDS = [
  "reference",
  "cvr",
  "company",
  "email",
  "contact",
  "request",
  "note",
  "message",
] as const;
/** Where a listed case matched a search, and the matched text with its hits marked. */
export interface SearchHit {
  field: (typeof HIT_FIELDS)[number];
  segments: Segment[];
}

/**
 * The first place a case holds a search term (the fields in the order a consultant reads them,
 * the newest note last), marked for the result list; undefined if none does.
 */
export function searchHit(
  c: Pick<CaseRecord, "reference" | "payload" | "timeline">,
  terms: readonly string[],
): SearchHit | undefined {
  const { company, contact, request } = c.payload;
  // Notes and messages with the company, the newest first.
  const notes = c.timeline
    .filter((e) => (e.event === "note" || e.event.startsWith("message_")) && e.detail)
    .reverse();
  const places: [SearchHit["field"], string][] = [
    ["reference", c.reference],
    ["cvr", company.cvr],
    ["company", company.name],
    ["email", contact.email],
    ["contact", contact.name],
    ["request", request.description],
    ...notes.map((n): [SearchHit["field"], string] => [
      n.event === "note" ? "note" : "message",
      n.detail ?? "",
    ]),
  ];
  for (const [field, text] of places) {
    const segments = highlight(text, terms);
    if (segments.some((s) => s.hit)) return { field, segments };
  }
  return undefined;
}
