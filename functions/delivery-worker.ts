import { defaultContext } from "./commons/context.ts";
import { createDeliveryHandler } from "./workers/delivery-handler.ts";

/** Consortium and manual-triage queue consumer: place each case in its inbox (status delivered). */
export const handler = createDeliveryHandler(defaultContext());
