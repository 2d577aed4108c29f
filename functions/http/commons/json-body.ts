import type { Context } from "hono";
import { AppError } from "#shared/errors.ts";

/**
 * The request body as JSON, or a 400 that says it is not JSON. With `emptyAs`, an empty body stands
 * for that value (e.g. `{}` for actions whose body is optional).
 */
export async function jsonBody(c: Context, options: { emptyAs?: unknown } = {}): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "" && "emptyAs" in options) return options.emptyAs;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("validation_failed", "The body is not valid JSON", [
      { path: "", message: "invalid JSON" },
    ]);
  }
}
