import { Hono } from "hono";
import { csrf } from "hono/csrf";
import * as z from "zod/mini";
import { bodyLimitKb } from "#functions/http/commons/body-limit.ts";
import { formBody } from "#functions/http/commons/form-body.ts";
import { Layout } from "#functions/http/commons/layout.tsx";
import { type Page, pageOf } from "#functions/http/commons/page-state.ts";
import { type InboxMessages, inboxMessages } from "#functions/http/i18n/inbox-messages.ts";
import { setSession } from "#functions/http/sign-in/routes.ts";
import type { Env } from "#functions/http/staff-env.ts";
import { type Principal, PrincipalSchema } from "#shared/principal.ts";
import type { Consortium } from "#shared/reference/consortia.ts";
import type { ConsortiumDirectory } from "#shared/reference/consortium-directory.ts";
import { parseBody } from "#shared/validation.ts";
import "#shared/zod.ts";

/** Paths only the local stack serves (the embedded service dispatches them to the staff app too). */
export const DEV_PATH_PREFIXES = ["/api/dev"];

export interface DevSignInDeps {
  /** Issues a dev token for a principal (local/dev-auth.ts). */
  devTokens: (p: Principal) => Promise<string>;
  consortia: () => Promise<ConsortiumDirectory>;
}

/**
 * The local stack's sign-in, mounted into the staff app by local/embedded-service.ts (never on AWS,
 * where Cognito's hosted UI signs staff in): `POST /api/dev/token` for API clients and tests, and the
 * page `GET/POST /signin` where one picks a role, a consortium and a name.
 */
export function devSignIn(deps: DevSignInDeps) {
  const app = new Hono<Env>();
  // Its own limit: a middleware on this app would, mounted at /, hold every staff route to 64 KB.
  app.post("/api/dev/token", bodyLimitKb(64), async (c) => {
    const body = parseBody(DevTokenSchema, await c.req.json().catch(() => undefined));
    return c.json({ token: await deps.devTokens(devPrincipal(body)) });
  });

  app.get("/signin", async (c) => {
    const dir = await deps.consortia();
    return c.html(<SignInPage {...pageOf(c, inboxMessages)} consortia={dir.consortia} />);
  });

  // Login CSRF: a cross-site page must not sign a visitor in as someone else, so this post is checked
  // (Origin / Sec-Fetch-Site) even though it carries no session cookie yet.
  app.post("/signin", csrf(), async (c) => {
    const form = await formBody(c);
    const body = parseBody(DevTokenSchema, {
      role: form.role,
      ...(form.consortiumId && form.role === "consultant" ? { consortiumId: form.consortiumId } : {}),
      ...(form.name ? { name: form.name } : {}),
      ...(form.email && form.role === "consultant" ? { email: form.email } : {}),
    });
    setSession(c, await deps.devTokens(devPrincipal(body)));
    return c.redirect("/inbox", 303);
  });
  return app;
}

function SignInPage(p: Page<InboxMessages> & { consortia: readonly Consortium[] }) {
  const { m } = p;
  return (
    <Layout lang={p.lang} m={m} title={m.signInTitle} path={p.path}>
      <h1>{m.signInTitle}</h1>
      <p>{m.signInLocal}</p>
      <form method="post" action="/signin">
        <fieldset class="inline">
          <legend>{m.role}</legend>
          <label class="choice">
            <input type="radio" name="role" value="consultant" checked />
            {m.roleNames.consultant}
          </label>
          <label class="choice">
            <input type="radio" name="role" value="admin" />
            {m.roleNames.admin}
          </label>
        </fieldset>
        <div class="field">
          <label for="f-consortium">{m.consortium}</label>
          <select id="f-consortium" name="consortiumId">
            {p.consortia.map((c) => (
              <option value={c.id}>{c.name}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-name">{m.yourName}</label>
          <input id="f-name" name="name" type="text" maxlength={100} autocomplete="name" />
        </div>
        <div class="field">
          <label for="f-email">{m.yourEmail}</label>
          <p class="help" id="f-email-help">
            {m.yourEmailHelp}
          </p>
          <input
            id="f-email"
            name="email"
            type="email"
            maxlength={254}
            autocomplete="email"
            aria-describedby="f-email-help"
          />
        </div>
        <button type="submit">{m.signIn}</button>
      </form>
    </Layout>
  );
}

const DevTokenSchema = z.discriminatedUnion("role", [
  z.strictObject({
    role: z.literal("admin"),
    name: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  }),
  z.strictObject({
    role: z.literal("consultant"),
    consortiumId: z.string().check(z.minLength(1), z.maxLength(60)),
    name: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
    /** As listed among the consortium's consultants: cases given to that address are "mine". */
    email: z.optional(z.email()),
  }),
]);

function devPrincipal(b: z.infer<typeof DevTokenSchema>): Principal {
  return b.role === "admin"
    ? PrincipalSchema.parse({ sub: `dev-admin`, name: b.name ?? "Admin (dev)", role: "admin" })
    : PrincipalSchema.parse({
        sub: `dev-${b.consortiumId}-${(b.name ?? "consultant").toLowerCase().replace(/[^a-z0-9]+/g, "-")}`,
        name: b.name ?? `Konsulent ${b.consortiumId}`,
        role: "consultant",
        consortiumId: b.consortiumId,
        ...(b.email ? { email: b.email.toLowerCase() } : {}),
      });
}
