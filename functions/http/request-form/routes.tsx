import { Hono, type MiddlewareHandler } from "hono";
import { csrf } from "hono/csrf";
import { formBody } from "#functions/http/commons/form-body.ts";
import { type PageEnv, pageState } from "#functions/http/commons/page-state.ts";
import { type PublicMessages, publicMessages } from "#functions/http/i18n/public-messages.ts";
import { AppError } from "#shared/errors.ts";
import { type IntakeDeps, submitRequest } from "#shared/intake/service.ts";
import type { ConsortiumDirectory } from "#shared/reference/consortium-directory.ts";
import { formErrors, formToPayload, HONEYPOT_FIELD } from "./form-payload.ts";
import { RequestForm } from "./page.tsx";

export interface RequestFormDeps extends IntakeDeps {
  config: { PUBLIC_BASE_URL: string; ACCESSIBILITY_STATEMENT_URL?: string };
  /** The consortia: the form promises first contact within the longest of their targets. */
  consortia: () => Promise<ConsortiumDirectory>;
  /** The rate and body limits every intake route shares (one count per client, form and API). */
  limits: { perClient: MiddlewareHandler; body: MiddlewareHandler };
}

/** The web form at `/`: shown, and posted back to itself. */
export function requestForm(deps: RequestFormDeps) {
  const app = new Hono<PageEnv<PublicMessages>>();
  const publicOrigin = new URL(deps.config.PUBLIC_BASE_URL).origin;
  const page = pageState(publicMessages);

  // Before the municipality is chosen the consortium is not known: the promise holds for every one.
  const shown = async () => ({
    firstContactDays: Math.max(
      ...(await deps.consortia()).consortia.map((c) => c.targets.firstContactWorkingDays),
    ),
    accessibilityUrl: deps.config.ACCESSIBILITY_STATEMENT_URL,
  });
  app.get("/", page, async (c) =>
    c.html(<RequestForm {...c.var.page} {...(await shown())} values={{}} errors={new Map()} />),
  );

  // The form posts here. Same validation as the API; errors are shown next to their fields.
  app.post(
    "/",
    deps.limits.perClient,
    deps.limits.body,
    csrf({ origin: (origin, c) => origin === publicOrigin || origin === new URL(c.req.url).origin }),
    page,
    async (c) => {
      const { lang, m } = c.var.page;
      const form = await formBody(c, { all: true });
      if (String(form[HONEYPOT_FIELD] ?? "") !== "") {
        // A bot filled the hidden field: answer as if all went well, store nothing.
        deps.log.info("honeypot triggered: request dropped");
        return c.redirect(`/?lang=${lang}`, 303);
      }
      try {
        const accepted = await submitRequest(deps, formToPayload(form));
        return c.redirect(
          `/status/${accepted.reference}?token=${encodeURIComponent(accepted.statusToken)}&submitted=1&lang=${lang}`,
          303,
        );
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== "validation_failed") throw err;
        return c.html(
          <RequestForm
            {...c.var.page}
            {...(await shown())}
            values={form}
            errors={formErrors(err.fields, m)}
          />,
          400,
        );
      }
    },
  );
  return app;
}
