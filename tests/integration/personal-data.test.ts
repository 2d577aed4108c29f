import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Principal } from "#shared/principal.ts";
import { aPayload, startTestService, waitFor } from "#tests/support/local.ts";

/**
 * Personal data: export and erasure on request, and none of it in the logs. The service logs at
 * DEBUG here, and every line it writes is captured.
 */
const logLines: string[] = [];
let svc: Awaited<ReturnType<typeof startTestService>>;
const admin: Principal = { sub: "u-admin", name: "Ada Admin", role: "admin" };
const CVR = "11777112";
const SECRET_NAME = "Karen Hemmeligsen";
const SECRET_EMAIL = "karen.hemmelig@firma.example.dk";
const SECRET_TEXT = "Vi mangler en særlig kok til Hemmelig-projektet";

beforeAll(async () => {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, "write").mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
      logLines.push(String(chunk));
      return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write);
  }
  vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => logLines.push(a.map(String).join(" ")));
  vi.spyOn(console, "info").mockImplementation((...a: unknown[]) => logLines.push(a.map(String).join(" ")));
  vi.spyOn(console, "warn").mockImplementation((...a: unknown[]) => logLines.push(a.map(String).join(" ")));
  vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => logLines.push(a.map(String).join(" ")));
  svc = await startTestService({ logLevel: "DEBUG" });
});
afterAll(async () => {
  await svc?.stop();
  vi.restoreAllMocks();
});

async function api(method: string, path: string, body?: unknown) {
  const token = await svc.issueToken(admin);
  const res = await fetch(`${svc.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function submit(email: string, description: string) {
  const p = aPayload();
  const res = await fetch(`${svc.url}/api/requests`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      ...p,
      company: { ...p.company, cvr: CVR },
      contact: { ...p.contact, name: SECRET_NAME, email, phone: "+45 12 34 56 78" },
      request: { description },
    }),
  });
  const { reference } = (await res.json()) as { reference: string };
  await waitFor(async () =>
    (await svc.ctx.cases.get(reference))?.status === "delivered" ? true : undefined,
  );
  return reference;
}

describe("personal data", () => {
  let mine: string;
  let colleague: string;

  it("exports everything held about a company, or about one contact of it", async () => {
    mine = await submit(SECRET_EMAIL, SECRET_TEXT);
    colleague = await submit("kollega@firma.example.dk", "Vi skal ansætte to nye smede til værkstedet.");
    const company = await api("GET", `/api/admin/personal-data?cvr=${CVR}`);
    expect(company.status).toBe(200);
    expect(company.body.cases.map((c: { reference: string }) => c.reference).sort()).toEqual(
      [mine, colleague].sort(),
    );
    const contact = await api(
      "GET",
      `/api/admin/personal-data?cvr=${CVR}&email=${encodeURIComponent(SECRET_EMAIL)}`,
    );
    expect(contact.body.cases).toHaveLength(1);
    expect(contact.body.cases[0].payload.contact.name).toBe(SECRET_NAME);
    expect(contact.body.cases[0].tokenHash).toBeUndefined();
    expect((await api("GET", "/api/admin/personal-data?cvr=123")).status).toBe(400);
  });

  it("erases a contact's data but keeps the anonymous facts for statistics", async () => {
    const token = await svc.issueToken({
      sub: "c",
      name: "Konsulent",
      role: "consultant",
      consortiumId: "rar-hovedstaden",
    });
    await fetch(`${svc.url}/api/inbox/cases/${mine}/notes`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ text: `Talte med ${SECRET_NAME}` }),
    });
    // A message to the company holds personal data too, and goes the same way.
    const message = await fetch(`${svc.url}/api/inbox/cases/${mine}/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ text: `Kære ${SECRET_NAME}, vi ringer i morgen.` }),
    });
    expect(message.status).toBe(201);
    const erased = await api("POST", "/api/admin/personal-data/erase", { cvr: CVR, email: SECRET_EMAIL });
    expect(erased.body.erased).toEqual([mine]);
    const c = await svc.ctx.cases.get(mine);
    const stored = JSON.stringify(c);
    expect(stored).not.toContain(SECRET_NAME);
    expect(stored).not.toContain(SECRET_EMAIL);
    expect(stored).not.toContain("Hemmelig-projektet");
    expect(stored).not.toContain(CVR);
    expect(c?.needs).toEqual(["recruitment"]);
    expect(c?.consortiumId).toBe("rar-hovedstaden");
    expect(c?.timeline.map((e) => e.event)).toEqual([
      "received",
      "routed",
      "delivered",
      "note",
      "message_to_company",
    ]);
    // The colleague's case is untouched, and the erased case left the company's history.
    expect((await svc.ctx.cases.get(colleague))?.payload.contact.email).toBe("kollega@firma.example.dk");
    expect((await svc.ctx.cases.companyCases(CVR)).map((x) => x.reference)).toEqual([colleague]);
    const audit = await api("GET", "/api/admin/audit");
    const entry = audit.body.items.find((e: { action: string }) => e.action === "personal-data.erase");
    expect(JSON.stringify(entry)).not.toContain(SECRET_EMAIL);
  });

  it("wrote no personal data to the logs while doing all of the above", async () => {
    const all = logLines.join("\n");
    expect(all.length).toBeGreaterThan(0);
    expect(all).toContain("case delivered"); // the logs were captured
    for (const secret of [SECRET_NAME, SECRET_EMAIL, "Hemmelig-projektet", "12 34 56 78", "kollega@firma"]) {
      expect(all, secret).not.toContain(secret);
    }
  });
});
