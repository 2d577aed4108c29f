import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CaseRecord } from "#shared/cases/model.ts";
import {
  fold,
  highlight,
  MAX_NOTE_WORDS,
  MAX_SEARCH_TEXT,
  matchesAll,
  noteWords,
  SearchQuerySchema,
  searchHit,
  searchText,
} from "#shared/cases/search-text.ts";
import { CAFE_PAYLOAD } from "#tests/support/fakes.ts";

const terms = (q: string) => SearchQuerySchema.parse(q);
const marked = (text: string, q: string) =>
  highlight(text, terms(q))
    .filter((s) => s.hit)
    .map((s) => s.text);

const aCase = (over: Partial<CaseRecord> = {}): Pick<CaseRecord, "reference" | "payload" | "timeline"> => ({
  reference: "IND-7K2M-Q9XA",
  payload: {
    ...CAFE_PAYLOAD,
    company: { ...CAFE_PAYLOAD.company, name: "Café Nørrebro ApS", cvr: "11696422" },
    contact: { ...CAFE_PAYLOAD.contact, email: "mette@cafe.example.dk" },
    request: { ...CAFE_PAYLOAD.request, description: "Vi søger to kokke til køkkenet i Århus." },
  },
  timeline: [
    { at: "2026-11-27T10:00:00.000Z", event: "received", actor: "company" },
    { at: "2026-11-28T10:00:00.000Z", event: "note", actor: "u1", detail: "Ringede til Mette om lærlinge" },
  ],
  ...over,
});

describe("inbox search text", () => {
  const text = searchText(aCase());

  it("finds a case by reference, CVR, company, e-mail and request words", () => {
    for (const q of ["IND-7K2M-Q9XA", "11696422", "1169", "café nørrebro", "mette@cafe.example.dk", "kokke"])
      expect(matchesAll(text, terms(q)), q).toBe(true);
    expect(matchesAll(text, terms("tømrer"))).toBe(false);
    expect(matchesAll(text, terms("kokke tømrer")), "every term must occur").toBe(false);
  });

  it("finds Danish letters however they are typed: nørrebro, norrebro, noerrebro; Århus, arhus, aarhus", () => {
    for (const q of [
      "Nørrebro",
      "NORREBRO",
      "noerrebro",
      "cafe",
      "århus",
      "arhus",
      "aarhus",
      "kokken",
      "koekkenet",
    ])
      expect(matchesAll(text, terms(q)), q).toBe(true);
  });

  it("a note's words: folded in both spellings, short and overlong words left out, at most 300", () => {
    expect(noteWords("Ringede til Mette om lærlinge, i morgen")).toEqual([
      "ringede",
      "til",
      "mette",
      "om",
      "laerlinge",
      "morgen",
    ]);
    expect(noteWords("Mødtes på Århus-kontoret")).toEqual([
      "modtes",
      "pa",
      "arhus-kontoret",
      "moedtes",
      "paa",
      "aarhus-kontoret",
    ]);
    expect(noteWords(Array.from({ length: 400 }, (_, i) => `ord${i}`).join(" "))).toHaveLength(
      MAX_NOTE_WORDS,
    );
    expect(noteWords(`${"x".repeat(41)} ok`)).toEqual(["ok"]);
  });

  it("the case text is bounded", () => {
    const long = searchText(
      aCase({
        payload: { ...aCase().payload, request: { description: "ord ".repeat(5000), needHints: [] } },
      }),
    );
    expect(long.length).toBeLessThanOrEqual(MAX_SEARCH_TEXT);
  });

  it("a query: at most 200 characters and 8 words, folded, repeated words once", () => {
    expect(terms("  Kokke   KOKKE køkken ")).toEqual(["kokke", "kokken"]);
    expect(SearchQuerySchema.safeParse("x".repeat(201)).success).toBe(false);
    expect(SearchQuerySchema.safeParse("a b c d e f g h i").success).toBe(false);
    expect(terms("%' OR 1=1 --")).toEqual(["or", "1", "--"]); // bound as values, never spliced
  });

  it("marks the hit in the original spelling, whichever folding found it", () => {
    expect(marked("Café Nørrebro ApS", "norrebro")).toEqual(["Nørrebro"]);
    expect(marked("Café Nørrebro ApS", "noerrebro")).toEqual(["Nørrebro"]);
    expect(marked("Café Nørrebro ApS", "cafe aps")).toEqual(["Café", "ApS"]);
    expect(marked("Kontor i Århus", "aarhus")).toEqual(["Århus"]);
    expect(highlight("ingen træf her", ["kok"])).toEqual([{ text: "ingen træf her", hit: false }]);
  });

  it("shows the part around the first hit of a long text, with ellipses", () => {
    const long = `${"a ".repeat(300)}kokke${" b".repeat(300)}`;
    const segments = highlight(long, ["kokke"]);
    expect(segments[0]).toEqual({ text: "…", hit: false });
    expect(segments.at(-1)).toEqual({ text: "…", hit: false });
    expect(segments.filter((s) => s.hit).map((s) => s.text)).toEqual(["kokke"]);
    expect(segments.map((s) => s.text).join("").length).toBeLessThanOrEqual(162);
  });

  it("any text and any query: folding never throws, marks are pieces of the text, joined they are a slice of it", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 300 }),
        fc.string({ unit: "grapheme", maxLength: 40 }),
        (t, q) => {
          const parsed = SearchQuerySchema.safeParse(q);
          if (!parsed.success) return;
          const segments = highlight(t, parsed.data);
          const joined = segments
            .map((s) => s.text)
            .filter((x) => x !== "…")
            .join("");
          expect(t).toContain(joined);
          if (parsed.data.length && matchesAll(fold(t), parsed.data))
            expect(segments.some((s) => s.hit) || t.length > 160).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("says where a listed case matched: the first field in reading order, else the newest note", () => {
    expect(searchHit(aCase(), terms("nørrebro"))).toEqual({
      field: "company",
      segments: [
        { text: "Café ", hit: false },
        { text: "Nørrebro", hit: true },
        { text: " ApS", hit: false },
      ],
    });
    expect(searchHit(aCase(), terms("lærlinge"))?.field).toBe("note");
    expect(searchHit(aCase(), terms("1169"))?.field).toBe("cvr");
    expect(searchHit(aCase(), terms("tømrer"))).toBeUndefined();
  });
});
