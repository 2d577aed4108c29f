import middy from "@middy/core";
import sqsPartialBatchFailure from "@middy/sqs-partial-batch-failure";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import {
  eachCaseMessage,
  logFailedRecord,
  type RecordOutcomes,
  recordErrorsOnCases,
  referencesOf,
} from "#functions/commons/batch.ts";
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
  // The response is the records' outcomes until sqsPartialBatchFailure makes it the batch response;
  // middy runs the `after`s in reverse, so the errors are on their cases before it reports them.
  return middy<SQSEvent, RecordOutcomes | SQSBatchResponse, Error, Context>()
    .use(sqsPartialBatchFailure({ logger: logFailedRecord(ctx.log) }))
    .use(recordErrorsOnCases(ctx))
    .handler<SQSEvent, SQSBatchResponse>(async (event) => {
      const read = await ctx.cases.getMany(referencesOf(event)).catch((err: unknown) => {
        ctx.log.warn("triage: batch read failed; each message reads its own case", { error: String(err) });
        return new Map<string, CaseRecord>();
      });
      return eachCaseMessage(event, (message) =>
        triageCase(deps, message.reference, read.get(message.reference)),
      );
    });
}
