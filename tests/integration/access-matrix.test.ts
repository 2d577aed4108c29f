import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStaffApp, STAFF_PATH_PREFIXES } from "#functions/http/staff-app.tsx";
import { devAuth } from "#local/dev-auth.ts";
import { DEV_PATH_PREFIXES, devSignIn } from "#local/dev-sign-in.tsx";
import type { Principal } from "#shared/principal.ts";
import { startTestService, submitAndDeliver } from "#tests/support/local.ts";

/**
 * The access matrix, generated from the staff app's own route table: every route × role. A route
 * whose path fits none of the classes below fails the test, so no route can be added unclassified.
 */
let svc: Awaited<ReturnType<typeof startTestService>>;
let app: ReturnType<typeof createStaffApp>;
const dev = devAuth("matrix-secret");
let caseOfFyn: string;

const ROLES: Record<string, Principal | null> = {
  anonymous: null,
  consultantA: { sub: "a", name: "A", role: "consultant", consortiumId: "rar-fyn" },
  consultantB: { sub: "b", name: "B", role: "consultant", consortiumId: "rar-sjaelland" },
  admin: { sub: "adm", name: "Admin", role: "admin" },
};

/** Routes anyone may call: signing in and out (they hold no case data). */
const OPEN = ["/signin", "/signout", "/auth/callback", "/api/dev/token"];

type Expect = "allowed" | "unauthenticated" | "forbidden" | "not_found";
function expected(path: string, role: string, ownCase: boolean): Expect {
  if (role === "anonymous") return "unauthenticated";
  if (path.startsWith("/api/admin") || path.startsWith("/admin"))
    return role === "admin" ? "allowed" : "forbidden";
  if (path.startsWith("/api/inbox") || path.startsWith("/inbox")) {
    if (path.includes(":id") && role === "consultantB" && ownCase) return "not_found";
    return "allowed";
  }
  throw new Error(`route ${path} is in no access class: add it to the matrix`);
}

beforeAll(async () => {
  svc = await startTestService({ env: { RULES_CACHE_SECONDS: "0" } });
  app = createStaffApp({
    ...svc.ctx,
    verifier: dev.verifier,
    devSignIn: devSignIn({ devTokens: dev.issue, consortia: svc.ctx.consortia }),
  });
  caseOfFyn = (await submitAndDeliver(svc, "461", "Vi skal ansætte en ny elektriker.")).reference;
});
afterAll(async () => {
  await svc?.stop();
});

describe("access matrix of every staff route", () => {
  it("classifies every route and answers each role as the rules say", async () => {
    const routes = app.routes.filter((r) => r.method !== "ALL" && !r.path.endsWith("*"));
    const unique = [...new Map(routes.map((r) => [`${r.method} ${r.path}`, r])).values()];
    expect(unique.length).toBeGreaterThan(25);
    for (const r of unique)
      expect(
        [...STAFF_PATH_PREFIXES, ...DEV_PATH_PREFIXES].some(
          (p) => r.path === p || r.path.startsWith(`${p}/`),
        ),
        r.path,
      ).toBe(true);

    const checked: string[] = [];
    for (const route of unique.filter((r) => !OPEN.includes(r.path))) {
      for (const [role, principal] of Object.entries(ROLES)) {
        const path = route.path
          .replace(":id", caseOfFyn)
          .replace(":couplingId", "none")
          .replace(":version", "1");
        const token = principal ? await dev.issue(principal) : undefined;
        const res = await app.request(path, {
          method: route.method,
          headers: {
            accept: "application/json",
            "content-type": "application/json",
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          ...(route.method === "GET" ? {} : { body: "{}" }),
        });
        const want = expected(route.path, role, true);
        const label = `${role} ${route.method} ${route.path} → ${res.status}`;
        if (want === "unauthenticated") expect(res.status, label).toBe(401);
        else if (want === "forbidden") expect(res.status, label).toBe(403);
        else if (want === "not_found") expect(res.status, label).toBe(404);
        else expect([401, 403], label).not.toContain(res.status);
        // Personal data: no browser or proxy may keep any staff answer, a refusal included.
        expect(res.headers.get("cache-control"), label).toBe("no-store");
        checked.push(label);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(4 * 25);
  });

  it("a consultant's token never opens another consortium's case, whatever the route", async () => {
    const token = await dev.issue(ROLES.consultantB as Principal);
    const caseRoutes = app.routes.filter((x) => x.path.includes("/cases/:id") && x.method !== "ALL");
    expect(caseRoutes.length).toBeGreaterThanOrEqual(10);
    for (const r of caseRoutes) {
      const res = await app.request(r.path.replace(":id", caseOfFyn).replace(":couplingId", "none"), {
        method: r.method,
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          accept: "application/json",
        },
        ...(r.method === "GET" ? {} : { body: "{}" }),
      });
      expect(res.status, `${r.method} ${r.path}`).toBe(404);
    }
    const after = await svc.ctx.cases.get(caseOfFyn);
    expect(after?.assignee?.sub).not.toBe("b");
    expect(after?.timeline.some((e) => e.actor === "b")).toBe(false);
  });
});
