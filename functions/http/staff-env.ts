import type { Principal } from "#shared/principal.ts";

/** Hono variables of the staff app: the authenticated principal, set by its auth middleware. */
export type Env = { Variables: { principal: Principal } };
