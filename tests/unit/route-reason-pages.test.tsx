import { beforeEach, describe, expect, it } from "vitest";
import { createContext } from "#functions/commons/context.ts";
import { JsonLog } from "#functions/commons/json-logger.ts";
import { RulesPage } from "#functions/http/admin/rules/page.tsx";
import { adminMessages } from "#functions/http/i18n/admin-messages.ts";
import { createStaffApp, SESSION_COOKIE } from "#functions/http/staff-app.tsx";
import { devAuth } from "#local/dev-auth.ts";
import type { CaseRecord, Decision, TimelineEntry } from "#shared/cases/model.ts";
import type { IntakePayload } from "#shared/intake/request-schema.ts";
import type { Principal } from "#shared/principal.ts";
import { DEFAULT_CONSORTIA, municipalityMap } from "#shared/reference/consortia.ts";
import { directory } from "#shared/reference/consortium-directory.ts";
import { campaignOverrides } from "#shared/rules/campaigns.ts";
import { defaultRuleSet } from "#shared/rules/default.ts";
import { compile } from "#shared/rules/engine.ts";
import { decide } from "#shared/triage.ts";
import { CAFE_PAYLOAD, FakeCaseStore, offlineConfig } from "#tests/support/fakes.ts";

/**
 * Why a case went where it went, as the case page and the rule dry-run say it: in the reader's
 * language, from the route's basis, with the municipality's and consortium's names.
 */

// Nothing here reaches storage: the case store is a fake and the consortia are the shipped ones.
const ctx = createContext(offlineConfig(), new JsonLog({ level: "SILENT" }));
const dev = devAuth("unit-test-secret");
const NOW = "2025-03-01T09:00:00.000Z";
const admin: Principal = { sub: "u-admin", name: "Ada Admin", role: "admin" };
const rules = compile(defaultRuleSet(), 1);
const map = municipalityMap(DEFAULT_CONSORTIA);

/** The company's other cases are not what these tests are about. */
class Store extends FakeCaseStore {
  override async companyCases(): Promise<CaseRecord[]> {
    return [];
  }
}

let store: Store;
let app: ReturnType<typeof createStaffApp>;

beforeEach(() => {
  store = new Store();
  app = createStaffApp({
    ...ctx,
    cases: store,
    consortia: async () => directory(DEFAULT_CONSORTIA),
    now: () => NOW,
    verifier: dev.verifier,
  });
});

/** A triaged case as the triage worker leaves it: the decision, and the timeline entry it wrote. */
function triaged(reference: string, decision: Decision, payload: IntakePayload = CAFE_PAYLOAD): void {
  const manual = decision.route.queue === "manual";
  // As CaseStore.recordDecision writes it.
  const entry: TimelineEntry = {
    at: NOW,
    event: manual ? "manual_triage" : "routed",
    actor: "system",
    ...(decision.route.consortiumId ? { consortiumId: decision.route.consortiumId } : {}),
    detail: decision.route.reason,
  };
  store.records.set(reference, {
    reference,
    status: manual ? "manual_triage" : "routed",
    receivedAt: NOW,
    updatedAt: NOW,
    payload,
    tokenHash: "x",
    decision,
    ...(decision.route.consortiumId ? { consortiumId: decision.route.consortiumId } : {}),
    needs: decision.needs,
    primaryNeed: decision.primaryNeed,
    pending: false,
    timeline: [{ at: NOW, event: "received", actor: "company" }, entry],
  });
}

async function casePage(reference: string, lang: "da" | "en"): Promise<string> {
  const token = await dev.issue(admin);
  const res = await app.request(`/inbox/cases/${reference}?lang=${lang}`, {
    headers: { accept: "text/html", cookie: `${SESSION_COOKIE}=${token}` },
  });
  expect(res.status).toBe(200);
  return res.text();
}

/** The routing line of the "why here" panel, and the triage entry of the timeline. */
function said(html: string) {
  return {
    why: /<h2 id="h-why">[\s\S]*?<p>(?:Fordeling|Routing): ([^<]*)<\/p>/.exec(html)?.[1],
    timeline: /<ol class="timeline">[\s\S]*?<li>[\s\S]*?<\/li>\s*<li>([\s\S]*?)<\/li>/.exec(html)?.[1],
  };
}

describe("the case page says why in the reader's language", () => {
  const copenhagen = () => decide(CAFE_PAYLOAD, rules, map, NOW);

  it("Danish: the municipality's and the consortium's names, not the English sentence", async () => {
    const decision = copenhagen();
    expect(decision.route.basis).toEqual({
      kind: "municipality",
      municipalityCode: "101",
      consortiumId: "rar-hovedstaden",
    });
    triaged("IND-1", decision);
    const html = await casePage("IND-1", "da");
    const { why, timeline } = said(html);
    expect(why).toBe("Kommunen København (101) hører til Konsortium Hovedstaden");
    expect(timeline).toContain("Kommunen København (101) hører til Konsortium Hovedstaden");
    expect(html).not.toContain("belongs to");
  });

  it("English: the same, in English", async () => {
    triaged("IND-2", copenhagen());
    const { why, timeline } = said(await casePage("IND-2", "en"));
    expect(why).toBe("The municipality København (101) belongs to Konsortium Hovedstaden");
    expect(timeline).toContain("The municipality København (101) belongs to Konsortium Hovedstaden");
  });

  it("no need: the local consortium reads the request, need unclear", async () => {
    const payload = {
      ...CAFE_PAYLOAD,
      request: { description: "Hej, vi vil gerne høre mere.", needHints: [] },
    };
    const decision = decide(payload, rules, map, NOW);
    expect(decision.route.basis).toEqual({
      kind: "needUnclear",
      municipalityCode: "101",
      consortiumId: "rar-hovedstaden",
    });
    triaged("IND-3", decision, payload);
    const { why, timeline } = said(await casePage("IND-3", "da"));
    expect(why).toBe(
      "Behov uafklaret: kommunen København (101) hører til Konsortium Hovedstaden, hvis konsulenter læser henvendelsen",
    );
    expect(timeline).toContain("Behov uafklaret");
  });

  it("an administrator's override is shown as the administrator wrote it", async () => {
    const payload = {
      ...CAFE_PAYLOAD,
      request: { description: "Vi skal desværre varsle afskedigelse af 40 medarbejdere", needHints: [] },
    };
    const decision = decide(payload, rules, map, NOW);
    expect(decision.route.basis).toEqual({ kind: "override", overrideId: "collective-redundancies" });
    const written = defaultRuleSet().routing.overrides.find(
      (o) => o.id === "collective-redundancies",
    )?.reason;
    triaged("IND-4", decision, payload);
    const { why, timeline } = said(await casePage("IND-4", "da"));
    expect(why).toBe(written);
    expect(timeline).toContain(written);
  });

  it("a campaign: its name and team as written, escaped by the page", async () => {
    const [override] = campaignOverrides(
      [
        {
          id: "femern",
          name: "Femern <byggeriet>",
          from: "2025-01-01",
          to: "2026-01-01",
          when: { type: "text", anyOf: ["femern"] },
          team: "Femern-taskforcen",
          consortiumId: "rar-sjaelland",
        },
      ],
      NOW,
    );
    if (!override) throw new Error("the campaign runs");
    const doc = defaultRuleSet();
    const withCampaign = compile({ ...doc, routing: { overrides: [override, ...doc.routing.overrides] } }, 1);
    const payload = {
      ...CAFE_PAYLOAD,
      request: { description: "Vi skal ansætte 30 tømrere til Femern-byggeriet.", needHints: [] },
    };
    triaged("IND-5", decide(payload, withCampaign, map, NOW), payload);
    const html = await casePage("IND-5", "da");
    expect(said(html).why).toBe("Kampagnen “Femern &lt;byggeriet&gt;”: håndteres af Femern-taskforcen");
    expect(html).not.toContain("<byggeriet>");
  });

  it("a municipality the consortium map has lost", async () => {
    const without = new Map([...map].filter(([code]) => code !== "101"));
    triaged("IND-6", decide(CAFE_PAYLOAD, rules, without, NOW));
    expect(said(await casePage("IND-6", "da")).why).toBe(
      "Kommunen København (101) hører ikke til noget konsortium",
    );
  });

  it("a decision stored before routes had a basis shows its English reason", async () => {
    const { basis: _, ...old } = copenhagen().route;
    triaged("IND-7", { ...copenhagen(), route: old });
    const { why, timeline } = said(await casePage("IND-7", "da"));
    expect(why).toBe("municipality 101 belongs to rar-hovedstaden");
    expect(timeline).toContain("municipality 101 belongs to rar-hovedstaden");
  });

  it("other timeline entries keep their own text", async () => {
    triaged("IND-8", copenhagen());
    const c = store.records.get("IND-8");
    if (!c) throw new Error("stored");
    c.timeline.push({
      at: NOW,
      event: "transferred",
      actor: "u-admin",
      actorName: "Ada Admin",
      consortiumId: "rar-fyn",
      detail: "Produktionen ligger i Odense",
    });
    expect(await casePage("IND-8", "da")).toContain("Produktionen ligger i Odense");
  });
});

describe("the rule dry-run says why in the reader's language", () => {
  it("Danish", async () => {
    const m = adminMessages("da");
    const html = await (
      <RulesPage
        lang="da"
        m={m}
        path="/admin/rules/dry-run"
        user={admin}
        rules={{
          active: { version: 1, publishedAt: null, publishedBy: null, ruleSet: defaultRuleSet() },
          draft: null,
        }}
        versions={[]}
        state={{ dryRun: { ruleSet: "active", decision: decide(CAFE_PAYLOAD, rules, map, NOW) } }}
      />
    ).toString();
    expect(html).toContain("<p>Kommunen København (101) hører til rar-hovedstaden</p>");
    expect(html).not.toContain("belongs to");
  });
});
