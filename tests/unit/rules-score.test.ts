import { describe, expect, it } from "vitest";
import { formatScore, type ScoredSample, scoreSamples } from "#shared/triage-score.ts";

const sample = (
  id: string,
  expect: ScoredSample["expect"],
  got: ScoredSample["got"],
  firedRules: string[] = [],
): ScoredSample => ({ id, expect, got, firedRules });

describe("scoreSamples", () => {
  const samples = [
    sample(
      "a",
      { needs: ["recruitment"], primaryNeed: "recruitment", consortiumId: "x" },
      { needs: ["recruitment"], primaryNeed: "recruitment", consortiumId: "x" },
    ),
    sample(
      "b",
      { needs: ["growth", "upskilling"], primaryNeed: "growth", consortiumId: "x" },
      { needs: ["upskilling"], primaryNeed: null, consortiumId: "y" },
      ["ups-course"],
    ),
  ];
  const s = scoreSamples(samples);

  it("counts accuracy, per-need precision/recall and micro F1", () => {
    expect(s.total).toBe(2);
    expect(s.primaryAccuracy).toBe(0.5);
    expect(s.consortiumAccuracy).toBe(0.5);
    expect(s.perNeed.growth).toMatchObject({ tp: 0, fp: 0, fn: 1, recall: 0 });
    expect(s.perNeed.upskilling).toMatchObject({ tp: 1, fp: 0, fn: 0, f1: 1 });
    // micro: tp 2, fp 0, fn 1 → P 1, R 2/3, F1 0.8
    expect(s.needsF1).toBeCloseTo(0.8);
  });

  it("fills the primary-need confusion matrix, null as none", () => {
    expect(s.confusion.recruitment?.recruitment).toBe(1);
    expect(s.confusion.growth?.none).toBe(1);
    expect(s.confusion.growth?.growth).toBe(0);
  });

  it("lists each miss with what was wrong and the rules that fired", () => {
    expect(s.misses).toHaveLength(1);
    expect(s.misses[0]).toMatchObject({
      id: "b",
      wrong: ["needs", "primaryNeed", "consortiumId"],
      firedRules: ["ups-course"],
    });
    expect(formatScore(s)).toContain("b [needs, primaryNeed, consortiumId]");
    expect(formatScore(s)).toContain("primary accuracy: 50.0 %");
  });

  it("treats needs as a set, not a list", () => {
    const r = scoreSamples([
      sample(
        "c",
        { needs: ["upskilling", "growth"], primaryNeed: null, consortiumId: "x" },
        { needs: ["growth", "upskilling"], primaryNeed: null, consortiumId: "x" },
      ),
    ]);
    expect(r.misses).toHaveLength(0);
    expect(r.needsF1).toBe(1);
  });
});
