import { describe, expect, it } from "vitest";
import { DEFAULT_CONSORTIA, municipalityMap } from "../../shared/reference/consortia.ts";
import { defaultRuleSet } from "../../shared/rules/default.ts";
import { compile } from "../../shared/rules/engine.ts";
import { decideRoute } from "../../shared/rules/routing.ts";
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

function route(description: string, municipalityCode = "461") {
  const i = input(description, { municipalityCode });
  return decideRoute(compiled, i, compiled.classify(i), map);
}

describe("decideRoute", () => {
  it("routes a request with a need by its municipality", () => {
    expect(route("eksport", "461")).toEqual({
      consortiumId: "rar-fyn",
      queue: "consortium",
      reason: "municipality 461 belongs to rar-fyn",
    });
  });

  it("sends a request with no applied need to manual triage, saying so", () => {
    const r = route("vi vil gerne høre mere");
    expect(r).toMatchObject({ consortiumId: null, queue: "manual" });
    expect(r.reason).toMatch(/no need/);
    expect(r.overrideId).toBeUndefined();
  });

  it("sends an unknown municipality to manual triage", () => {
    expect(route("eksport", "999")).toEqual({
      consortiumId: null,
      queue: "manual",
      reason: "municipality 999 belongs to no consortium",
    });
  });

  it("lets the first matching override win, even over a need and a municipality", () => {
    expect(route("eksport og varsling på bornholm")).toEqual({
      consortiumId: null,
      queue: "manual",
      reason: "redundancies",
      overrideId: "to-manual",
    });
    expect(route("eksport fra bornholm", "101")).toEqual({
      consortiumId: "rar-bornholm",
      queue: "consortium",
      reason: "island desk",
      overrideId: "to-bornholm",
    });
  });

  it("applies an override even when no need applies", () => {
    expect(route("varsling")).toMatchObject({ queue: "manual", overrideId: "to-manual" });
  });

  it("never routes an override into a consortium that is not in the map", () => {
    expect(route("eksport gammelt")).toMatchObject({
      consortiumId: null,
      queue: "manual",
      overrideId: "to-gone",
    });
  });

  it("uses the map it is given: consortia can be split or merged", () => {
    const merged = new Map([...map].map(([code, id]) => [code, id === "rar-fyn" ? "rar-syd" : id]));
    const i = input("eksport", { municipalityCode: "461" });
    expect(decideRoute(compiled, i, compiled.classify(i), merged).consortiumId).toBe("rar-syd");
  });

  it("routes collective redundancies to manual triage in the default rule set", () => {
    const defaults = compile(defaultRuleSet(), 1);
    const i = input("Vi skal desværre varsle afskedigelse af 40 medarbejdere", { municipalityCode: "751" });
    expect(decideRoute(defaults, i, defaults.classify(i), map)).toMatchObject({
      queue: "manual",
      overrideId: "collective-redundancies",
    });
  });
});
