import { describe, expect, it } from "vitest";
import { serviceStats } from "#shared/admin/service-stats.ts";
import type { StatsCase } from "#shared/admin/stats.ts";
import { DEFAULT_TARGETS } from "#shared/cases/response-times.ts";

const base = { status: "claimed", needs: ["recruitment"] } as const;
const at = (reference: string, receivedAt: string, extra: Partial<StatsCase> = {}): StatsCase => ({
  ...base,
  needs: [...base.needs],
  reference,
  receivedAt,
  consortiumId: "rar-fyn",
  ...extra,
});

describe("serviceStats", () => {
  // Wed 13 May 2026; Thu 14 May is Kristi himmelfartsdag, so first contact is due by Mon 18 May.
  const received = "2026-05-13T08:00:00.000Z";
  const now = "2026-06-30T10:00:00.000Z";

  it("counts first contacts met, missed and open against each consortium's own target, across a holiday", () => {
    const cases = [
      at("A", received, { firstContactAt: "2026-05-18T10:00:00.000Z" }), // met: Monday after the holiday
      at("B", received, { firstContactAt: "2026-05-19T10:00:00.000Z" }), // missed by a day
      at("C", received), // never contacted, long overdue
      at("D", "2026-06-30T08:00:00.000Z"), // today: not due yet
      at("E", received, { consortiumId: "rar-bornholm", firstContactAt: "2026-05-19T10:00:00.000Z" }),
      at("F", received, { consortiumId: undefined }), // manual triage: held to no target
    ];
    // Bornholm allows 5 working days: Tuesday 19 May is within them.
    const targets = (id: string) =>
      id === "rar-bornholm" ? { ...DEFAULT_TARGETS, firstContactWorkingDays: 5 } : undefined;
    const s = serviceStats(cases, "month", targets, now);
    expect(s.targetsByConsortium["rar-fyn"]?.firstContact).toEqual({ met: 1, missed: 2, open: 1 });
    expect(s.targetsByConsortium["rar-bornholm"]?.firstContact).toEqual({ met: 1, missed: 0, open: 0 });
    expect(s.targetsByConsortium.manual).toBeUndefined();
    expect(s.targets.map((r) => [r.period, r.consortiumId, r.need, r.firstContact.met])).toEqual([
      ["2026-05", "rar-bornholm", "recruitment", 1],
      ["2026-05", "rar-fyn", "recruitment", 1],
      ["2026-06", "rar-fyn", "recruitment", 0],
    ]);
    // 122 h (A), 146 h (B), 146 h (E): the median is the middle one; Fyn has A and B.
    expect(s.firstContact.overall).toEqual({ hours: 146, cases: 3 });
    expect(s.firstContact.byConsortium["rar-fyn"]).toEqual({ hours: 134, cases: 2 });
  });

  it("averages the ratings per consortium and per need (a case under each of its needs), ignoring unrated cases", () => {
    const closed = { status: "closed" as const, closedAt: "2026-05-20T10:00:00.000Z" };
    const s = serviceStats(
      [
        at("A", received, { ...closed, ratingScore: 5 }),
        at("B", received, { ...closed, ratingScore: 2, needs: ["recruitment", "growth"] }),
        at("C", received, { ...closed, consortiumId: "rar-bornholm", ratingScore: 4, needs: [] }),
        at("D", received, closed),
      ],
      "month",
      () => undefined,
      now,
    );
    expect(s.ratings.total).toEqual({ count: 3, average: 3.67, scores: [0, 1, 0, 1, 1] });
    expect(s.ratings.byConsortium["rar-fyn"]).toEqual({ count: 2, average: 3.5, scores: [0, 1, 0, 0, 1] });
    expect(s.ratings.byNeed.recruitment?.count).toBe(2);
    expect(s.ratings.byNeed.growth).toEqual({ count: 1, average: 2, scores: [0, 1, 0, 0, 0] });
    expect(s.ratings.byNeed.none?.average).toBe(4);
    expect(s.ratings.byNeed.upskilling).toBeUndefined();
    // Closed on 20 May against 20 working days: met.
    expect(s.targetsByConsortium["rar-fyn"]?.close).toEqual({ met: 3, missed: 0, open: 0 });
  });
});
