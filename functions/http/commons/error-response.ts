import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { AppError, type ErrorBody, HTTP_STATUS } from "#shared/errors.ts";
import type { Log } from "#shared/log.ts";

/** A browser asking for a page (an API client or a script asks for JSON): it gets error pages. */
export const prefersHtml = (c: Context) => (c.req.header("accept") ?? "").includes("text/html");

/** The one place where errors become HTTP answers. Internal errors are logged, never shown. */
export function errorResponse(err: unknown, c: Context, log: Log): Response {
  if (err instanceof AppError) {
    const body: ErrorBody = { error: { code: err.code, message: err.message, fields: err.fields } };
    return c.json(body, HTTP_STATUS[err.code]);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const code =
      status === 413
        ? "payload_too_large"
        : status === 404
          ? "not_found"
          : status === 403
            ? "forbidden"
            : "bad_request";
    const body: ErrorBody = { error: { code, message: err.message || "Bad request", fields: [] } };
    return c.json(body, status);
  }
  log.error("unhandled error", { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  const body: ErrorBody = {
    error: { code: "internal", message: "Something went wrong on our side", fields: [] },
  };
  return c.json(body, 500);
}
