import { defaultContext } from "./commons/context.ts";
import { createTriageHandler } from "./workers/triage-handler.ts";

/** Intake queue consumer: classify each case with the active rules and send it to its inbox's queue. */
export const handler = createTriageHandler(defaultContext());
