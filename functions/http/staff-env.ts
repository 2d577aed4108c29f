import type { Hono } from "hono";
import type { HostedSignIn } from "#functions/commons/cognito.ts";
import type { AppContext } from "#functions/commons/context.ts";
import type { StaffPageEnv } from "#functions/http/commons/page-state.ts";
import type { AdminMessages } from "#functions/http/i18n/admin-messages.ts";
import type { MailSender } from "#shared/notify.ts";
import type { Principal, TokenVerifier } from "#shared/principal.ts";

/** An admin page's variables: the principal and its page state (set once for all admin pages). */
export type AdminPageEnv = StaffPageEnv<AdminMessages>;

/** Hono variables of the staff app: the authenticated principal, set by its auth middleware. */
export type Env = { Variables: { principal: Principal } };

/**
 * What the staff app and every route file it mounts are built from. Here, beside Env, so that no
 * route file imports back from the app that mounts it.
 */
export interface StaffAppDeps extends AppContext {
  verifier: TokenVerifier;
  /** Only on the embedded local stack: its dev sign-in routes (local/dev-sign-in.tsx), mounted at /. */
  devSignIn?: Hono<Env>;
  /** On AWS: browser sign-in through Cognito's hosted UI (authorization code with PKCE). */
  hostedSignIn?: HostedSignIn;
  /** Makes a new consortium's queue (and, locally, its poller); on AWS the stack provisions queues. */
  provisionConsortium?: (consortiumId: string) => Promise<void>;
  /** The companies' e-mail (SES, or the local outbox) and the key of their links: inbox/conversation.tsx. */
  mail?: MailSender | undefined;
  caseLinkSecret?: () => Promise<string | undefined>;
}

/** One admin feature: its JSON API (mounted under /api/admin/<name>) and its pages (under /admin/<name>). */
export interface AdminFeature {
  api: Hono<Env>;
  pages: Hono<AdminPageEnv>;
}
