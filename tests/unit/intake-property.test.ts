import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import { createPublicApp, MAX_BODY_BYTES } from "#functions/http/public-app.tsx";
import { NO_METRICS } from "#shared/metrics.ts";
import { DEFAULT_CONSORTIA } from "#shared/reference/consortia.ts";
import { directory } from "#shared/reference/consortium-directory.ts";
import { MUNICIPALITY_CODES } from "#shared/reference/municipalities.ts";
import { FakeCaseStore, FakeQueues, MemoryLog } from "#tests/support/fakes.ts";

/**
 * Property-based tests of the public intake: whatever arrives, the answer is a 4xx with field paths
 * (never a 5xx), and nothing is stored unless the payload is valid — then it is stored exactly once.
 */
let cases: FakeCaseStore;
let app: ReturnType<typeof createPublicApp>;
beforeEach(() => {
  cases = new FakeCaseStore();
  app = createPublicApp({
    cases,
    queues: new FakeQueues(),
    log: new MemoryLog(),
    metrics: NO_METRICS,
    now: () => "2026-11-27T10:00:00.000Z",
    consortia: async () => directory(DEFAULT_CONSORTIA),
    config: { PUBLIC_BASE_URL: "https://indgang.example.dk" },
    // Thousands of requests from one test client: the limit has its own tests.
    rateLimitPerMinute: Number.MAX_SAFE_INTEGER,
  });
});

const post = (body: string) =>
  app.request("/api/requests", { method: "POST", headers: { "content-type": "application/json" }, body });

const VALID_CVRS = ["11696422", "11742238", "11777112"];
const validPayload = fc.record({
  company: fc.record(
    {
      cvr: fc.constantFrom(...VALID_CVRS),
      name: fc.string({ minLength: 1, maxLength: 200 }).filter((s) => s.trim().length > 0),
      municipalityCode: fc.constantFrom(...MUNICIPALITY_CODES),
      employees: fc.integer({ min: 0, max: 1_000_000 }),
    },
    { requiredKeys: ["cvr", "name", "municipalityCode"] },
  ),
  contact: fc.record({
    name: fc.string({ minLength: 1, maxLength: 200 }).filter((s) => s.trim().length > 0),
    email: fc.constantFrom("a@b.dk", "mette.jensen@firma.example.dk"),
    language: fc.constantFrom("da", "en"),
  }),
  request: fc.record({
    description: fc.string({ minLength: 10, maxLength: 5000 }).filter((s) => s.trim().length >= 10),
    needHints: fc.subarray(["growth", "recruitment", "upskilling"]),
  }),
  consent: fc.constant(true),
});

/** Nasty values: wrong types, huge and odd strings, prototype-pollution keys. */
const nasty = fc.oneof(
  fc.jsonValue(),
  fc.string({ unit: "grapheme", maxLength: 300 }),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.constantFrom("", " ", "\u0000", "\uFEFF", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "x".repeat(6000), "-1", "1e309", "NaN"),
  // Own "__proto__" keys, as JSON.parse makes them (an object literal would set the prototype instead).
  fc.constantFrom(
    JSON.parse('{"__proto__": {"polluted": true}}') as unknown,
    JSON.parse('{"constructor": {"prototype": {"polluted": true}}}') as unknown,
  ),
);

const paths = [
  "company",
  "company.cvr",
  "company.name",
  "company.municipalityCode",
  "company.employees",
  "contact",
  "contact.email",
  "contact.language",
  "request",
  "request.description",
  "request.needHints",
  "consent",
];

function setPath(obj: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split(".");
  let o: Record<string, unknown> = obj;
  for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
  const last = keys.at(-1) ?? "";
  if (value === undefined) delete o[last];
  else o[last] = value;
}

describe("the intake under generated input", () => {
  it("any JSON body that is not a valid payload: 4xx with field paths, never 5xx, nothing stored", async () => {
    await fc.assert(
      fc.asyncProperty(nasty, async (body) => {
        const res = await post(JSON.stringify(body));
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        const json = (await res.json()) as { error: { fields: { path: string; message: string }[] } };
        expect(Array.isArray(json.error.fields)).toBe(true);
        expect(cases.created).toHaveLength(0);
      }),
      { numRuns: 1500 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("a valid payload with one field broken or removed: 400 naming that field (or its parent), nothing stored", async () => {
    await fc.assert(
      fc.asyncProperty(
        validPayload,
        fc.constantFrom(...paths),
        fc.option(nasty, { nil: undefined }),
        async (payload, path, value) => {
          const broken = structuredClone(payload) as Record<string, unknown>;
          setPath(broken, path, value);
          const res = await post(JSON.stringify(broken));
          if (res.status === 202) {
            // The generated value happened to be valid for that field (e.g. employees 5): fine, stored once.
            expect(cases.created.length).toBeGreaterThan(0);
            cases.created.length = 0;
            return;
          }
          expect(res.status).toBe(400);
          const json = (await res.json()) as { error: { fields: { path: string }[] } };
          const top = path.split(".")[0] ?? "";
          expect(json.error.fields.some((f) => f.path === path || f.path.startsWith(`${top}`))).toBe(true);
          expect(cases.created).toHaveLength(0);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("unknown fields at any level are refused by name", async () => {
    await fc.assert(
      fc.asyncProperty(
        validPayload,
        fc.constantFrom("", "company", "contact", "request"),
        fc
          .oneof(
            fc.constantFrom("__proto__", "constructor", "prototype"),
            fc.string({ minLength: 1, maxLength: 20 }),
          )
          .filter(
            (k) =>
              ![
                "cvr",
                "name",
                "municipalityCode",
                "employees",
                "industry",
                "email",
                "phone",
                "language",
                "description",
                "needHints",
                "timeframe",
                "company",
                "contact",
                "request",
                "consent",
              ].includes(k),
          ),
        async (payload, where, key) => {
          const p = structuredClone(payload) as unknown as Record<string, Record<string, unknown>>;
          // defineProperty: an own key even for "__proto__", which plain assignment would swallow.
          const target = where === "" ? p : (p[where] as Record<string, unknown>);
          Object.defineProperty(target, key, {
            value: 1,
            enumerable: true,
            configurable: true,
            writable: true,
          });
          const res = await post(JSON.stringify(p));
          expect(res.status).toBe(400);
          const json = (await res.json()) as { error: { fields: { path: string }[] } };
          expect(json.error.fields.map((f) => f.path)).toContain(where ? `${where}.${key}` : key);
        },
      ),
      { numRuns: 500 },
    );
    expect(cases.created).toHaveLength(0);
  });

  it("every valid payload is accepted (202) and stored exactly once", async () => {
    await fc.assert(
      fc.asyncProperty(validPayload, async (payload) => {
        const before = cases.created.length;
        const res = await post(JSON.stringify(payload));
        expect(res.status).toBe(202);
        expect(cases.created.length).toBe(before + 1);
      }),
      { numRuns: 300 },
    );
  });

  it("bodies over the limit are refused before parsing (413), whatever they contain", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: MAX_BODY_BYTES + 1, max: MAX_BODY_BYTES * 4 }), async (size) => {
        const res = await post("{".padEnd(size, " "));
        expect(res.status).toBe(413);
      }),
      { numRuns: 20 },
    );
    expect(cases.created).toHaveLength(0);
  });
});

/** The web form's fields, as the page names them (the API's dotted paths). */
const FORM_FIELDS = [
  "company.cvr",
  "company.name",
  "company.municipalityCode",
  "company.employees",
  "contact.name",
  "contact.email",
  "contact.language",
  "request.description",
  "request.needHints",
  "request.timeframe",
  "consent",
  "website",
];

/** One multipart part: text (odd strings included) or a file, under a form field or any name. */
const part = fc.record({
  name: fc.oneof(fc.constantFrom(...FORM_FIELDS), fc.string({ minLength: 1, maxLength: 20 })),
  value: fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 200 }),
    fc.constantFrom("", "\u0000", "\u202e", "\u200b\u200b", "x".repeat(6000)),
    fc.record({ file: fc.string({ maxLength: 200 }), type: fc.constantFrom("text/plain", "image/png", "") }),
  ),
});

describe("the web form under generated multipart posts", () => {
  it("whatever the parts (text or files, known or unknown names): never a 5xx, nothing stored unless valid", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(part, { maxLength: 14 }), async (parts) => {
        const body = new FormData();
        for (const { name, value } of parts)
          if (typeof value === "string") body.append(name, value);
          else body.append(name, new File([value.file], "upload.bin", { type: value.type }));
        const before = cases.created.length;
        const res = await app.request("/", {
          method: "POST",
          body,
          headers: { Origin: "https://indgang.example.dk", Accept: "text/html" },
        });
        expect(res.status, await res.clone().text()).toBeLessThan(500);
        if (res.status !== 303) expect(cases.created.length).toBe(before);
        const hasFile = parts.some((p) => typeof p.value !== "string");
        if (hasFile) expect(res.status).toBe(400);
      }),
      { numRuns: 400 },
    );
  });
});
