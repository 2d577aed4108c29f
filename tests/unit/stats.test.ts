import type { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  aggregate,
  casesReceivedBetween,
  isoWeek,
  median,
  parseStatsQuery,
  periodOf,
  periodsBetween,
  type StatsCase,
  toCsv,
} from "#shared/admin/stats.ts";
import type { CaseRecord } from "#shared/cases/model.ts";
import { AppError } from "#shared/errors.ts";
import { TABLE } from "#shared/resources.ts";

let seq = 0;
const hoursAfter = (iso: string, h: number) => new Date(Date.parse(iso) + h * 3_600_000).toISOString();

/** A case received at `receivedAt`; `claimAfter` (hours, the first one counts) and `closeAfter` set its times. */
function aCase(
  o: Partial<StatsCase> & {
    receivedAt: string;
    claimAfter?: number[];
    closeAfter?: number;
    closedAt?: string;
  },
): StatsCase {
  const { claimAfter = [], closeAfter, ...rest } = o;
  const firstClaim = claimAfter[0];
  return {
    reference: `IND-${++seq}`,
    status: "delivered",
    needs: [],
    consortiumId: "rar-fyn",
    ...(firstClaim === undefined ? {} : { firstClaimedAt: hoursAfter(o.receivedAt, firstClaim) }),
    ...(closeAfter === undefined ? {} : { closedAt: hoursAfter(o.receivedAt, closeAfter) }),
    ...rest,
  };
}

describe("periods", () => {
  it("ISO weeks (UTC), including the weeks that belong to the neighbouring year", () => {
    expect(isoWeek("2026-11-23")).toBe("2026-W48"); // Monday
    expect(isoWeek("2026-11-29")).toBe("2026-W48"); // Sunday: same week
    expect(isoWeek("2026-11-30")).toBe("2026-W49");
    expect(isoWeek("2026-01-01")).toBe("2026-W01");
    expect(isoWeek("2027-01-01")).toBe("2026-W53");
    expect(isoWeek("2024-12-30")).toBe("2025-W01");
    expect(isoWeek("2021-01-03")).toBe("2020-W53");
  });

  it("day, week and month of a timestamp, and every period of a range", () => {
    const at = "2026-11-30T23:59:59.000Z";
    expect(periodOf(at, "day")).toBe("2026-11-30");
    expect(periodOf(at, "week")).toBe("2026-W49");
    expect(periodOf(at, "month")).toBe("2026-11");
    expect(periodsBetween("2026-11-20", "2026-12-02", "week")).toEqual(["2026-W47", "2026-W48", "2026-W49"]);
    expect(periodsBetween("2026-11-20", "2027-01-02", "month")).toEqual(["2026-11", "2026-12", "2027-01"]);
    expect(periodsBetween("2026-02-27", "2026-03-01", "day")).toEqual([
      "2026-02-27",
      "2026-02-28",
      "2026-03-01",
    ]);
    expect(periodsBetween("2026-11-23", "2026-11-23", "week")).toEqual(["2026-W48"]);
  });
});

describe("aggregate", () => {
  it("counts by period × consortium × need × status: a case once per need, `none` without, `manual` outside consortia", () => {
    const cases = [
      aCase({ receivedAt: "2026-11-23T08:00:00.000Z", needs: ["recruitment", "upskilling"] }),
      aCase({ receivedAt: "2026-11-24T08:00:00.000Z", needs: ["recruitment"] }),
      aCase({ receivedAt: "2026-11-24T09:00:00.000Z", needs: ["recruitment"], status: "claimed" }),
      aCase({ receivedAt: "2026-11-30T08:00:00.000Z", needs: ["growth"], consortiumId: "rar-bornholm" }),
      aCase({
        receivedAt: "2026-11-30T09:00:00.000Z",
        needs: [],
        consortiumId: undefined,
        status: "manual_triage",
      }),
    ];
    const r = aggregate(cases, "week");
    expect(r.rows).toEqual([
      { period: "2026-W48", consortiumId: "rar-fyn", need: "recruitment", status: "claimed", count: 1 },
      { period: "2026-W48", consortiumId: "rar-fyn", need: "recruitment", status: "delivered", count: 2 },
      { period: "2026-W48", consortiumId: "rar-fyn", need: "upskilling", status: "delivered", count: 1 },
      { period: "2026-W49", consortiumId: "manual", need: "none", status: "manual_triage", count: 1 },
      { period: "2026-W49", consortiumId: "rar-bornholm", need: "growth", status: "delivered", count: 1 },
    ]);
    expect(r.totals).toEqual({
      cases: 5,
      byNeed: { growth: 1, recruitment: 3, upskilling: 1, none: 1 },
      byConsortium: { "rar-fyn": 3, "rar-bornholm": 1, manual: 1 },
      byStatus: { delivered: 3, claimed: 1, manual_triage: 1 },
    });
    // By day, the same cases spread over three days; by month, one period.
    expect(new Set(aggregate(cases, "day").rows.map((x) => x.period))).toEqual(
      new Set(["2026-11-23", "2026-11-24", "2026-11-30"]),
    );
    expect(new Set(aggregate(cases, "month").rows.map((x) => x.period))).toEqual(new Set(["2026-11"]));
  });

  it("the same answer whatever the order of the cases; a need listed twice counts once", () => {
    const cases = [
      aCase({ receivedAt: "2026-11-23T08:00:00.000Z", needs: ["growth", "growth"] }),
      aCase({ receivedAt: "2026-10-01T08:00:00.000Z", needs: ["upskilling"], consortiumId: "rar-sjaelland" }),
      aCase({ receivedAt: "2026-11-02T08:00:00.000Z", needs: ["recruitment"] }),
    ];
    const a = aggregate(cases, "month");
    expect(aggregate([...cases].reverse(), "month")).toEqual(a);
    expect(a.totals.byNeed.growth).toBe(1);
    expect(a.rows.map((x) => x.period)).toEqual(["2026-10", "2026-11", "2026-11"]);
  });

  it("medians from received to the FIRST claim and to closed, odd and even counts, overall and per consortium", () => {
    const t = "2026-11-23T08:00:00.000Z";
    const cases = [
      aCase({ receivedAt: t, claimAfter: [1, 30], closeAfter: 48, status: "closed", outcome: "recruited" }),
      aCase({ receivedAt: t, claimAfter: [2] }),
      aCase({ receivedAt: t, claimAfter: [10] }),
      aCase({ receivedAt: t }), // never claimed: not in the median
      aCase({
        receivedAt: t,
        consortiumId: "rar-bornholm",
        claimAfter: [4],
        closeAfter: 24,
        status: "closed",
      }),
      aCase({
        receivedAt: t,
        consortiumId: "rar-bornholm",
        claimAfter: [0.5],
        // closedAt wins over the timeline's entry
        closeAfter: 99,
        closedAt: hoursAfter(t, 12),
        status: "closed",
      }),
    ];
    const r = aggregate(cases, "week");
    // fyn: 1, 2, 10 → 2 (odd); bornholm: 0.5, 4 → 2.25 (even); all: 0.5, 1, 2, 4, 10 → 2
    expect(r.medians.byConsortium["rar-fyn"]).toEqual({
      receivedToClaimedHours: 2,
      receivedToClosedHours: 48,
      claimedCases: 3,
      closedCases: 1,
    });
    expect(r.medians.byConsortium["rar-bornholm"]).toEqual({
      receivedToClaimedHours: 2.25,
      receivedToClosedHours: 18, // 12 and 24
      claimedCases: 2,
      closedCases: 2,
    });
    expect(r.medians.overall).toEqual({
      receivedToClaimedHours: 2,
      receivedToClosedHours: 24, // 12, 24, 48
      claimedCases: 5,
      closedCases: 3,
    });
    expect(aggregate([aCase({ receivedAt: t })], "week").medians.overall).toEqual({
      receivedToClaimedHours: null,
      receivedToClosedHours: null,
      claimedCases: 0,
      closedCases: 0,
    });
  });

  it("median: middle value, mean of the two middles, null when empty, rounded to 2 decimals", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
    expect(median([1 / 3])).toBe(0.33);
  });

  it("outcomes overall and per consortium, every known outcome present", () => {
    const t = "2026-11-23T08:00:00.000Z";
    const closed = { status: "closed" as const, closeAfter: 5 };
    const r = aggregate(
      [
        aCase({ receivedAt: t, ...closed, outcome: "recruited" }),
        aCase({ receivedAt: t, ...closed, outcome: "recruited" }),
        aCase({ receivedAt: t, ...closed, outcome: "referred", consortiumId: "rar-bornholm" }),
        aCase({ receivedAt: t }),
      ],
      "week",
    );
    expect(r.outcomes.overall).toEqual({
      recruited: 2,
      upskilling_started: 0,
      growth_programme: 0,
      referred: 1,
      no_action: 0,
    });
    expect(r.outcomes.byConsortium["rar-fyn"]?.recruited).toBe(2);
    expect(r.outcomes.byConsortium["rar-fyn"]?.referred).toBe(0);
    expect(r.outcomes.byConsortium["rar-bornholm"]?.referred).toBe(1);
  });

  it("takes whole case records", () => {
    expectTypeOf<CaseRecord>().toExtend<StatsCase>();
    expect(aggregate([], "week")).toMatchObject({ rows: [], totals: { cases: 0 } });
  });
});

describe("toCsv", () => {
  it("one header line and one line per row, CRLF, RFC 4180 quoting", () => {
    const csv = toCsv({
      rows: [
        { period: "2026-W48", consortiumId: "rar-fyn", need: "growth", status: "closed", count: 3 },
        { period: "2026-W48", consortiumId: 'a,"b"\nc', need: "none", status: "manual_triage", count: 1 },
      ],
    });
    expect(csv).toBe(
      "period,consortiumId,need,status,count\r\n" +
        "2026-W48,rar-fyn,growth,closed,3\r\n" +
        '2026-W48,"a,""b""\nc",none,manual_triage,1\r\n',
    );
    expect(toCsv({ rows: [] })).toBe("period,consortiumId,need,status,count\r\n");
  });
});

describe("the query", () => {
  const problems = (input: Record<string, string>) => {
    try {
      parseStatsQuery(input, "2026-11-23");
    } catch (err) {
      if (err instanceof AppError) return { code: err.code, paths: err.fields.map((f) => f.path) };
      throw err;
    }
    return undefined;
  };

  it("defaults to the last 12 weeks by week", () => {
    expect(parseStatsQuery({}, "2026-11-23")).toEqual({
      from: "2026-09-01",
      to: "2026-11-23",
      groupBy: "week",
    });
    expect(parseStatsQuery({ to: "2026-01-31", groupBy: "month", from: "" }, "2026-11-23")).toEqual({
      from: "2025-11-09",
      to: "2026-01-31",
      groupBy: "month",
    });
    expect(
      parseStatsQuery({ from: "2025-01-01", to: "2025-12-31", groupBy: "day", format: "csv" }, "x"),
    ).toEqual({ from: "2025-01-01", to: "2025-12-31", groupBy: "day", format: "csv" });
    expect(parseStatsQuery({ from: "2024-01-01", to: "2024-12-31" }, "x").to).toBe("2024-12-31"); // 366 days
  });

  it("refuses bad dates, from after to, more than 366 days, an unknown groupBy or parameter: 400 with the field", () => {
    expect(problems({ from: "2026-02-30" })).toEqual({ code: "validation_failed", paths: ["from"] });
    expect(problems({ to: "23-11-2026" })).toEqual({ code: "validation_failed", paths: ["to"] });
    expect(problems({ from: "2026-11-24", to: "2026-11-23" })).toEqual({
      code: "validation_failed",
      paths: ["from"],
    });
    expect(problems({ from: "2025-01-01", to: "2026-01-02" })?.paths).toEqual(["to"]);
    expect(problems({ groupBy: "year" })?.paths).toEqual(["groupBy"]);
    expect(problems({ limit: "5" })?.paths).toEqual(["limit"]);
  });
});

describe("reading the byDay index", () => {
  it("queries each day once (a few at a time), follows every page, and asks only for what the index holds", async () => {
    const asked: string[] = [];
    let inFlight = 0;
    let most = 0;
    const db = {
      send: async (cmd: QueryCommand) => {
        const input = cmd.input;
        const dayKey = String(Object.values(input.ExpressionAttributeValues ?? {})[0]); // the one key value
        asked.push(`${dayKey}${input.ExclusiveStartKey ? "+" : ""}`);
        expect(input.IndexName).toBe("byDay");
        const names = input.ExpressionAttributeNames ?? {};
        const asksFor = (input.ProjectionExpression ?? "").split(/,\s*/).map((n) => names[n] ?? n);
        expect(asksFor.length).toBeGreaterThan(0);
        for (const attribute of asksFor) expect(TABLE.indexes.byDay.projection).toContain(attribute);
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        const receivedAt = `${dayKey.slice(9)}T10:00:00.000Z`;
        const item = (n: number) => ({
          reference: `${dayKey}-${n}`,
          status: "claimed",
          receivedAt,
          needs: ["growth"],
          firstClaimedAt: hoursAfter(receivedAt, 2),
        });
        // The first day has two pages.
        if (dayKey === "RECEIVED#2026-11-01" && !input.ExclusiveStartKey)
          return { Items: [item(1)], LastEvaluatedKey: { pk: "x" } };
        return { Items: [item(2)] };
      },
    } as unknown as DynamoDBDocumentClient;
    const cases = await casesReceivedBetween({ db, tableName: "t" }, "2026-11-01", "2026-11-20", 4);
    expect(asked.filter((a) => a.endsWith("+"))).toEqual(["RECEIVED#2026-11-01+"]);
    expect(asked.filter((a) => !a.endsWith("+"))).toHaveLength(20);
    expect(most).toBe(4);
    expect(cases).toHaveLength(21);
    expect(cases.map((c) => c.reference).slice(0, 3)).toEqual([
      "RECEIVED#2026-11-01-1",
      "RECEIVED#2026-11-01-2",
      "RECEIVED#2026-11-02-2",
    ]);
    expect(cases[0]?.firstClaimedAt).toBe("2026-11-01T12:00:00.000Z");
    expect(aggregate(cases, "week").medians.overall.receivedToClaimedHours).toBe(2);
  });
});
