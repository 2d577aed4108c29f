import { defaultContext } from "./commons/context.ts";
import { createTriageHandler } from "./workers/triage.ts";

/** Intake queue consumer: classify each case with the active rules and send it to its inbox's queue. */
export const handler = createTriageHandler(defaultContext());
