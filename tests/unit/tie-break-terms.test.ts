/** The tie-break's explanation and the need-unclear mark, in Danish and English, from a real decision. */
import { describe, expect, it } from "vitest";
import { caseTerms, tieBreakText } from "#functions/http/i18n/case-terms.ts";
import { DEFAULT_CONSORTIA, municipalityMap } from "#shared/reference/consortia.ts";
import { defaultRuleSet } from "#shared/rules/default.ts";
import { compile } from "#shared/rules/engine.ts";
import { decide } from "#shared/triage.ts";
import { CAFE_PAYLOAD } from "#tests/support/fakes.ts";

const rules = compile(defaultRuleSet(), 1);
const map = municipalityMap(DEFAULT_CONSORTIA);
const NOW = "2026-12-02T12:00:00.000Z";
const decision = (description: string) =>
  decide({ ...CAFE_PAYLOAD, request: { description, needHints: [] } }, rules, map, NOW);

describe("the tie-break on the case", () => {
  it("says which need leads and why, in both languages", () => {
    const d = decision("Vi skal ansætte to kokke, og vores tjenere skal på AMU-kursus i vin.");
    expect(d.needs).toEqual(["recruitment", "upskilling"]);
    expect(d.primaryNeed).toBe("recruitment");
    expect(d.tieBreak).toEqual({ by: "first", between: ["recruitment", "upskilling"] });
    const tie = d.tieBreak ?? { by: "unresolved" as const, between: [] };
    expect(tieBreakText(caseTerms("da"), tie)).toMatch(/^Primært behov: det, henvendelsen nævner først af /);
    expect(tieBreakText(caseTerms("en"), tie)).toMatch(
      /^Primary need: the one of .+ the request states first$/,
    );
  });

  it("names a marker of the main ask, and none when the text says the needs weigh the same", () => {
    const marked = decision("Vi skal ansætte to kokke. Men først og fremmest skal vores tjenere på kursus.");
    expect(marked.primaryNeed).toBe("upskilling");
    expect(marked.tieBreak?.by).toBe("priority");
    const equal = decision(
      "Vi skal ansætte to kokke, og vores tjenere skal på kursus. Begge dele er lige vigtige.",
    );
    expect(equal.primaryNeed).toBeNull();
    expect(equal.tieBreak?.by).toBe("equal");
    expect(tieBreakText(caseTerms("en"), equal.tieBreak ?? { by: "equal", between: [] })).toMatch(
      /^No primary need: the request says .+ weigh the same$/,
    );
  });

  it("marks a request with no need for the inbox", () => {
    const d = decision("Hej, kan I ringe mig op?");
    expect(d.route.needUnclear).toBe(true);
    expect(d.route.consortiumId).toBe("rar-hovedstaden");
    expect([caseTerms("da").needUnclear, caseTerms("en").needUnclear]).toEqual([
      "Behov uafklaret",
      "Need unclear",
    ]);
  });
});
