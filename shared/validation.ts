import type * as z from "zod/mini";
import { type FieldProblem, validationFailed } from "#shared/errors.ts";

/** zod issues → the `fields` of a 400 answer: a dotted path and a message per problem. */
export function fieldProblems(error: z.core.$ZodError): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const base = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      // One problem per unknown key, each with its own path.
      return issue.keys.map((key) => ({
        path: base ? `${base}.${key}` : key,
        message: "is not a known field",
      }));
    }
    return [{ path: base, message: issue.message }];
  });
}

/** The input as the schema reads it, or a 400 (`validation_failed`) naming every bad field. */
export function parseBody<T extends z.ZodMiniType>(schema: T, input: unknown, message?: string): z.output<T> {
  const r = schema.safeParse(input);
  if (!r.success) throw validationFailed(fieldProblems(r.error), message);
  return r.data;
}
