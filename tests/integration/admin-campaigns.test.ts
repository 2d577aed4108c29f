import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "#shared/principal.ts";
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

const submit = (municipalityCode: string, description: string) =>
  submitAndDeliver(svc, municipalityCode, description);

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe("campaigns", () => {
  const campaign = {
    id: "femern",
    name: "Femern-byggeriet",
    from: day(-1),
    to: day(30),
    when: { type: "text", anyOf: ["femern"] },
    team: "Femern-taskforcen",
    consortiumId: "rar-sjaelland",
  };

  it("validates a campaign: bad dates, unknown consortium, bad condition → 400 with paths", async () => {
    const bad = await api(admin, "PUT", "/api/admin/campaigns/femern", {
      ...campaign,
      to: day(-5),
      when: { type: "text", anyOf: [] },
    });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["when.anyOf", "to"]));
    const unknown = await api(admin, "PUT", "/api/admin/campaigns/femern", {
      ...campaign,
      consortiumId: "nowhere",
    });
    expect(unknown.status).toBe(400);
    expect(
      (
        await api(
          { sub: "c", name: "C", role: "consultant", consortiumId: "rar-fyn" },
          "PUT",
          "/api/admin/campaigns/femern",
          campaign,
        )
      ).status,
    ).toBe(403);
  });

  it("tags matching requests, routes them to the campaign's team, and counts them", async () => {
    expect((await api(admin, "PUT", "/api/admin/campaigns/femern", campaign)).status).toBe(200);
    const caught = await submit("101", "Vi skal ansætte 30 tømrere til Femern-byggeriet.");
    expect(caught.consortiumId).toBe("rar-sjaelland");
    expect(caught.campaignId).toBe("femern");
    expect(caught.decision?.route.reason).toContain("Femern-taskforcen");
    const other = await submit("101", "Vi skal ansætte 3 tømrere.");
    expect(other.consortiumId).toBe("rar-hovedstaden");
    expect(other.campaignId).toBeUndefined();

    const list = await api(admin, "GET", "/api/admin/campaigns");
    const femern = list.body.items.find((c: { id: string }) => c.id === "femern");
    expect(femern.running).toBe(true);
    expect(femern.counts.total).toBe(1);
    expect(femern.counts.byStatus.delivered).toBe(1);
  });

  it("stops routing when the campaign has ended", async () => {
    expect(
      (await api(admin, "PUT", "/api/admin/campaigns/femern", { ...campaign, from: day(-10), to: day(-2) }))
        .status,
    ).toBe(200);
    const after = await submit("101", "Vi skal ansætte 40 tømrere til Femern-byggeriet.");
    expect(after.consortiumId).toBe("rar-hovedstaden");
    const audit = await api(admin, "GET", "/api/admin/audit");
    expect(audit.body.items.filter((e: { action: string }) => e.action === "campaigns.put")).toHaveLength(2);
  });
});
