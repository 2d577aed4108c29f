import middy from "@middy/core";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { triageCase } from "../../shared/workflow.ts";
import { caseBatch } from "../commons/batch.ts";
import type { AppContext } from "../commons/context.ts";

/** Intake queue consumer: classify each case with the active rules and send it to its inbox's queue. */
export function createTriageHandler(ctx: AppContext) {
  return middy<SQSEvent, SQSBatchResponse, Error, Context>().handler(
    caseBatch((message) => triageCase(ctx, message.reference), ctx),
  );
}
