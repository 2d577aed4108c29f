import { describe, expect, it } from "vitest";
import { normalise, tokenise } from "#shared/rules/text.ts";

/** The characters `normalise` only lowercases: printable ASCII, tab, line breaks, Latin-1 letters. */
const plain = (code: number) =>
  (code >= 0x20 && code <= 0x7e) ||
  code === 9 ||
  code === 10 ||
  code === 13 ||
  (code >= 0xc0 && code <= 0xff);

describe("tokenise scans the lowercased text before normalising it", () => {
  it("is right to: a character outside the plain range that lowercases into it lowercases to its NFKC's lowercase", () => {
    const lowercasingIn: string[] = [];
    for (let code = 0; code <= 0x10ffff; code++) {
      if (plain(code) || (code >= 0xd800 && code <= 0xdfff)) continue;
      const c = String.fromCodePoint(code);
      const lower = c.toLowerCase();
      if (![...lower].every((x) => plain(x.codePointAt(0) ?? 0))) continue;
      lowercasingIn.push(c);
      expect(c.normalize("NFKC").toLowerCase(), `U+${code.toString(16)}`).toBe(lower);
    }
    // Ÿ, ẞ and the Kelvin and Ångström signs (the list in tokenise's comment)
    expect(lowercasingIn).toEqual(["\u0178", "\u1e9e", "\u212a", "\u212b"]);
  });

  it("gives the tokens of the normalised text", () => {
    const texts = [
      "Vi mangler TØMRERE – hurtigst muligt",
      "KURSUS i Å-regler for 5 K-medarbejdere",
      "don’t need ﬁnance, but Ｆｉｎａｎｃｅ",
      "µ-chip ½ pris ª ² x\u00a0-\u00a0y",
      "cafe\u0301 e\u0301n gang. Næste",
      "Ÿves og ẞ, og Ωmega; İstanbul",
      "tig-svejsning – TIG-SVEJSNING—done",
    ];
    for (const text of texts) expect(tokenise(text), text).toEqual(tokenise(normalise(text)));
  });
});
