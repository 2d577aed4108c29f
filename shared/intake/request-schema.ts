import * as z from "zod/mini";
import { NEEDS } from "#shared/needs.ts";
import "#shared/zod.ts";

import { MUNICIPALITY_CODES } from "#shared/reference/municipalities.ts";
import { parseBody } from "#shared/validation.ts";

/**
 * The public intake contract: what a company sends through the web form or `POST /api/requests`.
 * Every type of the intake is inferred from these schemas; the OpenAPI document is generated from them.
 */

const CVR_WEIGHTS = [2, 7, 6, 5, 4, 3, 2, 1] as const;

/** A CVR number is 8 digits whose weighted sum (2,7,6,5,4,3,2,1) is divisible by 11. */
export function isValidCvr(cvr: string): boolean {
  if (!/^\d{8}$/.test(cvr) || cvr.startsWith("0")) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(cvr[i]) * (CVR_WEIGHTS[i] ?? 0);
  return sum % 11 === 0;
}

/**
 * What no text of a request may hold: control characters (C0 and C1; tab and line breaks only where
 * a text has lines), the bidirectional overrides and isolates that make text read other than it is
 * stored (U+202A-U+202E, U+2066-U+2069), and lone surrogates (half a character, no valid UTF-8).
 */
const CONTROL_IN_LINE = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;
const CONTROL_IN_TEXT = /(?![\t\n\r])[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** A letter, digit, punctuation mark or symbol: what a name made only of zero-width spaces lacks. */
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;

/** Unicode checks every free text gets: no hidden characters, one normal form (NFC), something to read. */
const clean = (lines: boolean) => [
  z.refine<string>((s) => !LONE_SURROGATE.test(s), "must not contain broken characters (lone surrogates)"),
  z.refine<string>(
    (s) => !(lines ? CONTROL_IN_TEXT : CONTROL_IN_LINE).test(s),
    "must not contain control or text-direction characters",
  ),
  z.normalize("NFC"),
  z.refine<string>((s) => s === "" || VISIBLE.test(s), "must contain visible characters"),
];

const text = (max: number) =>
  z.string().check(z.trim(), ...clean(false), z.minLength(1, "must not be empty"), z.maxLength(max));

export const CvrSchema = z
  .pipe(
    z.pipe(
      z.string().check(z.trim()),
      z.transform((s: string) => s.replace(/^DK/i, "").replace(/[\s-]/g, "")),
    ),
    z
      .string()
      .check(
        z.regex(/^\d{8}$/, { message: "must be 8 digits", abort: true }),
        z.refine(isValidCvr, "is not a valid CVR number (modulus-11 check failed)"),
      ),
  )
  .register(z.globalRegistry, {
    description: "Danish CVR number: 8 digits, modulus-11 valid",
    example: "11696422",
  });

export const TIMEFRAMES = ["now", "within_3_months", "within_12_months", "later"] as const;

export const IntakePayloadSchema = z
  .strictObject({
    company: z.strictObject({
      cvr: CvrSchema,
      name: text(200),
      municipalityCode: z.enum(MUNICIPALITY_CODES, {
        error: "must be one of the 98 official 3-digit municipality codes",
      }),
      employees: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(1_000_000))),
      industry: z.optional(text(200)),
    }),
    contact: z.strictObject({
      name: text(200),
      email: z.email("must be a valid e-mail address").check(z.maxLength(254)),
      phone: z.optional(
        z
          .string()
          .check(z.trim(), z.regex(/^\+?[0-9 ()-]{6,20}$/, "must be a phone number (digits, spaces, +, -)")),
      ),
      language: z.enum(["da", "en"]),
    }),
    request: z.strictObject({
      description: z
        .string()
        .check(
          z.trim(),
          ...clean(true),
          z.minLength(10, "must be at least 10 characters"),
          z.maxLength(5000, "must be at most 5000 characters"),
        ),
      needHints: z._default(
        z.array(z.enum(NEEDS)).check(
          z.maxLength(3),
          z.refine((a) => new Set(a).size === a.length, "must not repeat a need"),
        ),
        [],
      ),
      timeframe: z.optional(z.enum(TIMEFRAMES)),
    }),
    consent: z.literal(true, { error: "must be true: we need your consent to process the request" }),
  })
  .register(z.globalRegistry, { id: "IntakePayload", description: "A company's request for help" });

export type IntakePayload = z.output<typeof IntakePayloadSchema>;
export type IntakeInput = z.input<typeof IntakePayloadSchema>;

export const IntakeAcceptedSchema = z
  .strictObject({
    reference: z.string().register(z.globalRegistry, { example: "IND-7K3M-Q9PX" }),
    statusUrl: z.url(),
  })
  .register(z.globalRegistry, { id: "IntakeAccepted" });

/** Validate a payload from any door (API, form, CLI): the payload, or a 400 naming every bad field. */
export function parseIntake(input: unknown): IntakePayload {
  return parseBody(IntakePayloadSchema, input);
}
