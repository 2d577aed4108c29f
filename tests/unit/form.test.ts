import { describe, expect, it } from "vitest";
import type { FormValues } from "#functions/http/commons/form-body.ts";
import { adminMessages } from "#functions/http/i18n/admin-messages.ts";
import { statusLabel } from "#functions/http/i18n/case-terms.ts";
import { inboxMessages } from "#functions/http/i18n/inbox-messages.ts";
import { formatDateTime } from "#functions/http/i18n/lang.ts";
import {
  needChoiceLabel,
  type PublicMessages,
  publicMessages,
  timeframeLabel,
} from "#functions/http/i18n/public-messages.ts";
import { formErrors, formToPayload, HONEYPOT_FIELD } from "#functions/http/request-form/form-payload.ts";
import type { CaseStatus } from "#shared/cases/model.ts";
import { AppError, type FieldProblem } from "#shared/errors.ts";
import { parseIntake } from "#shared/intake/request-schema.ts";

interface Payload {
  company: Record<string, unknown>;
  contact: Record<string, unknown>;
  request: Record<string, unknown>;
  consent: unknown;
}

function isPayload(x: unknown): x is Payload {
  if (typeof x !== "object" || x === null) return false;
  return ["company", "contact", "request"].every((k) => k in x && typeof Reflect.get(x, k) === "object");
}

/** formToPayload's result, typed for reading. */
function toPayload(form: FormValues): Payload {
  const out = formToPayload(form);
  if (!isPayload(out)) throw new Error("formToPayload did not return the payload shape");
  return out;
}

const FILLED: FormValues = {
  "company.cvr": " 11696422 ",
  "company.name": "  Café Nørrebro ApS ",
  "company.municipalityCode": "101",
  "company.employees": "14",
  "company.industry": " Restauration ",
  "contact.name": " Mette Hansen ",
  "contact.email": " mette@cafe.example.dk ",
  "contact.phone": " +45 12 34 56 78 ",
  "contact.language": "da",
  "request.description": "  Vi søger to kokke til fast ansættelse.  ",
  "request.needHints": ["recruitment", "upskilling"],
  "request.timeframe": "now",
  consent: "true",
};

/** The problems of a form as the intake validation reports them. */
function problemsOf(form: FormValues): FieldProblem[] {
  try {
    parseIntake(formToPayload(form));
  } catch (err) {
    if (err instanceof AppError) return err.fields;
    throw err;
  }
  return [];
}

describe("formToPayload", () => {
  it("trims every text field", () => {
    expect(formToPayload(FILLED)).toEqual({
      company: {
        cvr: "11696422",
        name: "Café Nørrebro ApS",
        municipalityCode: "101",
        employees: 14,
        industry: "Restauration",
      },
      contact: {
        name: "Mette Hansen",
        email: "mette@cafe.example.dk",
        phone: "+45 12 34 56 78",
        language: "da",
      },
      request: {
        description: "Vi søger to kokke til fast ansættelse.",
        needHints: ["recruitment", "upskilling"],
        timeframe: "now",
      },
      consent: true,
    });
  });

  it("a filled form is a valid payload", () => {
    expect(problemsOf(FILLED)).toEqual([]);
  });

  it("drops empty and blank optional fields (undefined, not an empty string)", () => {
    const p = toPayload({
      ...FILLED,
      "company.employees": "",
      "company.industry": "   ",
      "contact.phone": "",
      "request.timeframe": "",
    });
    expect(p.company.employees).toBeUndefined();
    expect(p.company.industry).toBeUndefined();
    expect(p.contact.phone).toBeUndefined();
    expect(p.request.timeframe).toBeUndefined();
    // ...so that the blank optional fields are no problem at all
    expect(
      problemsOf({ ...FILLED, "company.industry": " ", "contact.phone": "", "request.timeframe": "" }),
    ).toEqual([]);
  });

  it("a blank required field becomes missing, so validation says it is required", () => {
    const p = toPayload({ ...FILLED, "company.name": "   " });
    expect(p.company.name).toBeUndefined();
    expect(problemsOf({ ...FILLED, "company.name": "   " })).toEqual([
      { path: "company.name", message: "is required" },
    ]);
  });

  it("an empty form gives a payload with every field missing and no consent", () => {
    const p = toPayload({});
    expect(Object.values(p.company).every((v) => v === undefined)).toBe(true);
    expect(Object.values(p.contact).every((v) => v === undefined)).toBe(true);
    expect(p.request.description).toBeUndefined();
    expect(p.request.needHints).toEqual([]);
    expect(p.consent).toBe(false);
  });

  it.each([
    ["0", 0],
    ["14", 14],
    [" 250 ", 250],
    ["007", 7],
  ])("employees %j (digits) becomes the number %d", (input, expected) => {
    expect(toPayload({ ...FILLED, "company.employees": input }).company.employees).toBe(expected);
  });

  it.each(["12abc", "-3", "1.5", "ti", "1 000", "1e3"])(
    "employees %j (not only digits) stays text, and validation names the field",
    (input) => {
      expect(toPayload({ ...FILLED, "company.employees": input }).company.employees).toBe(input);
      expect(problemsOf({ ...FILLED, "company.employees": input }).map((p) => p.path)).toEqual([
        "company.employees",
      ]);
    },
  );

  it("needHints from a single value", () => {
    expect(toPayload({ ...FILLED, "request.needHints": "growth" }).request.needHints).toEqual(["growth"]);
  });

  it("needHints from several values, in order", () => {
    const p = toPayload({ ...FILLED, "request.needHints": ["growth", "recruitment", "upskilling"] });
    expect(p.request.needHints).toEqual(["growth", "recruitment", "upskilling"]);
  });

  it("needHints: empty values are dropped, none gives []", () => {
    expect(toPayload({ ...FILLED, "request.needHints": ["", "growth", " "] }).request.needHints).toEqual([
      "growth",
    ]);
    expect(toPayload({ ...FILLED, "request.needHints": "" }).request.needHints).toEqual([]);
    const { "request.needHints": _, ...without } = FILLED;
    expect(toPayload(without).request.needHints).toEqual([]);
  });

  it("a single-valued field sent twice takes the first value", () => {
    expect(toPayload({ ...FILLED, "company.name": ["First ApS", "Second ApS"] }).company.name).toBe(
      "First ApS",
    );
  });

  it.each([
    ["true", true],
    [["true"], true],
    [" true ", true],
    ["on", false],
    ["yes", false],
    ["1", false],
    ["false", false],
    ["TRUE", false],
    ["", false],
  ] as const)("consent %j gives %s", (consent, expected) => {
    const form: FormValues = { ...FILLED, consent: typeof consent === "string" ? consent : [...consent] };
    expect(toPayload(form).consent).toBe(expected);
  });

  it("no consent field gives false, and validation names consent", () => {
    const { consent: _, ...without } = FILLED;
    expect(toPayload(without).consent).toBe(false);
    expect(problemsOf(without).map((p) => p.path)).toEqual(["consent"]);
  });

  it("ignores fields that are not part of the payload (the honeypot among them)", () => {
    const p = formToPayload({ ...FILLED, [HONEYPOT_FIELD]: "http://spam.example", other: "x" });
    expect(JSON.stringify(p)).not.toContain("spam");
    expect(problemsOf({ ...FILLED, [HONEYPOT_FIELD]: "http://spam.example", other: "x" })).toEqual([]);
  });

  it("the honeypot field is called website", () => {
    expect(HONEYPOT_FIELD).toBe("website");
  });
});

describe("formErrors", () => {
  const da = publicMessages("da");
  const en = publicMessages("en");

  const FIELD_KEYS: [string, keyof PublicMessages][] = [
    ["company.cvr", "err_cvr"],
    ["company.name", "err_companyName"],
    ["company.municipalityCode", "err_municipality"],
    ["company.employees", "err_employees"],
    ["contact.name", "err_contactName"],
    ["contact.email", "err_email"],
    ["contact.phone", "err_phone"],
    ["request.description", "err_description"],
    ["consent", "err_consent"],
  ];

  it.each(FIELD_KEYS)("%s has its own plain-language message in each language", (path, key) => {
    const problem = [{ path, message: "is required" }];
    const inDa = formErrors(problem, da).get(path);
    const inEn = formErrors(problem, en).get(path);
    expect(inDa).toBe(da[key]);
    expect(inEn).toBe(en[key]);
    expect(inDa).not.toBe(inEn);
    // the technical message is not shown
    expect(inDa).not.toContain("is required");
  });

  it("every field message differs between Danish and English", () => {
    for (const [, key] of FIELD_KEYS) expect(da[key]).not.toBe(en[key]);
  });

  it("one message per field, even when validation reports several problems for it", () => {
    const errors = formErrors(
      [
        { path: "company.cvr", message: "must be 8 digits" },
        { path: "company.cvr", message: "is not a valid CVR number (modulus-11 check failed)" },
        { path: "contact.email", message: "must be a valid e-mail address" },
      ],
      en,
    );
    expect(errors.size).toBe(2);
    expect([...errors.keys()]).toEqual(["company.cvr", "contact.email"]);
    expect(errors.get("company.cvr")).toBe(en.err_cvr);
  });

  it("a field without a message of its own gets the generic one naming the field, in the user's language", () => {
    const problem = [{ path: "request.timeframe", message: "Invalid option" }];
    expect(formErrors(problem, da).get("request.timeframe")).toBe(`${da.errorGeneric}: ${da.timeframe}`);
    expect(formErrors(problem, en).get("request.timeframe")).toBe(`${en.errorGeneric}: ${en.timeframe}`);
  });

  it("attaches an error inside a field (request.needHints.0) to the field the form shows", () => {
    const errors = formErrors([{ path: "request.needHints.0", message: "Invalid option" }], en);
    expect([...errors.keys()]).toEqual(["request.needHints"]);
  });

  it("no problems, no errors", () => {
    expect(formErrors([], da).size).toBe(0);
  });

  it("works end to end: a bad form gives localised messages keyed by field name", () => {
    const form: FormValues = { ...FILLED, "company.cvr": "12345678", "contact.email": "nope", consent: "" };
    const fields = problemsOf(form);
    const inDa = formErrors(fields, da);
    const inEn = formErrors(fields, en);
    expect([...inDa.keys()]).toEqual(["company.cvr", "contact.email", "consent"]);
    expect(inDa.get("company.cvr")).toBe("Skriv et gyldigt CVR-nummer på 8 cifre");
    expect(inEn.get("company.cvr")).toBe("Enter a valid 8-digit CVR number");
    expect(inDa.get("consent")).toBe(da.err_consent);
    expect(inEn.get("contact.email")).toBe(en.err_email);
  });
});

describe("i18n helpers used by the form", () => {
  /** Every text of a surface's messages by its key, a table's names as `table.name`. */
  const texts = (m: object): [string, string][] =>
    Object.entries(m).flatMap(([k, v]: [string, string | Record<string, string>]) =>
      typeof v === "string"
        ? [[k, v]]
        : Object.entries(v).map(([n, t]): [string, string] => [`${k}.${n}`, t]),
    );

  it("Danish and English have the same keys, all non-empty", () => {
    for (const messages of [publicMessages, inboxMessages, adminMessages]) {
      const keys = (m: object) => texts(m).map(([k]) => k);
      expect(keys(messages("en")).sort()).toEqual(keys(messages("da")).sort());
      for (const lang of ["da", "en"] as const)
        for (const [, value] of texts(messages(lang))) expect(value.trim()).not.toBe("");
    }
  });

  it("the typed labels look up their table, and a value from another version shows as its key", () => {
    expect(needChoiceLabel(publicMessages("da"), "recruitment")).toBe(
      publicMessages("da").needChoices.recruitment,
    );
    expect(timeframeLabel(publicMessages("en"), "now")).toBe("Now");
    expect(statusLabel(publicMessages("en"), "unheard_of" as CaseStatus)).toBe("status_unheard_of");
  });

  it("formatDateTime shows Copenhagen time, in the language", () => {
    const winter = "2025-01-15T12:30:00Z"; // UTC+1
    const summer = "2025-07-01T10:05:00Z"; // UTC+2
    expect(formatDateTime(winter, "da")).toMatch(/15\. januar 2025.*13[.:]30/);
    expect(formatDateTime(winter, "en")).toMatch(/15 January 2025.*13:30/);
    expect(formatDateTime(summer, "en")).toMatch(/1 July 2025.*12:05/);
    expect(formatDateTime(summer, "da")).not.toBe(formatDateTime(summer, "en"));
  });
});
