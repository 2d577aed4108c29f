import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "#shared/principal.ts";
import { aPayload, startTestService, waitFor } from "#tests/support/local.ts";

let svc: Awaited<ReturnType<typeof startTestService>>;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await svc?.stop();
});

const admin: Principal = { sub: "u-admin", name: "Ada Admin", role: "admin" };
const CVR = "11777112";

async function submit(email: string) {
  const p = aPayload();
  const res = await fetch(`${svc.url}/api/requests`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      ...p,
      company: { ...p.company, cvr: CVR, name: "Smedjen ApS" },
      contact: { ...p.contact, email },
      request: { description: `Vi mangler en smed (${email}).` },
    }),
  });
  const { reference } = (await res.json()) as { reference: string };
  await waitFor(async () => ((await svc.ctx.cases.get(reference))?.deliveredAt ? true : undefined));
  return reference;
}

async function page(method: "GET" | "POST", path: string, form?: Record<string, string>) {
  const res = await fetch(`${svc.url}${path}`, {
    method,
    headers: {
      cookie: `indgang_session=${await svc.issueToken(admin)}`,
      accept: "text/html",
      ...(form ? { origin: svc.url, "content-type": "application/x-www-form-urlencoded" } : {}),
    },
    ...(form ? { body: new URLSearchParams(form) } : {}),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

describe("the personal-data page", () => {
  it("finds, exports, confirms exactly what it will erase, erases, and confirms after", async () => {
    const mine = await submit("karen@smedjen.example.dk");
    const other = await submit("ole@smedjen.example.dk");
    const email = encodeURIComponent("karen@smedjen.example.dk");

    const empty = await page("GET", "/admin/personal-data?lang=da");
    expect(empty.status).toBe(200);
    expect(empty.text).toContain('<label for="f-cvr">CVR-nummer</label>');
    const bad = await page("GET", "/admin/personal-data?cvr=123&lang=da");
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("Skriv et CVR-nummer med 8 cifre");

    const company = await page("GET", `/admin/personal-data?cvr=${CVR}&lang=da`);
    expect(company.text).toContain("Fundne sager: 2");
    const found = await page("GET", `/admin/personal-data?cvr=${CVR}&email=${email}&lang=da`);
    expect(found.text).toContain("Fundne sager: 1");
    expect(found.text).toContain(mine);
    expect(found.text).not.toContain(other);

    const exported = await page("GET", `/admin/personal-data/export?cvr=${CVR}&email=${email}`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-disposition")).toBe(
      `attachment; filename="personal-data-${CVR}.json"`,
    );
    expect(JSON.parse(exported.text).cases.map((c: { reference: string }) => c.reference)).toEqual([mine]);

    const confirm = await page("GET", `/admin/personal-data?cvr=${CVR}&email=${email}&confirm=1&lang=da`);
    expect(confirm.text).toContain("Bekræft sletning: 1");
    expect(confirm.text).toContain("Disse 1 sager bliver anonymiseret");
    expect(confirm.text).toContain('action="/admin/personal-data/erase"');
    // Nothing is erased by looking.
    expect((await svc.ctx.cases.get(mine))?.payload.contact.email).toBe("karen@smedjen.example.dk");

    const erased = await page("POST", "/admin/personal-data/erase?lang=da", {
      cvr: CVR,
      email: "karen@smedjen.example.dk",
    });
    expect(erased.status).toBe(200);
    expect(erased.text).toContain(`Slettet: 1 sager. ${mine}`);
    expect((await svc.ctx.cases.get(mine))?.payload.contact.email).toBe("erased@invalid");
    expect((await svc.ctx.cases.get(other))?.payload.contact.email).toBe("ole@smedjen.example.dk");
    expect((await page("GET", `/admin/personal-data?cvr=${CVR}&lang=en`)).text).toContain("Cases found: 1");
  });
});
