import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dueAfter, dueState } from "#shared/calendar/working-days.ts";
import {
  caseDues,
  DEFAULT_TARGETS,
  overdueBefore,
  ResponseTargetsSchema,
} from "#shared/cases/response-times.ts";

describe("response-time targets", () => {
  it("defaults to first contact within 2 working days and closing within 20; refuses odd targets", () => {
    expect(ResponseTargetsSchema.parse({})).toEqual(DEFAULT_TARGETS);
    expect(ResponseTargetsSchema.safeParse({ firstContactWorkingDays: 0 }).success).toBe(false);
    expect(ResponseTargetsSchema.safeParse({ firstContactWorkingDays: 1.5 }).success).toBe(false);
  });

  it("a case's targets: due, due today, overdue; met or missed once done", () => {
    // Wed 13 May 2026 → Thu 14 is Kristi himmelfartsdag: first contact due Mon 18 May.
    const c = { receivedAt: "2026-05-13T08:00:00.000Z" };
    const at = (now: string) => caseDues(c, DEFAULT_TARGETS, now).firstContact;
    expect(at("2026-05-15T10:00:00Z")).toMatchObject({ due: { day: "2026-05-18" }, state: "on_time" });
    expect(at("2026-05-18T10:00:00Z").state).toBe("due_today");
    expect(at("2026-05-18T22:00:00Z").state).toBe("overdue"); // midnight in Copenhagen (summer time)
    const contacted = (firstContactAt: string) =>
      caseDues({ ...c, firstContactAt }, DEFAULT_TARGETS, "2026-06-01T10:00:00Z").firstContact;
    expect(contacted("2026-05-18T21:59:59Z")).toMatchObject({ state: "met", metAt: "2026-05-18T21:59:59Z" });
    expect(contacted("2026-05-19T06:00:00Z").state).toBe("missed");
    // 20 working days: Kristi himmelfartsdag, anden pinsedag and Grundlovsdag are not among them.
    expect(caseDues(c, DEFAULT_TARGETS, "2026-05-15T10:00:00Z").close.due.day).toBe("2026-06-15");
  });

  it("overdueBefore: a request is overdue exactly when it was received before the cutoff", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("2025-01-01T00:00:00Z"),
          max: new Date("2030-12-31T00:00:00Z"),
          noInvalidDate: true,
        }),
        fc.integer({ min: 0, max: 40 * 24 * 60 }),
        fc.integer({ min: 1, max: 10 }),
        (received, minutesLater, n) => {
          const now = new Date(received.getTime() + minutesLater * 60_000).toISOString();
          const overdue = dueState(dueAfter(received, n), now) === "overdue";
          expect(received.toISOString() < overdueBefore(now, n), `${received.toISOString()} at ${now}`).toBe(
            overdue,
          );
        },
      ),
      { numRuns: 3000 },
    );
  });
});
