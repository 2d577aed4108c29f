import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "#shared/principal.ts";
import { startTestService } from "#tests/support/local.ts";

let svc: Awaited<ReturnType<typeof startTestService>>;
beforeAll(async () => {
  svc = await startTestService({ env: { RULES_CACHE_SECONDS: "0" } });
});
afterAll(async () => {
  await svc?.stop();
});

const admin: Principal = { sub: "u-admin", name: "Ada Admin", role: "admin" };
const fyn: Principal = { sub: "u-fyn", name: "Finn", role: "consultant", consortiumId: "rar-fyn" };

/** A page as a browser asks for it: signed in as `who` (or nobody). */
async function page(who: Principal | null, path: string) {
  const headers: Record<string, string> = { accept: "text/html" };
  if (who) headers.cookie = `indgang_session=${await svc.issueToken(who)}`;
  const res = await fetch(`${svc.url}${path}`, { headers });
  return { status: res.status, html: await res.text() };
}

describe("every page is HTML5", () => {
  it("a public page, an inbox page, an admin page and a 404 start with the doctype", async () => {
    for (const [who, path, status] of [
      [null, "/", 200],
      [null, "/api/docs", 200],
      [fyn, "/inbox", 200],
      [admin, "/admin/rules", 200],
      [admin, "/inbox/IND-NONE-XXXX", 404],
    ] as const) {
      const r = await page(who, path);
      expect(r.status, path).toBe(status);
      expect(r.html.startsWith("<!DOCTYPE html><html lang="), path).toBe(true);
    }
  });
});
