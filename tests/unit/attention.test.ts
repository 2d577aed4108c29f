import { describe, expect, it } from "vitest";
import { attentionOf } from "#shared/cases/attention.ts";
import type { CaseRecord } from "#shared/cases/model.ts";
import { DEFAULT_TARGETS } from "#shared/cases/response-times.ts";

// Wed 13 May 2026; Thu 14 May is Kristi himmelfartsdag: first contact overdue from Tue 19 May 00:00
// in Copenhagen (22:00 UTC on the 18th); closing (20 working days) from Tue 16 June.
const c = {
  reference: "IND-TEST",
  status: "delivered",
  consortiumId: "rar-fyn",
  receivedAt: "2026-05-13T08:00:00.000Z",
} as CaseRecord;
const at = (x: Partial<CaseRecord>, now: string) => attentionOf({ ...c, ...x }, DEFAULT_TARGETS, now);

describe("attentionOf", () => {
  it("schedules the first-contact due time, alerts once it passes, then watches the closing target", () => {
    expect(at({}, "2026-05-13T09:00:00.000Z")).toEqual({ notices: [], next: "2026-05-18T22:00:00.000Z" });
    expect(at({}, "2026-05-18T22:00:00.000Z")).toEqual({
      notices: [{ kind: "overdue_first_contact", id: "overdue_first_contact" }],
      next: "2026-06-15T22:00:00.000Z",
    });
    // Alerted already, or contacted in time: only the closing target is left.
    const alerted = at({ firstContactAlertedAt: "2026-05-18T22:00:00.000Z" }, "2026-05-20T00:00:00.000Z");
    expect(alerted).toEqual({ notices: [], next: "2026-06-15T22:00:00.000Z" });
    expect(at({ firstContactAt: "2026-05-15T10:00:00.000Z" }, "2026-05-20T00:00:00.000Z").notices).toEqual(
      [],
    );
    expect(
      at({ firstContactAt: "2026-05-15T10:00:00.000Z" }, "2026-06-16T08:00:00.000Z").notices.map(
        (n) => n.kind,
      ),
    ).toEqual(["overdue_close"]);
    // Both alerted: nothing left to watch.
    expect(
      at(
        { firstContactAt: "2026-05-15T10:00:00.000Z", closeAlertedAt: "2026-06-16T00:00:00.000Z" },
        "2026-06-20T00:00:00.000Z",
      ),
    ).toEqual({ notices: [], next: null });
  });

  it("tells of each company reply once, and watches nothing on a closed, manual or undelivered case", () => {
    const reply = { newReplyAt: "2026-05-14T10:00:00.000Z" };
    expect(at(reply, "2026-05-14T10:00:01.000Z").notices).toEqual([
      { kind: "reply", id: "reply/2026-05-14T10:00:00.000Z" },
    ]);
    expect(at({ ...reply, replyNotifiedFor: reply.newReplyAt }, "2026-05-14T10:00:01.000Z").notices).toEqual(
      [],
    );
    for (const status of ["closed", "manual_triage", "routed"] as const)
      expect(at({ ...reply, status }, "2026-06-20T00:00:00.000Z")).toEqual({ notices: [], next: null });
  });
});
