import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import { openApiDocument } from "#functions/http/api-docs/openapi.ts";
import { APP_CSS } from "#functions/http/commons/assets.ts";
import { problemText, publicMessages } from "#functions/http/i18n/public-messages.ts";
import { createPublicApp, MAX_BODY_BYTES, type PublicAppDeps } from "#functions/http/public-app.tsx";
import { sha256 } from "#shared/cases/ids.ts";
import { type CaseRecord, PublicCaseViewSchema, publicView } from "#shared/cases/model.ts";
import { NO_METRICS } from "#shared/metrics.ts";
import { DEFAULT_CONSORTIA } from "#shared/reference/consortia.ts";
import { directory } from "#shared/reference/consortium-directory.ts";
import { CAFE_PAYLOAD, FakeCaseStore, FakeQueues, MemoryLog } from "#tests/support/fakes.ts";

const BASE_URL = "https://indgang.example.dk";
const LOCAL_ORIGIN = "http://localhost"; // app.request() resolves paths against http://localhost

let cases: FakeCaseStore;
let queues: FakeQueues;
let log: MemoryLog;
let app: ReturnType<typeof createPublicApp>;

beforeEach(() => {
  cases = new FakeCaseStore();
  queues = new FakeQueues();
  log = new MemoryLog();
  app = createPublicApp(deps());
});

const deps = (): PublicAppDeps => ({
  cases,
  queues,
  log,
  now: () => "2025-03-01T09:00:00.000Z",
  consortia: async () => directory(DEFAULT_CONSORTIA),
  config: { PUBLIC_BASE_URL: BASE_URL },
  metrics: NO_METRICS,
});

const VALID_FORM: Record<string, string | string[]> = {
  "company.cvr": "11696422",
  "company.name": "Café Nørrebro ApS",
  "company.municipalityCode": "101",
  "company.employees": "14",
  "contact.name": "Mette Hansen",
  "contact.email": "mette@cafe.example.dk",
  "contact.language": "da",
  "request.description": "Vi søger to kokke til fast ansættelse.",
  "request.needHints": ["recruitment"],
  consent: "true",
};

function formBody(values: Record<string, string | string[]>): URLSearchParams {
  const body = new URLSearchParams();
  for (const [name, v] of Object.entries(values))
    for (const x of Array.isArray(v) ? v : [v]) body.append(name, x);
  return body;
}

function postForm(
  values: Record<string, string | string[]>,
  path = "/",
  headers: Record<string, string> = {},
) {
  return app.request(path, {
    method: "POST",
    body: formBody(values),
    headers: { Origin: LOCAL_ORIGIN, Accept: "text/html", ...headers },
  });
}

interface ErrorJson {
  error: { code: string; message: string; fields: { path: string; message: string }[] };
}

async function errorJson(res: Response): Promise<ErrorJson> {
  return (await res.json()) as ErrorJson;
}

/** The text of the element with this id (no nested tags), or undefined. */
function textOfId(html: string, id: string): string | undefined {
  return new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(html)?.[1];
}

describe("GET / (the form)", () => {
  it("is Danish by default", async () => {
    const res = await app.request("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<html lang="da">');
    expect(html).toContain(publicMessages("da").formTitle);
    expect(html).not.toContain(publicMessages("en").formTitle);
    expect(html).toContain('action="/?lang=da"');
  });

  it("lists all 98 municipalities in Danish order (Aa- names with the Å names, last)", async () => {
    const html = await (await app.request("/")).text();
    const names = [...html.matchAll(/<option value="\d{3}"[^>]*>([^<]+)<\/option>/g)].map((m) => m[1]);
    expect(names).toHaveLength(98);
    expect(names[0]).toBe("Albertslund");
    expect(names.slice(-3)).toEqual(["Aabenraa", "Aalborg", "Aarhus"]);
    expect(names.indexOf("Ærø")).toBeLessThan(names.indexOf("Aabenraa"));
  });

  it("is English with ?lang=en, and the choice is remembered in a cookie", async () => {
    const res = await app.request("/?lang=en");
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain(publicMessages("en").formTitle);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^lang=en;/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).toMatch(/Max-Age=31536000/);
  });

  it("uses the remembered language without ?lang, and sets no new cookie", async () => {
    const res = await app.request("/", { headers: { Cookie: "lang=en" } });
    expect(await res.text()).toContain('<html lang="en">');
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("?lang wins over the cookie and over Accept-Language", async () => {
    const res = await app.request("/?lang=da", { headers: { Cookie: "lang=en", "Accept-Language": "en" } });
    expect(await res.text()).toContain('<html lang="da">');
    expect(res.headers.get("set-cookie")).toMatch(/^lang=da;/);
  });

  it("the cookie wins over Accept-Language", async () => {
    const res = await app.request("/", { headers: { Cookie: "lang=da", "Accept-Language": "en-GB" } });
    expect(await res.text()).toContain('<html lang="da">');
  });

  it.each([
    ["en-GB,en;q=0.9", "en"],
    ["de-DE, en;q=0.5, da;q=0.1", "en"],
    ["da-DK,da;q=0.9,en;q=0.8", "da"],
    ["fr-FR", "da"],
    ["", "da"],
  ])("Accept-Language %j gives %s", async (accept, lang) => {
    const res = await app.request("/", { headers: { "Accept-Language": accept } });
    expect(await res.text()).toContain(`<html lang="${lang}">`);
  });

  it("ignores an unknown ?lang and an unknown cookie", async () => {
    const res = await app.request("/?lang=de", { headers: { Cookie: "lang=fr" } });
    expect(await res.text()).toContain('<html lang="da">');
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("links to the other language", async () => {
    expect(await (await app.request("/")).text()).toContain('href="/?lang=en"');
    expect(await (await app.request("/?lang=en")).text()).toContain('href="/?lang=da"');
  });

  it("has the honeypot field and all 98 municipalities", async () => {
    const html = await (await app.request("/")).text();
    expect(html).toMatch(/name="website"/);
    expect(html.match(/<option value="\d{3}"/g)).toHaveLength(98);
  });
});

describe("security headers", () => {
  it.each(["/", "/assets/app.css", "/api/openapi.json", "/nowhere"])("are on %s", async (path) => {
    const res = await app.request(path);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toMatch(/^(DENY|SAMEORIGIN)$/);
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("strict-transport-security")).toContain("max-age=63072000");
  });

  it("the form page has no inline script or style", async () => {
    const html = await (await app.request("/")).text();
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<style/i);
    expect(html).not.toMatch(/\sstyle="/i);
  });
});

describe("static and API documentation routes", () => {
  it("GET /assets/app.css serves the stylesheet, cacheable", async () => {
    const res = await app.request("/assets/app.css");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("public, max-age=3600");
    expect(await res.text()).toBe(APP_CSS);
  });

  it("GET /api/openapi.json is the OpenAPI document with the public URL as server", async () => {
    const res = await app.request("/api/openapi.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const doc = (await res.json()) as { openapi: string; servers: { url: string }[]; paths: object };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers).toEqual([{ url: BASE_URL }]);
    expect(Object.keys(doc.paths)).toEqual(["/api/requests", "/status/{reference}"]);
  });

  it("GET /api/docs is an HTML page for the API", async () => {
    const res = await app.request("/api/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain("Indgang public API");
    expect(html).toContain("/api/requests");
    expect(html).toContain('href="/api/openapi.json"');
    expect(html).not.toMatch(/<script/i);
  });

  it("GET /health answers ok without a readiness check", async () => {
    const res = await app.request("/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("GET /health names each part and answers 503 naming the ones that are down", async () => {
    const withParts = (parts: Record<string, boolean>) =>
      createPublicApp({ ...deps(), health: async () => parts }).request("/health");
    const up = await withParts({ database: true, queue: true, workers: true });
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ status: "ok", parts: { database: "up", queue: "up", workers: "up" } });
    const down = await withParts({ database: false, queue: true, workers: true });
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      status: "unavailable",
      parts: { database: "down", queue: "up", workers: "up" },
      down: ["database"],
    });
  });
});

describe("not found", () => {
  it("is an HTML page for a browser, in its language", async () => {
    const res = await app.request("/nowhere?lang=en", {
      headers: { Accept: "text/html,application/xhtml+xml" },
    });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain(publicMessages("en").notFoundTitle);
    expect(html).toContain('<html lang="en">');
  });

  it("is Danish HTML by default", async () => {
    const res = await app.request("/nowhere", { headers: { Accept: "text/html" } });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain(publicMessages("da").notFoundTitle);
  });

  it("is JSON otherwise", async () => {
    for (const accept of [undefined, "application/json", "*/*"]) {
      const res = await app.request("/nowhere", accept ? { headers: { Accept: accept } } : {});
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect((await errorJson(res)).error.code).toBe("not_found");
    }
  });

  it("a status link with a malformed reference is not found, and the store is not asked", async () => {
    const res = await app.request("/status/not-a-reference?token=abc");
    expect(res.status).toBe(404);
    expect(cases.gets).toEqual([]);
  });

  it("a status link with a wrong token is not found", async () => {
    const res = await app.request("/status/IND-7K3M-Q9PX?token=abc");
    expect(res.status).toBe(404);
    expect((await errorJson(res)).error.code).toBe("not_found");
  });
});

describe("POST /api/requests: refused before anything is stored", () => {
  it("answers 415 for text/plain", async () => {
    const res = await app.request("/api/requests", {
      method: "POST",
      body: JSON.stringify({}),
      headers: { "Content-Type": "text/plain" },
    });
    expect(res.status).toBe(415);
    expect((await errorJson(res)).error.code).toBe("unsupported_media_type");
    expect(cases.created).toEqual([]);
  });

  it("answers 415 without a content type", async () => {
    const res = await app.request("/api/requests", { method: "POST", body: "{}" });
    expect(res.status).toBe(415);
  });

  it("answers 413 for a body over 64 KB", async () => {
    const body = JSON.stringify({ padding: "x".repeat(MAX_BODY_BYTES) });
    expect(MAX_BODY_BYTES).toBe(64 * 1024);
    const res = await app.request("/api/requests", {
      method: "POST",
      body,
      headers: { "Content-Type": "application/json", "Content-Length": String(body.length) },
    });
    expect(res.status).toBe(413);
    expect((await errorJson(res)).error.code).toBe("payload_too_large");
    expect(cases.created).toEqual([]);
  });

  it("answers 413 for a body over 64 KB sent without Content-Length", async () => {
    const res = await app.request("/api/requests", {
      method: "POST",
      body: JSON.stringify({ padding: "x".repeat(MAX_BODY_BYTES + 10) }),
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(413);
    expect(cases.created).toEqual([]);
  });

  it("answers 400 for invalid JSON", async () => {
    const res = await app.request("/api/requests", {
      method: "POST",
      body: "{not json",
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect((await errorJson(res)).error.code).toBe("validation_failed");
    expect(cases.created).toEqual([]);
  });

  it("answers 400 naming every bad field, with nothing stored", async () => {
    const res = await app.request("/api/requests", {
      method: "POST",
      body: JSON.stringify({ company: { cvr: "12345678" }, consent: true, extra: 1 }),
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(400);
    const body = await errorJson(res);
    const paths = body.error.fields.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(["company.cvr", "company.name", "contact", "request", "extra"]),
    );
    expect(cases.created).toEqual([]);
    expect(queues.sent).toEqual([]);
  });
});

describe("POST / (the form)", () => {
  it("a valid form is stored and redirects to its status page", async () => {
    const res = await postForm(VALID_FORM, "/?lang=da");
    expect(res.status).toBe(303);
    expect(cases.created).toHaveLength(1);
    const stored = cases.created[0];
    expect(stored?.record.payload.company.name).toBe("Café Nørrebro ApS");
    expect(stored?.record.payload.company.employees).toBe(14);
    const location = res.headers.get("location") ?? "";
    expect(location).toMatch(/^\/status\/IND-[0-9A-Z]{4}-[0-9A-Z]{4}\?token=[^&]+&submitted=1&lang=da$/);
    expect(queues.sent).toEqual([stored?.record.reference]);
  });

  it("is refused cross-origin (CSRF), with nothing stored", async () => {
    const res = await postForm(VALID_FORM, "/", { Origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(cases.created).toEqual([]);
  });

  it("is refused without an Origin header from a cross-site page", async () => {
    const res = await app.request("/", {
      method: "POST",
      body: formBody(VALID_FORM),
      headers: { "Sec-Fetch-Site": "cross-site" },
    });
    expect(res.status).toBe(403);
    expect(cases.created).toEqual([]);
  });

  it("is accepted from the configured public origin", async () => {
    const res = await postForm(VALID_FORM, "/", { Origin: BASE_URL });
    expect(res.status).toBe(303);
    expect(cases.created).toHaveLength(1);
  });

  it("with the honeypot filled: 303 as if accepted, nothing stored or queued", async () => {
    const res = await postForm({ ...VALID_FORM, website: "http://spam.example" }, "/?lang=en");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/?lang=en");
    expect(cases.created).toEqual([]);
    expect(queues.sent).toEqual([]);
    expect(log.lines.some((l) => l.message.includes("honeypot"))).toBe(true);
  });

  it("an empty honeypot does not stop a valid form", async () => {
    const res = await postForm({ ...VALID_FORM, website: "" });
    expect(res.status).toBe(303);
    expect(cases.created).toHaveLength(1);
  });

  it("is refused with 413 when over 64 KB", async () => {
    const res = await postForm({ ...VALID_FORM, "request.description": "x".repeat(MAX_BODY_BYTES) });
    expect(res.status).toBe(413);
    expect(cases.created).toEqual([]);
  });

  it("posted as multipart with a file: 400 with a page in the reader's language, nothing stored", async () => {
    const multipart = (lang: string) => {
      const body = new FormData();
      for (const [name, v] of Object.entries(VALID_FORM))
        for (const x of Array.isArray(v) ? v : [v]) body.append(name, x);
      body.set("request.description", new File(["Vi søger to kokke."], "beskrivelse.txt"));
      return app.request(`/?lang=${lang}`, {
        method: "POST",
        body,
        headers: { Origin: LOCAL_ORIGIN, Accept: "text/html" },
      });
    };
    const da = await multipart("da");
    expect(da.status).toBe(400);
    expect(await da.text()).toContain(publicMessages("da").problemTexts.validation_failed);
    const en = await multipart("en");
    expect(await en.text()).toContain(publicMessages("en").problemTexts.validation_failed);
    const json = await app.request("/", {
      method: "POST",
      body: (() => {
        const b = new FormData();
        b.append("company.name", new File(["x"], "x.txt"));
        return b;
      })(),
      headers: { Origin: LOCAL_ORIGIN },
    });
    expect(json.status).toBe(400);
    expect((await errorJson(json)).error.fields).toEqual([
      { path: "company.name", message: "must be text, not a file" },
    ]);
    expect(cases.created).toEqual([]);
  });

  describe("with validation errors", () => {
    const BAD_FORM = {
      ...VALID_FORM,
      "company.cvr": "12345678",
      "company.name": "<script>alert(1)</script>",
      "contact.email": "not-an-email",
      "request.description": 'kort "x"',
      consent: "",
    };

    it("re-renders the form with 400, nothing stored", async () => {
      const res = await postForm(BAD_FORM, "/?lang=da");
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      expect(cases.created).toEqual([]);
      expect(queues.sent).toEqual([]);
    });

    it("shows each error next to its field, in Danish", async () => {
      const m = publicMessages("da");
      const html = await (await postForm(BAD_FORM, "/?lang=da")).text();
      expect(html).toContain(m.errorSummary);
      expect(textOfId(html, "f-company-cvr-error")).toBe(m.err_cvr);
      expect(textOfId(html, "f-contact-email-error")).toBe(m.err_email);
      expect(textOfId(html, "f-request-description-error")).toBe(m.err_description);
      expect(textOfId(html, "err-consent")).toBe(m.err_consent);
      // fields without a problem have no error
      expect(html).not.toContain('id="f-company-name-error"');
      expect(html).not.toContain('id="f-contact-name-error"');
      // the control points at its error
      expect(html).toMatch(/<input[^>]*aria-describedby="f-company-cvr-help f-company-cvr-error"/);
      expect(html).toMatch(
        /<input[^>]*name="company\.cvr"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*name="company\.cvr"/,
      );
    });

    it("shows the errors in English when English was chosen", async () => {
      const m = publicMessages("en");
      const html = await (await postForm(BAD_FORM, "/?lang=en")).text();
      expect(html).toContain('<html lang="en">');
      expect(textOfId(html, "f-company-cvr-error")).toBe(m.err_cvr);
      expect(textOfId(html, "err-consent")).toBe(m.err_consent);
      expect(html).not.toContain(publicMessages("da").err_cvr);
    });

    it("links each error in the summary to its field", async () => {
      const html = await (await postForm(BAD_FORM, "/?lang=en")).text();
      expect(html).toContain(`<a href="#f-company-cvr">${publicMessages("en").err_cvr}</a>`);
      expect(html).toContain(`<a href="#f-consent">${publicMessages("en").err_consent}</a>`);
    });

    it("keeps the user's input, HTML-escaped", async () => {
      const html = await (await postForm(BAD_FORM, "/?lang=da")).text();
      expect(html).not.toContain("<script>alert(1)</script>");
      expect(html).not.toMatch(/<script/i);
      expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(html).toContain('value="12345678"');
      expect(html).toContain('value="not-an-email"');
      expect(html).toContain("kort &quot;x&quot;");
    });

    it("keeps the chosen checkboxes and selection", async () => {
      const html = await (await postForm(BAD_FORM, "/?lang=da")).text();
      expect(html).toMatch(/<option value="101" selected/);
      expect(html).toMatch(/value="recruitment" checked/);
      expect(html).not.toMatch(/value="growth" checked/);
    });
  });
});

describe("publicView", () => {
  const record: CaseRecord = {
    reference: "IND-7K3M-Q9PX",
    status: "claimed",
    receivedAt: "2025-03-01T09:00:00.000Z",
    updatedAt: "2025-03-02T10:00:00.000Z",
    payload: CAFE_PAYLOAD,
    tokenHash: sha256("secret-token"),
    consortiumId: "rar-hovedstaden",
    needs: ["recruitment"],
    primaryNeed: "recruitment",
    pending: false,
    timeline: [
      { at: "2025-03-01T09:00:00.000Z", event: "received", actor: "company" },
      {
        at: "2025-03-01T09:00:05.000Z",
        event: "routed",
        actor: "system",
        consortiumId: "rar-hovedstaden",
        detail: "rule recruitment-1",
      },
      { at: "2025-03-02T08:00:00.000Z", event: "note", actor: "staff-jens", detail: "Ring efter kl. 10" },
      { at: "2025-03-02T10:00:00.000Z", event: "claimed", actor: "staff-jens", detail: "Jens Jensen" },
    ],
  };

  it("shows status, needs, consortium and the public events", () => {
    expect(publicView(record)).toEqual({
      reference: "IND-7K3M-Q9PX",
      status: "claimed",
      needs: ["recruitment"],
      primaryNeed: "recruitment",
      consortiumId: "rar-hovedstaden",
      receivedAt: "2025-03-01T09:00:00.000Z",
      timeline: [
        { at: "2025-03-01T09:00:00.000Z", event: "received" },
        { at: "2025-03-01T09:00:05.000Z", event: "routed", consortiumId: "rar-hovedstaden" },
        { at: "2025-03-02T10:00:00.000Z", event: "claimed" },
      ],
    });
  });

  it("hides notes, actors, details, the payload and the token hash", () => {
    const json = JSON.stringify(publicView(record));
    for (const secret of [
      "note",
      "staff-jens",
      "Jens Jensen",
      "Ring efter",
      "actor",
      "detail",
      "mette",
      "11696422",
    ])
      expect(json).not.toContain(secret);
    expect(json).not.toContain(record.tokenHash);
  });

  it("conforms to the strict public schema", () => {
    expect(PublicCaseViewSchema.safeParse(publicView(record)).success).toBe(true);
  });

  it("gives null for a case without a consortium", () => {
    const { consortiumId: _, ...unrouted } = record;
    expect(publicView({ ...unrouted, primaryNeed: null, needs: [] }).consortiumId).toBeNull();
  });

  it("is what GET /status answers as JSON for the right token, and 404 for a wrong one", async () => {
    cases.records.set(record.reference, record);
    const ok = await app.request(`/status/${record.reference}?token=secret-token`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("cache-control")).toBe("no-store");
    expect(await ok.json()).toEqual(publicView(record));
    const wrong = await app.request(`/status/${record.reference}?token=other-token`);
    expect(wrong.status).toBe(404);
    expect(cases.gets).toEqual([record.reference, record.reference]);
  });
});

describe("openApiDocument", () => {
  const doc = openApiDocument();
  const schemas: Record<string, Record<string, unknown>> = doc.components.schemas;

  it("is OpenAPI 3.1.0", () => {
    expect(doc.openapi).toBe("3.1.0");
  });

  it("is what functions/http/api-docs/openapi.json holds, which the public app serves (else: npm run openapi)", () => {
    const served = JSON.parse(
      readFileSync(new URL("../../functions/http/api-docs/openapi.json", import.meta.url), "utf8"),
    );
    expect(served).toEqual(JSON.parse(JSON.stringify(doc)));
  });

  it("has the IntakePayload component: required company/contact/request/consent, no extra properties", () => {
    const payload = schemas.IntakePayload;
    expect(payload).toBeDefined();
    expect(payload?.type).toBe("object");
    expect(payload?.required).toEqual(expect.arrayContaining(["company", "contact", "request", "consent"]));
    expect(payload?.required).toHaveLength(4);
    expect(payload?.additionalProperties).toBe(false);
  });

  it("nested objects of IntakePayload allow no extra properties either", () => {
    const properties = schemas.IntakePayload?.properties as Record<string, Record<string, unknown>>;
    for (const section of ["company", "contact", "request"]) {
      expect(properties[section]?.additionalProperties).toBe(false);
    }
    expect(properties.company?.required).toEqual(["cvr", "name", "municipalityCode"]);
  });

  it("has the other components, and the request body refers to IntakePayload", () => {
    expect(Object.keys(schemas)).toEqual(
      expect.arrayContaining(["IntakePayload", "IntakeAccepted", "Error", "CaseStatus"]),
    );
    expect(doc.paths["/api/requests"].post.requestBody.content["application/json"].schema.$ref).toBe(
      "#/components/schemas/IntakePayload",
    );
    for (const s of Object.values(schemas)) {
      expect(s.$schema).toBeUndefined();
      expect(s.$id).toBeUndefined();
    }
  });

  it("is plain JSON", () => {
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });
});

describe("rate limiting of the public intake", () => {
  it("refuses a client over its limit with 429 and Retry-After, stores nothing, and leaves other clients alone", async () => {
    const limited = createPublicApp({
      cases,
      queues,
      log,
      metrics: NO_METRICS,
      now: () => "2025-03-01T09:00:00.000Z",
      consortia: async () => directory(DEFAULT_CONSORTIA),
      config: { PUBLIC_BASE_URL: BASE_URL },
      rateLimitPerMinute: 3,
      clientKey: (c) => c.req.header("x-client") ?? "?",
    });
    const send = (client: string, i: number) =>
      limited.request("/api/requests", {
        method: "POST",
        headers: { "content-type": "application/json", "x-client": client },
        body: JSON.stringify({
          company: { cvr: "11696422", name: "Café Nørrebro ApS", municipalityCode: "101" },
          contact: { name: "Mette", email: "mette@cafe.example.dk", language: "da" },
          request: { description: `Vi skal ansætte ${i} nye kokke.` },
          consent: true,
        }),
      });
    for (let i = 0; i < 3; i++) expect((await send("a", i)).status).toBe(202);
    const over = await send("a", 99);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(cases.created).toHaveLength(3);
    expect((await send("b", 1)).status).toBe(202);
  });
});

describe("problems shown to a browser", () => {
  it("a too-large form post gets a readable page in the user's language, not JSON", async () => {
    const res = await app.request("/?lang=da", {
      method: "POST",
      headers: {
        accept: "text/html",
        origin: LOCAL_ORIGIN,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ "request.description": "x".repeat(MAX_BODY_BYTES + 10) }),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain(problemText(publicMessages("da"), "payload_too_large"));
    expect(cases.created).toHaveLength(0);
  });
});
