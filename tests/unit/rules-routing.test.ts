import { describe, expect, it } from "vitest";
import { DEFAULT_CONSORTIA, municipalityMap } from "#shared/reference/consortia.ts";
import { type Campaign, campaignOverrides } from "#shared/rules/campaigns.ts";
import { defaultRuleSet } from "#shared/rules/default.ts";
import { type ClassificationInput, type CompiledRuleSet, compile } from "#shared/rules/engine.ts";
import { decideRoute } from "#shared/rules/routing.ts";
import { input, ruleSet, text } from "./rules-helpers.ts";

const map = municipalityMap(DEFAULT_CONSORTIA);

const compiled = compile(
  ruleSet([{ id: "g", need: "growth", weight: 2, when: text("eksport") }], {
    routing: {
      overrides: [
        { id: "to-manual", when: text("varsling"), to: { manualTriage: true }, reason: "redundancies" },
        {
          id: "to-bornholm",
          when: text("bornholm"),
          to: { consortiumId: "rar-bornholm" },
          reason: "island desk",
        },
        { id: "to-gone", when: text("gammelt"), to: { consortiumId: "rar-merged-away" }, reason: "old area" },
      ],
    },
  }),
  1,
);

/** The route of an input, analysed once for its classification and its route, as `decide` does. */
function routeOf(rules: CompiledRuleSet, i: ClassificationInput, municipalities = map) {
  const request = rules.analyse(i);
  return decideRoute(rules, request, rules.classify(request), municipalities);
}

function route(description: string, municipalityCode = "461") {
  return routeOf(compiled, input(description, { municipalityCode }));
}

describe("decideRoute", () => {
  it("routes a request with a need by its municipality", () => {
    expect(route("eksport", "461")).toEqual({
      consortiumId: "rar-fyn",
      queue: "consortium",
      reason: "municipality 461 belongs to rar-fyn",
      basis: { kind: "municipality", municipalityCode: "461", consortiumId: "rar-fyn" },
    });
  });

  it("sends a request with no applied need to its municipality's consortium, marked need unclear", () => {
    const r = route("vi vil gerne høre mere", "461");
    expect(r).toMatchObject({ consortiumId: "rar-fyn", queue: "consortium", needUnclear: true });
    expect(r.reason).toMatch(/no need/);
    expect(r.basis).toEqual({ kind: "needUnclear", municipalityCode: "461", consortiumId: "rar-fyn" });
    expect(r.overrideId).toBeUndefined();
    // A request with a need is not marked.
    expect(route("eksport", "461").needUnclear).toBeUndefined();
    // Need unclear and no consortium for the municipality: manual triage, still marked.
    expect(route("vi vil gerne høre mere", "999")).toMatchObject({
      queue: "manual",
      needUnclear: true,
      basis: { kind: "unknownMunicipality", municipalityCode: "999" },
    });
  });

  it("sends an unknown municipality to manual triage", () => {
    expect(route("eksport", "999")).toEqual({
      consortiumId: null,
      queue: "manual",
      reason: "municipality 999 belongs to no consortium",
      basis: { kind: "unknownMunicipality", municipalityCode: "999" },
    });
  });

  it("lets the first matching override win, even over a need and a municipality", () => {
    expect(route("eksport og varsling på bornholm")).toEqual({
      consortiumId: null,
      queue: "manual",
      reason: "redundancies",
      basis: { kind: "override", overrideId: "to-manual" },
      overrideId: "to-manual",
    });
    expect(route("eksport fra bornholm", "101")).toEqual({
      consortiumId: "rar-bornholm",
      queue: "consortium",
      reason: "island desk",
      basis: { kind: "override", overrideId: "to-bornholm" },
      overrideId: "to-bornholm",
    });
  });

  it("applies an override even when no need applies", () => {
    expect(route("varsling")).toMatchObject({ queue: "manual", overrideId: "to-manual" });
  });

  it("never routes an override into a consortium that is not in the map", () => {
    expect(route("eksport gammelt")).toEqual({
      consortiumId: null,
      queue: "manual",
      reason: "override to-gone names unknown consortium rar-merged-away",
      basis: { kind: "unknownConsortium", overrideId: "to-gone", consortiumId: "rar-merged-away" },
      overrideId: "to-gone",
    });
  });

  it("names a running campaign, its name and its team, ahead of the rule set's overrides", () => {
    const femern: Campaign = {
      id: "femern",
      name: "Femern-byggeriet",
      from: "2025-01-01",
      to: "2026-01-01",
      when: text("femern"),
      team: "Femern-taskforcen",
      consortiumId: "rar-sjaelland",
    };
    const doc = compiled.ruleSet;
    const withCampaign = compile(
      {
        ...doc,
        routing: {
          overrides: [...campaignOverrides([femern], "2025-06-01T00:00:00Z"), ...doc.routing.overrides],
        },
      },
      1,
    );
    const i = input("eksport og varsling, femern", { municipalityCode: "461" });
    expect(routeOf(withCampaign, i)).toEqual({
      consortiumId: "rar-sjaelland",
      queue: "consortium",
      reason: 'campaign "Femern-byggeriet": handled by Femern-taskforcen',
      basis: { kind: "campaign", campaignId: "femern", name: "Femern-byggeriet", team: "Femern-taskforcen" },
      overrideId: "campaign.femern",
    });
    // A campaign whose inbox was merged away: manual triage, saying which override named what.
    const gone = compile(
      {
        ...doc,
        routing: {
          overrides: campaignOverrides([{ ...femern, consortiumId: "rar-gone" }], "2025-06-01T00:00:00Z"),
        },
      },
      1,
    );
    expect(routeOf(gone, i)).toMatchObject({
      queue: "manual",
      basis: { kind: "unknownConsortium", overrideId: "campaign.femern", consortiumId: "rar-gone" },
    });
  });

  it("uses the map it is given: consortia can be split or merged", () => {
    const merged = new Map([...map].map(([code, id]) => [code, id === "rar-fyn" ? "rar-syd" : id]));
    const i = input("eksport", { municipalityCode: "461" });
    expect(routeOf(compiled, i, merged).consortiumId).toBe("rar-syd");
  });

  it("routes collective redundancies to the local consortium, tagged layoff, in the default rule set", () => {
    const defaults = compile(defaultRuleSet(), 1);
    for (const description of [
      "Vi skal desværre varsle afskedigelse af 40 medarbejdere",
      "Vi står over for en fyringsrunde og vil gerne hjælpe vores folk videre.",
      "Efter afskedigelserne i maj har vi brug for hjælp til de ansatte, der skal videre.",
      "We have to make 25 people redundant.",
    ]) {
      const i = input(description, { municipalityCode: "751" });
      expect(routeOf(defaults, i), description).toMatchObject({
        consortiumId: "rar-oestjylland",
        queue: "consortium",
        overrideId: "collective-redundancies",
        tag: "layoff",
        basis: { kind: "override", overrideId: "collective-redundancies" },
      });
    }
    // Not a layoff: the word in another sense is not enough.
    const hire = input("Vi vil gerne ansætte to smede.", { municipalityCode: "751" });
    expect(routeOf(defaults, hire).tag).toBeUndefined();
  });

  it("routes an override to the local consortium with its tag, and to manual triage without a consortium", () => {
    const local = compile(
      ruleSet([{ id: "g", need: "growth", weight: 2, when: text("eksport") }], {
        routing: {
          overrides: [
            {
              id: "lay",
              when: text("varsling"),
              to: { localConsortium: true },
              reason: "layoffs",
              tag: "layoff",
            },
          ],
        },
      }),
      1,
    );
    expect(routeOf(local, input("varsling", { municipalityCode: "461" }))).toEqual({
      consortiumId: "rar-fyn",
      queue: "consortium",
      reason: "layoffs",
      basis: { kind: "override", overrideId: "lay" },
      overrideId: "lay",
      needUnclear: true,
      tag: "layoff",
    });
    expect(routeOf(local, input("eksport og varsling", { municipalityCode: "999" }))).toMatchObject({
      consortiumId: null,
      queue: "manual",
      overrideId: "lay",
      tag: "layoff",
      basis: { kind: "unknownMunicipality", municipalityCode: "999" },
    });
  });
});
