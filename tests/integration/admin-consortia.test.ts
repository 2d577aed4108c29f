import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "#shared/principal.ts";
import type { Consortium } from "#shared/reference/consortia.ts";
import { callApi, startTestService, submitAndDeliver } from "#tests/support/local.ts";

let svc: Awaited<ReturnType<typeof startTestService>>;
beforeAll(async () => {
  svc = await startTestService({ env: { RULES_CACHE_SECONDS: "0" } });
});
afterAll(async () => {
  await svc?.stop();
});

const admin: Principal = { sub: "u-admin", name: "Ada Admin", role: "admin" };

const api = (p: Principal | null, method: string, path: string, body?: unknown) =>
  callApi(svc, p, method, path, body);

describe("consortia and the municipality map", () => {
  it("lists the eight default consortia to administrators only", async () => {
    const list = await api(admin, "GET", "/api/admin/consortia");
    expect(list.body.consortia.map((c: Consortium) => c.id)).toHaveLength(8);
    expect(
      (
        await api(
          { sub: "c", name: "C", role: "consultant", consortiumId: "rar-fyn" },
          "GET",
          "/api/admin/consortia",
        )
      ).status,
    ).toBe(403);
    expect((await api(null, "GET", "/api/admin/consortia")).status).toBe(401);
  });

  it("refuses a map that leaves a municipality out or puts one twice (400), and changes nothing", async () => {
    const { consortia } = (await api(admin, "GET", "/api/admin/consortia")).body as {
      consortia: Consortium[];
    };
    const fyn = consortia.find((c) => c.id === "rar-fyn") as Consortium;
    const leaveOut = await api(admin, "PUT", "/api/admin/consortia/rar-fyn", {
      ...fyn,
      municipalities: fyn.municipalities.filter((m) => m !== "461"),
    });
    expect(leaveOut.status).toBe(400);
    expect(JSON.stringify(leaveOut.body.error.fields)).toContain("461");
    const twice = await api(admin, "PUT", "/api/admin/consortia/rar-fyn", {
      ...fyn,
      municipalities: [...fyn.municipalities, "101"],
    });
    expect(twice.status).toBe(400);
    expect(JSON.stringify(twice.body.error.fields)).toContain("101");
    const wrongId = await api(admin, "PUT", "/api/admin/consortia/rar-fyn", { ...fyn, id: "rar-other" });
    expect(wrongId.status).toBe(400);
    expect((await api(admin, "GET", "/api/admin/consortia")).body.version).toBe(0);
  });

  it("splits an area: the new consortium gets its queue, and the next request from there is delivered to it", async () => {
    const { consortia } = (await api(admin, "GET", "/api/admin/consortia")).body as {
      consortia: Consortium[];
    };
    const fyn = consortia.find((c) => c.id === "rar-fyn") as Consortium;
    const odense: Consortium = {
      ...fyn,
      id: "odense",
      name: "Konsortium Odense",
      municipalities: ["461"],
    };
    const next = [
      ...consortia.map((c) =>
        c.id === "rar-fyn" ? { ...c, municipalities: c.municipalities.filter((m) => m !== "461") } : c,
      ),
      odense,
    ];
    const saved = await api(admin, "PUT", "/api/admin/consortia", next);
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(1);

    const c = await submitAndDeliver(svc, "461", "Vi skal ansætte to bagere.");
    expect(c.consortiumId).toBe("odense");
    const audit = await api(admin, "GET", "/api/admin/audit");
    expect(audit.body.items.some((e: { action: string }) => e.action === "consortia.replace")).toBe(true);
  });
});
