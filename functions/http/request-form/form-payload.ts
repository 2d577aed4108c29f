import type { FormValues } from "#functions/http/commons/form-body.ts";
import type { PublicMessages } from "#functions/http/i18n/public-messages.ts";
import type { FieldProblem } from "#shared/errors.ts";

export const HONEYPOT_FIELD = "website";

/** Form fields → the JSON payload of `POST /api/requests` (still unvalidated). */
export function formToPayload(form: FormValues): unknown {
  const one = (name: string): string | undefined => {
    const v = form[name];
    const s = (Array.isArray(v) ? v[0] : v)?.trim();
    return s ? s : undefined;
  };
  const many = (name: string): string[] => {
    const v = form[name];
    return (Array.isArray(v) ? v : v ? [v] : []).filter((s) => s.trim() !== "");
  };
  const employees = one("company.employees");
  return {
    company: {
      cvr: one("company.cvr"),
      name: one("company.name"),
      municipalityCode: one("company.municipalityCode"),
      // A number when it is one; otherwise the text, so that validation names the field.
      employees:
        employees === undefined ? undefined : /^\d+$/.test(employees) ? Number(employees) : employees,
      industry: one("company.industry"),
    },
    contact: {
      name: one("contact.name"),
      email: one("contact.email"),
      phone: one("contact.phone"),
      language: one("contact.language"),
    },
    request: {
      description: one("request.description"),
      needHints: many("request.needHints"),
      timeframe: one("request.timeframe"),
    },
    consent: one("consent") === "true",
  };
}

/** The messages that are one text (not a table of names). */
type Text = {
  [K in keyof PublicMessages]: PublicMessages[K] extends string ? K : never;
}[keyof PublicMessages];

const FIELD_MESSAGES: Record<string, Text> = {
  "company.cvr": "err_cvr",
  "company.name": "err_companyName",
  "company.municipalityCode": "err_municipality",
  "company.employees": "err_employees",
  "contact.name": "err_contactName",
  "contact.email": "err_email",
  "contact.phone": "err_phone",
  "request.description": "err_description",
  consent: "err_consent",
};

/** The label of each form field, for a generic message in the user's language. */
const FIELD_LABELS: Record<string, Text> = {
  "company.cvr": "cvr",
  "company.name": "companyName",
  "company.municipalityCode": "municipality",
  "company.employees": "employees",
  "company.industry": "industry",
  "contact.name": "contactName",
  "contact.email": "email",
  "contact.phone": "phone",
  "contact.language": "language",
  "request.description": "description",
  "request.needHints": "needHints",
  "request.timeframe": "timeframe",
  consent: "consent",
};

/** One plain-language message per field with a problem, in the user's language. */
export function formErrors(fields: FieldProblem[], m: PublicMessages): Map<string, string> {
  const errors = new Map<string, string>();
  for (const f of fields) {
    // "request.needHints.0" is the needHints field: errors attach to what the form shows.
    const field = Object.keys(FIELD_LABELS).find((name) => f.path === name || f.path.startsWith(`${name}.`));
    const path = field ?? f.path;
    const key = FIELD_MESSAGES[path];
    const labelKey = FIELD_LABELS[path];
    if (!errors.has(path))
      errors.set(path, key ? m[key] : labelKey ? `${m.errorGeneric}: ${m[labelKey]}` : m.errorGeneric);
  }
  return errors;
}
