import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "#shared/principal.ts";
import { defaultRuleSet } from "#shared/rules/default.ts";
import { MAX_CONDITION_DEPTH, MAX_CONDITIONS_PER_TREE } from "#shared/rules/ruleset-schema.ts";
import { callApi, startTestService } from "#tests/support/local.ts";

/**
 * Admin documents are stored as one DynamoDB item (32 levels of nesting at most) and checked by zod,
 * which recurses. A rule or campaign condition nested 40 deep passed validation and then failed in
 * DynamoDB ("Nesting Levels have exceeded"), 10,000 deep overflowed zod's stack: both were 500s.
 */
let svc: Awaited<ReturnType<typeof startTestService>>;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(async () => {
  await svc?.stop();
});

const admin: Principal = { sub: "u-admin", name: "Ada Admin", role: "admin" };
const api = (method: string, path: string, body?: unknown) => callApi(svc, admin, method, path, body);

/** A JSON body with `"$DEEP"` replaced by the JSON text of `deep` (too deep for JSON.stringify here). */
async function apiRaw(method: string, path: string, body: unknown, deep: string) {
  const json = JSON.stringify(body).replace('"$DEEP"', deep);
  const res = await fetch(`${svc.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${await svc.issueToken(admin)}`, "content-type": "application/json" },
    body: json,
  });
  return { status: res.status, body: await res.json() };
}

/** `{"type":"not","condition":{"type":"all","of":[ … {"type":"text","anyOf":["zzqx"]} … ]}}`, as JSON text. */
function nestedJson(depth: number): string {
  const open: string[] = [];
  const close: string[] = [];
  for (let i = 1; i < depth; i++) {
    open.push(i % 2 ? '{"type":"not","condition":' : '{"type":"all","of":[');
    close.push(i % 2 ? "}" : "]}");
  }
  return `${open.join("")}{"type":"text","anyOf":["zzqx"]}${close.reverse().join("")}`;
}
const nested = (depth: number): unknown => JSON.parse(nestedJson(depth));

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe("condition trees too deep to store", () => {
  for (const depth of [40, 10_000]) {
    it(`a rule draft nested ${depth} deep is a 400 at its field, and nothing is stored`, async () => {
      const doc = structuredClone(defaultRuleSet());
      const first = doc.rules[0];
      if (!first) throw new Error("the default rules have rules");
      const draft = { ...doc, rules: [{ ...first, when: "$DEEP" }, ...doc.rules.slice(1)] };
      const res = await apiRaw("PUT", "/api/admin/rules/draft", draft, nestedJson(depth));
      expect(res.status).toBe(400);
      expect(res.body.error.fields).toContainEqual({
        path: "rules.0.when",
        message: "conditions may nest at most 12 deep and hold at most 500",
      });
      expect((await api("GET", "/api/admin/rules")).body.draft ?? null).toBeNull();
    });

    it(`a campaign condition nested ${depth} deep is a 400 at its field`, async () => {
      const campaign = {
        id: "deep",
        name: "Dyb",
        from: day(-1),
        to: day(30),
        when: "$DEEP",
        team: "Holdet",
        consortiumId: "rar-fyn",
      };
      const res = await apiRaw("PUT", "/api/admin/campaigns/deep", campaign, nestedJson(depth));
      expect(res.status).toBe(400);
      expect(res.body.error.fields[0].path).toBe("when");
    });
  }

  it("the default rules' deepest tree (6) and a 12-deep one still pass", async () => {
    const doc = structuredClone(defaultRuleSet());
    const first = doc.rules[0];
    if (!first) throw new Error("the default rules have rules");
    const res = await api("PUT", "/api/admin/rules/draft", {
      ...doc,
      rules: [{ ...first, when: { type: "any", of: [first.when, nested(11)] } }, ...doc.rules.slice(1)],
    });
    expect(res.status).toBe(200);
  });
});

describe("condition trees of generated depth and width", () => {
  /** `kinds` as nested combinators around one `any` of `leaves` text conditions, as JSON text. */
  function treeJson(kinds: readonly ("not" | "all" | "any")[], leaves: number): string {
    const leaf = '{"type":"text","anyOf":["zzqx"]}';
    let json = `{"type":"any","of":[${Array.from({ length: leaves }, () => leaf).join(",")}]}`;
    for (const kind of [...kinds].reverse())
      json = kind === "not" ? `{"type":"not","condition":${json}}` : `{"type":"${kind}","of":[${json}]}`;
    return json;
  }

  const KIND = fc.constantFrom<"not" | "all" | "any">("not", "all", "any");

  it("a rule draft is stored exactly when within the limits, otherwise a 400 at its field; never a 5xx", async () => {
    const doc = structuredClone(defaultRuleSet());
    const first = doc.rules[0];
    if (!first) throw new Error("the default rules have rules");
    const draft = { ...doc, rules: [{ ...first, when: "$DEEP" }, ...doc.rules.slice(1)] };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.array(KIND, { maxLength: 14 }),
          // Deep ones: a generated pattern repeated to a generated depth (fc.array stays short).
          fc
            .tuple(fc.array(KIND, { minLength: 1, maxLength: 5 }), fc.integer({ min: 14, max: 20_000 }))
            .map(([pattern, depth]) =>
              Array.from({ length: depth }, (_, i) => pattern[i % pattern.length] ?? "not"),
            ),
        ),
        fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 480, max: 700 })),
        async (kinds, leaves) => {
          const depth = kinds.length + 2;
          const count = kinds.length + 1 + leaves;
          const within = depth <= MAX_CONDITION_DEPTH && count <= MAX_CONDITIONS_PER_TREE;
          const res = await apiRaw("PUT", "/api/admin/rules/draft", draft, treeJson(kinds, leaves));
          expect(res.status, `depth ${depth}, ${count} conditions`).toBe(within ? 200 : 400);
          if (!within)
            expect(res.body.error.fields.map((f: { path: string }) => f.path)).toEqual(["rules.0.when"]);
        },
      ),
      { numRuns: 60 },
    );
  });
});
