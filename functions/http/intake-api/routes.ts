import { Hono, type MiddlewareHandler } from "hono";
import { jsonBody } from "#functions/http/commons/json-body.ts";
import { statusUrl } from "#functions/http/status/link.ts";
import { AppError } from "#shared/errors.ts";
import { type IntakeDeps, submitRequest } from "#shared/intake/service.ts";

export interface IntakeApiDeps extends IntakeDeps {
  config: { PUBLIC_BASE_URL: string };
  /** The rate and body limits every intake route shares (one count per client, form and API). */
  limits: { perClient: MiddlewareHandler; body: MiddlewareHandler };
}

/** `POST /api/requests`: the JSON intake API, answered 202 with the reference and the status link. */
export function intakeApi(deps: IntakeApiDeps) {
  const app = new Hono();
  app.post("/", deps.limits.perClient, deps.limits.body, async (c) => {
    const type = c.req.header("content-type") ?? "";
    if (!/^application\/json\s*(;|$)/i.test(type)) {
      throw new AppError("unsupported_media_type", "Send the request as application/json");
    }
    const body = await jsonBody(c);
    const key = c.req.header("idempotency-key");
    if (key !== undefined && (key.length === 0 || key.length > 200)) {
      throw new AppError("validation_failed", "Idempotency-Key must be 1 to 200 characters", [
        { path: "Idempotency-Key", message: "must be 1 to 200 characters" },
      ]);
    }
    const accepted = await submitRequest(deps, body, key);
    return c.json(
      {
        reference: accepted.reference,
        statusUrl: statusUrl(deps.config.PUBLIC_BASE_URL, accepted.reference, accepted.statusToken),
      },
      202,
    );
  });
  return app;
}
