import * as z from "zod/mini";
import "#shared/zod.ts";
import {
  copenhagenDay,
  type Due,
  dueAfter,
  dueState,
  nextDay,
  startOfCopenhagenDay,
  workingDaysAfter,
} from "#shared/calendar/working-days.ts";

/**
 * Response-time targets: a consortium answers a company within N working days of its request (first
 * contact: the first message to the company, or a contact a consultant records — a call, a meeting)
 * and closes the case within M. Working days by the Danish calendar (shared/calendar/).
 */
export const ResponseTargetsSchema = z.strictObject({
  firstContactWorkingDays: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(30)), 2),
  closeWorkingDays: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(250)), 20),
});
export type ResponseTargets = z.infer<typeof ResponseTargetsSchema>;
export const DEFAULT_TARGETS: ResponseTargets = { firstContactWorkingDays: 2, closeWorkingDays: 20 };

/** One target on one case: when it is due, and where it stands (met, with when; or not yet). */
export interface TargetState {
  due: Due;
  state: "met" | "missed" | "overdue" | "due_today" | "on_time";
  /** When it was met (first contact made, case closed). */
  metAt?: string;
}

export interface CaseDues {
  firstContact: TargetState;
  close: TargetState;
}

/** What of a case its targets depend on. */
export interface TimedCase {
  receivedAt: string;
  firstContactAt?: string | undefined;
  closedAt?: string | undefined;
}

function target(due: Due, metAt: string | undefined, now: string): TargetState {
  if (metAt) return { due, state: metAt < due.overdueFrom ? "met" : "missed", metAt };
  return { due, state: dueState(due, now) };
}

/** Both targets of a case at `now`. */
export function caseDues(c: TimedCase, targets: ResponseTargets, now: string): CaseDues {
  return {
    firstContact: target(dueAfter(c.receivedAt, targets.firstContactWorkingDays), c.firstContactAt, now),
    close: target(dueAfter(c.receivedAt, targets.closeWorkingDays), c.closedAt, now),
  };
}

/**
 * The instant before which a request received is overdue at `now` for a target of `n` working days:
 * the start of the day after the latest receipt day whose due day has passed. Due days grow with
 * the receipt day, so "overdue" is one range of the inbox index (receivedAt below this), not a scan.
 */
export function overdueBefore(now: string, n: number): string {
  const today = copenhagenDay(now);
  // The latest receipt day whose nth working day is before today: walk back from today.
  let day = today;
  while (workingDaysAfter(startOfCopenhagenDay(day), n) >= today) day = nextDay(day, -1);
  return startOfCopenhagenDay(nextDay(day)).toISOString();
}
