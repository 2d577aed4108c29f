import type { AdminMessages } from "#functions/http/i18n/admin-messages.ts";
import { AppError } from "#shared/errors.ts";

/** A document typed into an admin form: parsed, or a 400 that says so in the reader's language. */
export function parseJsonField(m: AdminMessages, text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("validation_failed", m.notJson, [{ path, message: m.notJsonField }]);
  }
}
