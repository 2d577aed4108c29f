import middy from "@middy/core";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { CompiledRuleSet } from "../../shared/rules/engine.ts";
import { RuleSetProvider } from "../../shared/rules/provider.ts";
import { triageCase } from "../../shared/workflow.ts";
import { caseBatch } from "../commons/batch.ts";
import type { AppContext } from "../commons/context.ts";

/**
 * Intake queue consumer: classify each case with the active rules (read from the table, cached for
 * RULES_CACHE_SECONDS) and send it to its inbox's queue.
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
  return middy<SQSEvent, SQSBatchResponse, Error, Context>().handler(
    caseBatch((message) => triageCase(deps, message.reference), ctx),
  );
}
