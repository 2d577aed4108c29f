import middy from "@middy/core";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { deliverCase } from "../../shared/workflow.ts";
import { caseBatch } from "../commons/batch.ts";
import type { AppContext } from "../commons/context.ts";

/** Consortium and manual-triage queue consumer: place each case in its inbox (status delivered). */
export function createDeliveryHandler(ctx: AppContext) {
  return middy<SQSEvent, SQSBatchResponse, Error, Context>().handler(
    caseBatch((message) => deliverCase(ctx, message.reference, message.consortiumId ?? null), ctx),
  );
}
