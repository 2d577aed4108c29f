import { describe, expect, it } from "vitest";
import { ratingStats } from "#shared/conversation/outcome.ts";

describe("ratingStats", () => {
  it("counts and averages the ratings per consortium and per primary need, ignoring unrated cases", () => {
    const at = "2026-03-01T00:00:00.000Z";
    const s = ratingStats([
      { consortiumId: "rar-fyn", primaryNeed: "recruitment", rating: { score: 5, at } },
      { consortiumId: "rar-fyn", primaryNeed: "growth", rating: { score: 3, at } },
      { consortiumId: "rar-bornholm", primaryNeed: "recruitment", rating: { score: 4, at } },
      { consortiumId: "rar-bornholm", primaryNeed: "recruitment" },
    ]);
    expect(s.total).toEqual({ count: 3, average: 4, scores: [0, 0, 1, 1, 1] });
    expect(s.byConsortium["rar-fyn"]).toEqual({ count: 2, average: 4, scores: [0, 0, 1, 0, 1] });
    expect(s.byConsortium["rar-bornholm"]?.count).toBe(1);
    expect(s.byNeed.recruitment).toEqual({ count: 2, average: 4.5, scores: [0, 0, 0, 1, 1] });
    expect(s.byNeed.upskilling).toBeUndefined();
  });
});
