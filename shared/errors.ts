import * as z from "zod/mini";
import "./zod.ts";

/** One problem with one field of the input: a dotted path and a message. */
export interface FieldProblem {
  path: string;
  message: string;
}

/**
 * Domain errors. Code anywhere throws these; one place (functions/http/errors.ts) maps them to HTTP.
 * Anything else that escapes is an internal error: logged, answered with 500 and no details.
 */
export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
    this.name = "AppError";
  }
}

export type AppErrorCode =
  | "validation_failed"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "unavailable";

export const HTTP_STATUS: Record<AppErrorCode, 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 503> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
};

export const validationFailed = (fields: FieldProblem[], message = "The request is not valid") =>
  new AppError("validation_failed", message, fields);
export const notFound = (message = "Not found") => new AppError("not_found", message);
export const conflict = (message: string) => new AppError("conflict", message);
export const unavailable = (message = "The service is briefly unavailable; please try again") =>
  new AppError("unavailable", message);

/** The body of every error answer. */
export const ErrorBodySchema = z
  .strictObject({
    error: z.strictObject({
      code: z.string(),
      message: z.string(),
      fields: z.array(z.strictObject({ path: z.string(), message: z.string() })),
    }),
  })
  .register(z.globalRegistry, { id: "Error" });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
