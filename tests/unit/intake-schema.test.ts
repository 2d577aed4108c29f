import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AppError, type FieldProblem } from "#shared/errors.ts";
import {
  CvrSchema,
  type IntakeInput,
  IntakePayloadSchema,
  isValidCvr,
  parseIntake,
  TIMEFRAMES,
} from "#shared/intake/request-schema.ts";
import { MUNICIPALITY_CODES } from "#shared/reference/municipalities.ts";
import { fieldProblems } from "#shared/validation.ts";

interface SampleLine {
  id: string;
  payload: IntakeInput;
}

const SAMPLES: SampleLine[] = readFileSync(new URL("../fixtures/samples.jsonl", import.meta.url), "utf8")
  .trim()
  .split("\n")
  .map((line) => JSON.parse(line) as SampleLine);

/** A valid payload; every test changes one thing. */
function valid(): IntakeInput {
  return {
    company: { cvr: "11696422", name: "Café Nørrebro ApS", municipalityCode: "101", employees: 14 },
    contact: { name: "Mette Hansen", email: "mette@cafe.example.dk", language: "da" },
    request: { description: "Vi søger to kokke til fast ansættelse.", needHints: [] },
    consent: true,
  };
}

type Section = "company" | "contact" | "request";

/** The valid payload with one field of a section replaced (or removed, for `undefined`). */
function withField(section: Section, key: string, value: unknown): Record<string, unknown> {
  const base = valid();
  const part: Record<string, unknown> = { ...base[section] };
  if (value === undefined) delete part[key];
  else part[key] = value;
  return { ...base, [section]: part };
}

/** The problems of an input, or [] when it is valid. */
function problems(input: unknown): FieldProblem[] {
  const result = IntakePayloadSchema.safeParse(input);
  return result.success ? [] : fieldProblems(result.error);
}

const paths = (input: unknown) => problems(input).map((p) => p.path);

describe("isValidCvr", () => {
  it("the fixture has 20 samples", () => {
    expect(SAMPLES).toHaveLength(20);
  });

  it.each(SAMPLES.map((s) => [s.id, s.payload.company.cvr] as const))("sample %s (%s) is valid", (_, cvr) => {
    expect(isValidCvr(cvr)).toBe(true);
    expect(CvrSchema.parse(cvr)).toBe(cvr);
  });

  it("rejects a wrong check digit", () => {
    expect(isValidCvr("11696422")).toBe(true);
    for (const last of "013456789") expect(isValidCvr(`1169642${last}`)).toBe(false);
  });

  it("rejects 7 and 9 digits", () => {
    expect(isValidCvr("1169642")).toBe(false);
    expect(isValidCvr("116964220")).toBe(false);
  });

  it("rejects letters and separators", () => {
    expect(isValidCvr("1169642A")).toBe(false);
    expect(isValidCvr("ABCDEFGH")).toBe(false);
    expect(isValidCvr("1169 6422")).toBe(false);
    expect(isValidCvr("")).toBe(false);
  });

  it("rejects a leading 0 even when the weighted sum is divisible by 11", () => {
    // 0*2 + 1*7 + 0 + 0 + 0 + 0 + 6*2 + 3*1 = 22
    expect(isValidCvr("01000063")).toBe(false);
    expect(CvrSchema.safeParse("01000063").success).toBe(false);
  });
});

describe("CvrSchema", () => {
  it.each(["DK 11 69 64 22", "11-69-64-22", " dk11696422 ", "DK-11696422", "11 69 64 22"])(
    "normalises %j to 11696422",
    (input) => {
      expect(CvrSchema.parse(input)).toBe("11696422");
    },
  );

  it.each([
    ["wrong check digit", "11696423"],
    ["7 digits", "1169642"],
    ["9 digits", "116964220"],
    ["letters", "1169642X"],
    ["leading 0", "01000063"],
    ["empty", ""],
    ["only the prefix", "DK"],
  ])("rejects %s (%j)", (_, input) => {
    expect(CvrSchema.safeParse(input).success).toBe(false);
  });

  it("rejects a number (it must be sent as text)", () => {
    expect(CvrSchema.safeParse(11696422).success).toBe(false);
  });

  it("says why: not 8 digits, or a failed modulus-11 check", () => {
    expect(problems(withField("company", "cvr", "1169642"))).toContainEqual({
      path: "company.cvr",
      message: "must be 8 digits",
    });
    expect(problems(withField("company", "cvr", "11696423"))).toEqual([
      { path: "company.cvr", message: "is not a valid CVR number (modulus-11 check failed)" },
    ]);
  });

  it("stores the normalised number in the payload", () => {
    const out = parseIntake(withField("company", "cvr", "DK 11 69 64 22"));
    expect(out.company.cvr).toBe("11696422");
  });
});

describe("IntakePayloadSchema: a whole payload", () => {
  it.each(SAMPLES.map((s) => [s.id, s.payload] as const))("accepts sample %s", (_, payload) => {
    expect(problems(payload)).toEqual([]);
  });

  it("accepts the minimal payload and defaults needHints to []", () => {
    const input = valid();
    const { needHints: _, ...request } = input.request;
    const out = parseIntake({ ...input, request });
    expect(out.request.needHints).toEqual([]);
    expect(out.company.employees).toBe(14);
  });

  it("accepts every optional field filled", () => {
    const input = {
      ...valid(),
      company: { cvr: "11696422", name: "A", municipalityCode: "860", employees: 0, industry: "IT" },
      contact: { name: "B", email: "b@example.dk", phone: "+45 12 34 56 78", language: "en" },
      request: {
        description: "0123456789",
        needHints: ["growth", "recruitment", "upskilling"],
        timeframe: "within_3_months",
      },
    };
    expect(problems(input)).toEqual([]);
  });

  it("rejects a value that is not an object", () => {
    for (const input of [null, undefined, "x", 1, []])
      expect(IntakePayloadSchema.safeParse(input).success).toBe(false);
  });
});

describe("IntakePayloadSchema: required and optional fields", () => {
  it.each([
    ["company", "cvr"],
    ["company", "name"],
    ["contact", "name"],
    ["contact", "language"],
    ["request", "description"],
  ] as const)("%s.%s is required and says so", (section, key) => {
    expect(problems(withField(section, key, undefined))).toEqual([
      { path: `${section}.${key}`, message: "is required" },
    ]);
  });

  it.each([
    ["company", "municipalityCode"],
    ["contact", "email"],
  ] as const)("%s.%s is required (named by its path)", (section, key) => {
    const found = problems(withField(section, key, undefined));
    expect(found.map((p) => p.path)).toEqual([`${section}.${key}`]);
    expect(found[0]?.message).not.toMatch(/^Invalid input/);
  });

  it.each(["company", "contact", "request"] as const)("the section %s is required", (section) => {
    const { [section]: _, ...rest } = valid();
    expect(problems(rest)).toEqual([{ path: section, message: "is required" }]);
  });

  it("consent is required", () => {
    const { consent: _, ...rest } = valid();
    expect(paths(rest)).toEqual(["consent"]);
  });

  it.each([
    ["company", "employees"],
    ["company", "industry"],
    ["contact", "phone"],
    ["request", "needHints"],
    ["request", "timeframe"],
  ] as const)("%s.%s is optional", (section, key) => {
    expect(problems(withField(section, key, undefined))).toEqual([]);
  });

  it("reports every missing field at once", () => {
    expect(paths({ company: {}, contact: {}, request: {} })).toEqual(
      expect.arrayContaining([
        "company.cvr",
        "company.name",
        "company.municipalityCode",
        "contact.name",
        "contact.email",
        "contact.language",
        "request.description",
        "consent",
      ]),
    );
  });
});

describe("IntakePayloadSchema: company", () => {
  it.each([
    ["company", "name"],
    ["contact", "name"],
    ["company", "industry"],
  ] as const)("%s.%s: 1 to 200 characters after trimming", (section, key) => {
    expect(paths(withField(section, key, "x"))).toEqual([]);
    expect(paths(withField(section, key, "x".repeat(200)))).toEqual([]);
    expect(paths(withField(section, key, "x".repeat(201)))).toEqual([`${section}.${key}`]);
    expect(problems(withField(section, key, ""))).toEqual([
      { path: `${section}.${key}`, message: "must not be empty" },
    ]);
    expect(problems(withField(section, key, "   "))).toEqual([
      { path: `${section}.${key}`, message: "must not be empty" },
    ]);
    expect(paths(withField(section, key, 42))).toEqual([`${section}.${key}`]);
  });

  it("trims names", () => {
    const out = parseIntake(withField("company", "name", "  Aarhus Metal A/S \n"));
    expect(out.company.name).toBe("Aarhus Metal A/S");
  });

  it("accepts each of the 98 municipality codes", () => {
    expect(MUNICIPALITY_CODES).toHaveLength(98);
    for (const code of MUNICIPALITY_CODES)
      expect(paths(withField("company", "municipalityCode", code))).toEqual([]);
  });

  it.each(["999", "100", "0101", "101 ", "København", "", "1"])("rejects municipality code %j", (code) => {
    expect(problems(withField("company", "municipalityCode", code))).toEqual([
      {
        path: "company.municipalityCode",
        message: "must be one of the 98 official 3-digit municipality codes",
      },
    ]);
  });

  it("rejects a municipality code sent as a number", () => {
    expect(paths(withField("company", "municipalityCode", 101))).toEqual(["company.municipalityCode"]);
  });

  it.each([0, 1, 250, 1_000_000])("accepts %d employees", (n) => {
    expect(paths(withField("company", "employees", n))).toEqual([]);
  });

  it.each([-1, 1.5, 1_000_001, "10", Number.NaN, Number.POSITIVE_INFINITY, null])(
    "rejects %j employees",
    (n) => {
      expect(paths(withField("company", "employees", n))).toEqual(["company.employees"]);
    },
  );
});

describe("IntakePayloadSchema: contact", () => {
  it.each(["a@b.dk", "mette.hansen+intake@cafe-noerrebro.example.dk"])("accepts the e-mail %j", (email) => {
    expect(paths(withField("contact", "email", email))).toEqual([]);
  });

  it.each(["", "mette", "mette@", "@example.dk", "mette@example", "me tte@example.dk", "a@b@c.dk"])(
    "rejects the e-mail %j",
    (email) => {
      expect(problems(withField("contact", "email", email))).toContainEqual({
        path: "contact.email",
        message: "must be a valid e-mail address",
      });
    },
  );

  it("rejects an e-mail longer than 254 characters", () => {
    const email = `${"a".repeat(64)}@${"b".repeat(60)}.${"c".repeat(60)}.${"d".repeat(60)}.${"e".repeat(10)}.dk`;
    expect(email.length).toBeGreaterThan(254);
    expect(paths(withField("contact", "email", email))).toEqual(["contact.email"]);
  });

  it.each(["12345678", "+45 12 34 56 78", "+45-1234-5678", "(45) 12 34 56 78", "123456", "  12345678  "])(
    "accepts the phone %j",
    (phone) => {
      expect(paths(withField("contact", "phone", phone))).toEqual([]);
    },
  );

  it.each(["12345", "", "phone me", "12345678 ext 2", "+45.12.34.56.78", "1".repeat(21), "++4512345678"])(
    "rejects the phone %j",
    (phone) => {
      expect(problems(withField("contact", "phone", phone))).toEqual([
        { path: "contact.phone", message: "must be a phone number (digits, spaces, +, -)" },
      ]);
    },
  );

  it("trims the phone", () => {
    expect(parseIntake(withField("contact", "phone", "  +45 12345678 ")).contact.phone).toBe("+45 12345678");
  });

  it.each(["da", "en"])("accepts the language %j", (language) => {
    expect(parseIntake(withField("contact", "language", language)).contact.language).toBe(language);
  });

  it.each(["de", "DA", "dansk", ""])("rejects the language %j", (language) => {
    expect(paths(withField("contact", "language", language))).toEqual(["contact.language"]);
  });
});

describe("IntakePayloadSchema: request", () => {
  it("description: 10 to 5000 characters, counted after trimming", () => {
    expect(paths(withField("request", "description", "x".repeat(10)))).toEqual([]);
    expect(paths(withField("request", "description", "x".repeat(5000)))).toEqual([]);
    expect(problems(withField("request", "description", "x".repeat(9)))).toEqual([
      { path: "request.description", message: "must be at least 10 characters" },
    ]);
    expect(problems(withField("request", "description", "x".repeat(5001)))).toEqual([
      { path: "request.description", message: "must be at most 5000 characters" },
    ]);
    expect(paths(withField("request", "description", `   ${"x".repeat(9)}         `))).toEqual([
      "request.description",
    ]);
    expect(paths(withField("request", "description", `  ${"x".repeat(5000)}  `))).toEqual([]);
    expect(paths(withField("request", "description", " ".repeat(20)))).toEqual(["request.description"]);
  });

  it("stores the description trimmed", () => {
    const out = parseIntake(withField("request", "description", "\n  Vi mangler smede.  \n"));
    expect(out.request.description).toBe("Vi mangler smede.");
  });

  it.each([[[]], [["growth"]], [["upskilling", "recruitment"]], [["recruitment", "upskilling", "growth"]]])(
    "accepts the need hints %j",
    (needHints) => {
      expect(parseIntake(withField("request", "needHints", needHints)).request.needHints).toEqual(needHints);
    },
  );

  it("rejects a repeated need hint", () => {
    expect(problems(withField("request", "needHints", ["growth", "growth"]))).toEqual([
      { path: "request.needHints", message: "must not repeat a need" },
    ]);
  });

  it("rejects a need hint that is not a need, naming its index", () => {
    expect(paths(withField("request", "needHints", ["growth", "funding"]))).toEqual(["request.needHints.1"]);
  });

  it.each(["growth", 5, { length: 2 }])("rejects need hints that are not an array (%j)", (needHints) => {
    const found = problems(withField("request", "needHints", needHints));
    expect(found.length).toBeGreaterThan(0);
    expect(new Set(found.map((p) => p.path))).toEqual(new Set(["request.needHints"]));
  });

  it("rejects more than three need hints", () => {
    expect(
      paths(withField("request", "needHints", ["growth", "recruitment", "upskilling", "growth"])),
    ).toContain("request.needHints");
  });

  it.each(TIMEFRAMES.map((t) => [t]))("accepts the timeframe %j", (timeframe) => {
    expect(parseIntake(withField("request", "timeframe", timeframe)).request.timeframe).toBe(timeframe);
  });

  it.each(["soon", "", "NOW", 3])("rejects the timeframe %j", (timeframe) => {
    expect(paths(withField("request", "timeframe", timeframe))).toEqual(["request.timeframe"]);
  });

  it("has exactly the four timeframes", () => {
    expect([...TIMEFRAMES]).toEqual(["now", "within_3_months", "within_12_months", "later"]);
  });
});

describe("IntakePayloadSchema: consent", () => {
  it.each([false, "true", 1, "yes", null])("rejects consent %j", (consent) => {
    expect(problems({ ...valid(), consent })).toEqual([
      { path: "consent", message: "must be true: we need your consent to process the request" },
    ]);
  });

  it("accepts consent true", () => {
    expect(parseIntake({ ...valid(), consent: true }).consent).toBe(true);
  });
});

describe("unknown keys", () => {
  it("are rejected at the top level", () => {
    expect(problems({ ...valid(), extra: 1 })).toEqual([{ path: "extra", message: "is not a known field" }]);
  });

  it.each(["company", "contact", "request"] as const)(
    "are rejected in %s, with the path section.key",
    (section) => {
      expect(problems(withField(section, "surprise", "x"))).toEqual([
        { path: `${section}.surprise`, message: "is not a known field" },
      ]);
    },
  );

  it("are reported at every level at once", () => {
    const input = {
      ...withField("company", "a", 1),
      contact: { ...valid().contact, b: 2 },
      request: { ...valid().request, c: 3 },
      d: 4,
    };
    expect(paths(input).sort()).toEqual(["company.a", "contact.b", "d", "request.c"]);
  });

  it("a misspelt optional field is not silently dropped", () => {
    expect(paths(withField("company", "employes", 12))).toEqual(["company.employes"]);
  });

  // Each unknown key is a field of its own: two unknown keys in one section must not be reported
  // as one nested path "company.foo.bar" (which names a field that does not exist).
  it("two unknown keys in one section get a path each", () => {
    const input = { ...valid(), company: { ...valid().company, foo: 1, bar: 2 } };
    const found = paths(input);
    expect(found).not.toContain("company.foo.bar");
    expect(found).toEqual(expect.arrayContaining(["company.foo", "company.bar"]));
  });
});

describe("fieldProblems and parseIntake", () => {
  it("fieldProblems turns issues into dotted paths and messages", () => {
    const result = IntakePayloadSchema.safeParse({
      ...valid(),
      company: { name: "", municipalityCode: "101" },
      request: { description: "too short" },
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(fieldProblems(result.error)).toEqual([
      { path: "company.cvr", message: "is required" },
      { path: "company.name", message: "must not be empty" },
      { path: "request.description", message: "must be at least 10 characters" },
    ]);
  });

  it("an unknown key at the top level has no leading dot", () => {
    expect(paths({ ...valid(), zzz: true })).toEqual(["zzz"]);
  });

  it("parseIntake returns the parsed payload", () => {
    const out = parseIntake(valid());
    expect(out).toEqual({ ...valid(), request: { ...valid().request, needHints: [] } });
  });

  it("parseIntake throws a validation_failed AppError naming every bad field", () => {
    let thrown: unknown;
    try {
      parseIntake({ ...valid(), consent: false, contact: { ...valid().contact, email: "nope" } });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AppError);
    if (!(thrown instanceof AppError)) return;
    expect(thrown.code).toBe("validation_failed");
    expect(thrown.fields.map((f) => f.path)).toEqual(["contact.email", "consent"]);
    expect(thrown.fields.every((f) => f.message.length > 0)).toBe(true);
  });
});

describe("IntakePayloadSchema: hidden characters", () => {
  const problemsOf = (input: unknown) => {
    const r = IntakePayloadSchema.safeParse(input);
    return r.success ? [] : fieldProblems(r.error);
  };

  it("refuses a name made only of zero-width spaces, naming the field", () => {
    expect(problemsOf(withField("company", "name", "\u200b\u200b\u200b"))).toEqual([
      { path: "company.name", message: "must contain visible characters" },
    ]);
    expect(problemsOf(withField("contact", "name", "\u200b\u200d"))[0]?.path).toBe("contact.name");
  });

  it("refuses NUL and other control characters, and text-direction overrides", () => {
    for (const name of ["Caf\u0000e", "Cafe\u0007", "abc\u202Edef", "a\u2066b", "Linje\nto"])
      expect(problemsOf(withField("company", "name", name))).toEqual([
        { path: "company.name", message: "must not contain control or text-direction characters" },
      ]);
    expect(problemsOf(withField("request", "description", "Vi søger to kokke\u0000 nu"))[0]?.path).toBe(
      "request.description",
    );
  });

  it("refuses lone surrogates", () => {
    expect(problemsOf(withField("company", "industry", "Byg\ud800geri"))).toEqual([
      { path: "company.industry", message: "must not contain broken characters (lone surrogates)" },
    ]);
  });

  it("keeps line breaks and tabs in the description, and stores every text in NFC", () => {
    const r = IntakePayloadSchema.parse({
      ...withField("company", "name", "Cafe\u0301 ApS"),
      request: { description: "Linje et\nlinje to\tmed tab", needHints: [] },
    });
    expect(r.company.name).toBe("Café ApS");
    expect(r.company.name).toHaveLength(8);
    expect(r.request.description).toBe("Linje et\nlinje to\tmed tab");
  });
});
