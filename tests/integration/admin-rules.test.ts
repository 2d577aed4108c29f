import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "#shared/principal.ts";
import { defaultRuleSet } from "#shared/rules/default.ts";
import type { RuleSet } from "#shared/rules/ruleset-schema.ts";
import { aPayload, callApi, startTestService, submitAndDeliver } from "#tests/support/local.ts";

let svc: Awaited<ReturnType<typeof startTestService>>;
beforeAll(async () => {
  svc = await startTestService({ env: { RULES_CACHE_SECONDS: "0" } });
});
afterAll(async () => {
  await svc?.stop();
});

const admin: Principal = { sub: "u-admin", name: "Ada Admin", role: "admin" };
const fyn: Principal = { sub: "u-fyn", name: "Finn", role: "consultant", consortiumId: "rar-fyn" };

const api = (p: Principal | null, method: string, path: string, body?: unknown) =>
  callApi(svc, p, method, path, body);

/** The default rules plus an override that sends Odense's requests to Sydjylland. */
function draftWithOverride(): RuleSet {
  const doc = structuredClone(defaultRuleSet());
  doc.routing.overrides.unshift({
    id: "odense-to-syd",
    when: { type: "field", field: "municipalityCode", op: "in", value: ["461"] },
    to: { consortiumId: "rar-sydjylland" },
    reason: "Odense's cases are handled in Sydjylland this quarter",
  });
  return doc;
}

const submitDelivered = (municipalityCode: string, description: string) =>
  submitAndDeliver(svc, municipalityCode, description);

describe("rule lifecycle", () => {
  it("only administrators: consultants 403, anonymous 401", async () => {
    expect((await api(fyn, "GET", "/api/admin/rules")).status).toBe(403);
    expect((await api(null, "GET", "/api/admin/rules")).status).toBe(401);
    expect((await api(fyn, "POST", "/api/admin/rules/publish", { expectedActiveVersion: 1 })).status).toBe(
      403,
    );
    expect((await api(admin, "GET", "/api/admin/rules")).body.active.version).toBe(1);
  });

  it("rejects invalid drafts with precise paths, schema and static checks alike, and stores nothing", async () => {
    const wrongType = {
      ...structuredClone(defaultRuleSet()),
      rules: [{ ...defaultRuleSet().rules[0], weight: "x" }],
    };
    const r1 = await api(admin, "PUT", "/api/admin/rules/draft", wrongType);
    expect(r1.status).toBe(400);
    expect(r1.body.error.fields.map((f: { path: string }) => f.path)).toContain("rules.0.weight");

    const never = structuredClone(defaultRuleSet());
    never.rules.push({
      id: "impossible",
      need: "growth",
      weight: 1,
      when: {
        type: "all",
        of: [
          { type: "field", field: "employees", op: "gte", value: 100 },
          { type: "field", field: "employees", op: "lte", value: 10 },
        ],
      },
    });
    never.routing.overrides.push({
      id: "nowhere",
      when: { type: "needHint", need: "growth" },
      to: { consortiumId: "rar-atlantis" },
      reason: "typo",
    });
    never.couplings.push({
      id: "impossible",
      ifNeed: "growth",
      addFollowUp: "recruitment",
      reason: "dup id",
    });
    const r2 = await api(admin, "PUT", "/api/admin/rules/draft", never);
    expect(r2.status).toBe(400);
    const paths = r2.body.error.fields.map((f: { path: string }) => f.path);
    const n = never.rules.length - 1;
    expect(paths).toContain(`rules.${n}.when.of`);
    expect(paths).toContain(`routing.overrides.${never.routing.overrides.length - 1}.to.consortiumId`);
    expect(paths).toContain(`couplings.${never.couplings.length - 1}.id`);
    expect((await api(admin, "GET", "/api/admin/rules")).body.draft).toBeNull();
  });

  it("dry-run and backtest decide without storing anything", async () => {
    await submitDelivered("461", "Vi mangler tre kokke til restauranten.");
    await submitDelivered("461", "Vi vil gerne eksportere til Sverige.");
    await submitDelivered("751", "Vores smede skal på svejsekursus.");
    expect((await api(admin, "PUT", "/api/admin/rules/draft", draftWithOverride())).status).toBe(200);
    const before = await svc.ctx.cases.recentCases(svc.ctx.now(), 100);

    const dry = await api(admin, "POST", "/api/admin/rules/dry-run", {
      payload: { ...aPayload(), company: { ...aPayload().company, municipalityCode: "461" } },
      ruleSet: "draft",
    });
    expect(dry.status).toBe(200);
    expect(dry.body.decision.route).toMatchObject({
      consortiumId: "rar-sydjylland",
      overrideId: "odense-to-syd",
    });
    const dryActive = await api(admin, "POST", "/api/admin/rules/dry-run", {
      payload: { ...aPayload(), company: { ...aPayload().company, municipalityCode: "461" } },
      ruleSet: "active",
    });
    expect(dryActive.body.decision.route.consortiumId).toBe("rar-fyn");
    const badDry = await api(admin, "POST", "/api/admin/rules/dry-run", { payload: { company: {} } });
    expect(badDry.status).toBe(400);
    expect(badDry.body.error.fields.map((f: { path: string }) => f.path)).toContain("payload.company.cvr");

    const bt = await api(admin, "POST", "/api/admin/rules/backtest", { limit: 50 });
    expect(bt.status).toBe(200);
    expect(bt.body.compared).toBe(3);
    expect(bt.body.changed).toBe(2);
    type T = { from: { consortiumId: string; needs: string[] }; to: { consortiumId: string }; count: number };
    const moved = (bt.body.transitions as T[]).filter(
      (t) => t.from.consortiumId === "rar-fyn" && t.to.consortiumId === "rar-sydjylland",
    );
    // Counted per (from → to) consortium and need: a recruitment case and a growth case moved.
    expect(moved.map((t) => [t.from.needs, t.count])).toEqual(
      expect.arrayContaining([
        [["recruitment"], 1],
        [["growth"], 1],
      ]),
    );

    expect(await svc.ctx.cases.recentCases(svc.ctx.now(), 100)).toEqual(before);
    expect((await api(admin, "GET", "/api/admin/rules")).body.active.version).toBe(1);
  });

  it("publishes: the next request is routed by the new version; a stale publish is refused (409)", async () => {
    const pub = await api(admin, "POST", "/api/admin/rules/publish", { expectedActiveVersion: 1 });
    expect(pub.status).toBe(201);
    expect(pub.body.version).toBe(2);
    // Publishing used the draft up: it cannot go live a second time.
    expect((await api(admin, "GET", "/api/admin/rules")).body.draft).toBeNull();
    expect((await api(admin, "POST", "/api/admin/rules/publish", { expectedActiveVersion: 2 })).status).toBe(
      404,
    );
    // A publish made on a page read before someone else's publish is refused.
    expect((await api(admin, "PUT", "/api/admin/rules/draft", draftWithOverride())).status).toBe(200);
    expect((await api(admin, "POST", "/api/admin/rules/publish", { expectedActiveVersion: 1 })).status).toBe(
      409,
    );
    // The page says it in the reader's language.
    const onPage = await fetch(`${svc.url}/admin/rules/publish?lang=da`, {
      method: "POST",
      headers: {
        cookie: `indgang_session=${await svc.issueToken(admin)}`,
        origin: svc.url,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ expectedActiveVersion: "1" }),
    });
    expect(onPage.status).toBe(409);
    expect(await onPage.text()).toContain(
      "Intet blev udgivet: en anden har udgivet eller rullet tilbage imens",
    );
    expect((await api(admin, "POST", "/api/admin/rules/draft/discard")).status).toBe(200);

    const c = await submitDelivered("461", "Vi mangler en tømrer.");
    expect(c.decision?.ruleSetVersion).toBe(2);
    expect(c.consortiumId).toBe("rar-sydjylland");
    expect(c.decision?.route.overrideId).toBe("odense-to-syd");
  });

  it("rolls back by republishing an old version as a new one, with history and diffs", async () => {
    const rb = await api(admin, "POST", "/api/admin/rules/rollback", { toVersion: 1 });
    expect(rb.status).toBe(201);
    expect(rb.body.version).toBe(3);
    const c = await submitDelivered("461", "Vi mangler en tømrer mere.");
    expect(c.decision?.ruleSetVersion).toBe(3);
    expect(c.consortiumId).toBe("rar-fyn");

    const versions = await api(admin, "GET", "/api/admin/rules/versions");
    expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    const diff = await api(admin, "GET", "/api/admin/rules/diff?from=2&to=3");
    expect(diff.body.overrides.removed).toEqual(["odense-to-syd"]);
    expect((await api(admin, "POST", "/api/admin/rules/rollback", { toVersion: 3 })).status).toBe(409);
    expect((await api(admin, "POST", "/api/admin/rules/rollback", { toVersion: 99 })).status).toBe(404);
  });

  it("records every admin action in the audit log with actor and before/after", async () => {
    const audit = await api(admin, "GET", "/api/admin/audit");
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["rules.draft", "rules.publish", "rules.rollback"]));
    const publish = audit.body.items.find((e: { action: string }) => e.action === "rules.publish");
    expect(publish.actor.name).toBe("Ada Admin");
    expect(publish.before).toEqual({ version: 1 });
    expect(publish.after.version).toBe(2);
  });

  it("the rules page renders and its forms work without JavaScript", async () => {
    const token = await svc.issueToken(admin);
    const cookie = `indgang_session=${token}`;
    const page = await fetch(`${svc.url}/admin/rules`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('name="ruleSet"');
    const bad = await fetch(`${svc.url}/admin/rules/draft`, {
      method: "POST",
      headers: { cookie, origin: svc.url, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ruleSet: "{not json" }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Teksten er ikke gyldig JSON"); // the page's language: Danish first
    const badEn = await fetch(`${svc.url}/admin/rules/draft?lang=en`, {
      method: "POST",
      headers: { cookie, origin: svc.url, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ruleSet: "{not json" }),
    });
    expect(await badEn.text()).toContain("The text is not valid JSON");
    const consultantPage = await fetch(`${svc.url}/admin/rules`, {
      headers: { cookie: `indgang_session=${await svc.issueToken(fyn)}` },
    });
    expect(consultantPage.status).toBe(403);
  });

  it("a draft made stale by a rollback is refused until rebased or discarded; publishing uses it up", async () => {
    const active = (await api(admin, "GET", "/api/admin/rules")).body.active.version as number;
    const saved = await api(admin, "PUT", "/api/admin/rules/draft", draftWithOverride());
    expect(saved.body).toMatchObject({ basedOn: active, stale: false });

    // Someone rolls back meanwhile: the draft was made on a version that is no longer active.
    const rb = await api(admin, "POST", "/api/admin/rules/rollback", { toVersion: 1 });
    expect(rb.status).toBe(201);
    const after = (await api(admin, "GET", "/api/admin/rules")).body;
    expect(after.draft).toMatchObject({ basedOn: active, stale: true });
    const refused = await api(admin, "POST", "/api/admin/rules/publish", {
      expectedActiveVersion: rb.body.version,
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(`started from version ${active}`);
    // Saving over it keeps its base: an edit does not make it fresh.
    await api(admin, "PUT", "/api/admin/rules/draft", draftWithOverride());
    expect((await api(admin, "GET", "/api/admin/rules")).body.draft.stale).toBe(true);
    const versions = async () =>
      (await api(admin, "GET", "/api/admin/rules/versions")).body.items.map(
        (v: { version: number }) => v.version,
      );
    expect((await versions())[0]).toBe(rb.body.version);

    // The page refuses it in Danish and offers the way out, without a publish button.
    const cookie = `indgang_session=${await svc.issueToken(admin)}`;
    const html = await (await fetch(`${svc.url}/admin/rules?lang=da`, { headers: { cookie } })).text();
    expect(html).toContain('action="/admin/rules/draft/rebase"');
    expect(html).not.toContain('action="/admin/rules/publish"');
    const post = await fetch(`${svc.url}/admin/rules/publish?lang=da`, {
      method: "POST",
      headers: { cookie, origin: svc.url, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ expectedActiveVersion: String(rb.body.version) }),
    });
    expect(post.status).toBe(409);
    expect(await post.text()).toContain(`Kladden blev ikke udgivet: den er startet fra version ${active}`);

    // Rebased: a copy of the active version, nothing of the old draft; it publishes, once.
    const rebased = await api(admin, "POST", "/api/admin/rules/draft/rebase");
    expect(rebased.body).toMatchObject({ basedOn: rb.body.version, stale: false });
    expect(rebased.body.ruleSet.routing.overrides.map((o: { id: string }) => o.id)).not.toContain(
      "odense-to-syd",
    );
    const pub = await api(admin, "POST", "/api/admin/rules/publish", {
      expectedActiveVersion: rb.body.version,
    });
    expect(pub.status).toBe(201);
    expect((await api(admin, "GET", "/api/admin/rules")).body.draft).toBeNull();
    expect(
      (await api(admin, "POST", "/api/admin/rules/publish", { expectedActiveVersion: pub.body.version }))
        .status,
    ).toBe(404);

    // Discarded: gone, and nothing to publish.
    await api(admin, "PUT", "/api/admin/rules/draft", draftWithOverride());
    await api(admin, "POST", "/api/admin/rules/rollback", { toVersion: 1 });
    expect((await api(admin, "POST", "/api/admin/rules/draft/discard")).status).toBe(200);
    expect((await api(admin, "GET", "/api/admin/rules")).body.draft).toBeNull();
    expect((await api(admin, "POST", "/api/admin/rules/draft/discard")).status).toBe(404);
    const actions = (await api(admin, "GET", "/api/admin/audit")).body.items.map(
      (e: { action: string }) => e.action,
    );
    expect(actions).toEqual(expect.arrayContaining(["rules.draft.rebase", "rules.draft.discard"]));
  });
});
