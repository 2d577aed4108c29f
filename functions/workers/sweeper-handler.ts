import middy from "@middy/core";
import type { Context, ScheduledEvent } from "aws-lambda";
import type { AppContext } from "#functions/commons/context.ts";
import { sweep } from "#shared/workflow.ts";

/** Scheduled (every minute on AWS, on an interval locally): re-send cases stuck before their inbox. */
export function createSweeperHandler(ctx: AppContext) {
  return middy<ScheduledEvent | Record<string, never>, { resent: number }, Error, Context>().handler(
    async () => {
      const { resent } = await sweep(ctx, ctx.config.SWEEP_AFTER_SECONDS);
      return { resent: resent.length };
    },
  );
}
