import { defaultContext } from "./commons/context.ts";
import { createSweeperHandler } from "./workers/sweeper-handler.ts";

/** Scheduled (every minute on AWS, on an interval locally): re-send cases stuck before their inbox. */
export const handler = createSweeperHandler(defaultContext());
