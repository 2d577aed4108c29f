import middy from "@middy/core";
import type { Context, ScheduledEvent } from "aws-lambda";
import type { AppContext } from "#functions/commons/context.ts";
import { attend, sweep } from "#shared/workflow.ts";

/**
 * Scheduled (every minute on AWS, on an interval locally): re-send cases stuck before their inbox,
 * then queue the notices that delivered cases are due (a company's reply, an overdue target).
 */
export function createSweeperHandler(ctx: AppContext) {
  return middy<
    ScheduledEvent | Record<string, never>,
    { resent: number; notices: number },
    Error,
    Context
  >().handler(async () => {
    const { resent } = await sweep(ctx, ctx.config.SWEEP_AFTER_SECONDS);
    const { notices } = await attend(ctx);
    return { resent: resent.length, notices: notices.length };
  });
}
