import type { Context } from "hono";

/** A posted form's fields by name (the request form's names are the API's dotted paths). */
export type FormValues = Record<string, string | string[]>;

/** The posted form's fields; with `all`, a repeated field (checkboxes) as an array of its values. */
export async function formBody(c: Context, options: { all?: boolean } = {}): Promise<FormValues> {
  return (await c.req.parseBody(options)) as FormValues;
}
