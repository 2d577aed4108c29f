import type { Context } from "hono";
import { validationFailed } from "#shared/errors.ts";

/** A posted form's fields by name (the request form's names are the API's dotted paths). */
export type FormValues = Record<string, string | string[]>;

/**
 * The posted form's fields; with `all`, a repeated field (checkboxes) as an array of its values.
 * No form here has a file field: a multipart post that carries a file anyway is refused (400, at the
 * field) before anything reads it, instead of reaching code that expects text.
 */
export async function formBody(c: Context, options: { all?: boolean } = {}): Promise<FormValues> {
  const body = await c.req.parseBody(options);
  const files = Object.entries(body)
    .filter(([, v]) => (Array.isArray(v) ? v : [v]).some((x) => typeof x !== "string"))
    .map(([path]) => ({ path, message: "must be text, not a file" }));
  if (files.length) throw validationFailed(files, "Files are not accepted here");
  return body as FormValues;
}
