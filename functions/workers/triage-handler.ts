import middy from "@middy/core";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { caseBatch, referencesOf } from "#functions/commons/batch.ts";
import type { AppContext } from "#functions/commons/context.ts";
import type { CaseRecord } from "#shared/cases/model.ts";
import { RuleSetProvider } from "#shared/rules/active-rules.ts";
import type { CompiledRuleSet } from "#shared/rules/engine.ts";
import { triageCase } from "#shared/workflow.ts";

/**
 * Intake queue consumer: classify each case with the active rules (read from the table, cached for
 * RULES_CACHE_SECONDS) and send it to its inbox's queue. The batch's cases are read with one
 * BatchGetItem; a case it did not return (erased, throttled, or the read failed) is read by its
 * own message, so the batch read only saves calls and never decides anything.
 */
export function createTriageHandler(
  ctx: AppContext,
  rules: () => Promise<CompiledRuleSet> = new RuleSetProvider(
    ctx.db,
    ctx.config.tableName,
    ctx.config.RULES_CACHE_SECONDS,
  ).active,
) {
  const deps = { ...ctx, rules };
  return middy<SQSEvent, SQSBatchResponse, Error, Context>().handler(async (event) => {
    const read = await ctx.cases.getMany(referencesOf(event)).catch((err: unknown) => {
      ctx.log.warn("triage: batch read failed; each message reads its own case", { error: String(err) });
      return new Map<string, CaseRecord>();
    });
    return caseBatch(
      (message) => triageCase(deps, message.reference, read.get(message.reference)),
      ctx,
    )(event);
  });
}
