/**
 * The benchmark's own logic, not its timings (those belong to `npm run bench`): the generated rule
 * set is valid and reproducible, the json-rules-engine translations decide like Indgang's engine,
 * and the call tally splits and sums what the SDK reports.
 */
import { describe, expect, it } from "vitest";
import { CONFIG_SUFFIX, Tally } from "#bench/aws-calls.ts";
import { generateRuleSet, jsonRulesEngineFor } from "#bench/classify.ts";
import { fixtures, percentile, validCvr } from "#bench/support.ts";
import { isValidCvr } from "#shared/intake/request-schema.ts";
import { defaultRuleSet } from "#shared/rules/default.ts";
import { compile } from "#shared/rules/engine.ts";
import { classificationInput } from "#shared/triage.ts";

const inputs = fixtures().map((f) => classificationInput(f.payload));

describe("generated rule set", () => {
  it("has 500 valid rules with unique ids, the same on every run", () => {
    const a = generateRuleSet(500);
    expect(a.rules).toHaveLength(500);
    expect(new Set(a.rules.map((r) => r.id)).size).toBe(500);
    expect(generateRuleSet(500)).toEqual(a);
    expect(generateRuleSet(500, 1)).not.toEqual(a);
    // It fires on real requests: some of its vocabulary is the default's.
    const compiled = compile(a, 1);
    expect(
      inputs.filter((i) => compiled.classify(compiled.analyse(i)).firedRules.length > 0).length,
    ).toBeGreaterThan(inputs.length / 2);
  });
});

describe("json-rules-engine translations", () => {
  it("find the same needs as Indgang's engine on nearly all fixtures, and the same as each other", async () => {
    const ours = compile(defaultRuleSet(), 1);
    const [fast, ...slow] = (["operators", "sets", "builtin"] as const).map((s) =>
      jsonRulesEngineFor(defaultRuleSet(), s),
    );
    if (!fast) throw new Error("no translation");
    let same = 0;
    for (const [i, input] of inputs.entries()) {
      const needs = await fast(input);
      // The slow translations (up to a second a request under load) on a few samples only.
      if (i < 4) for (const classify of slow) expect(await classify(input), input.description).toEqual(needs);
      if (JSON.stringify(needs) === JSON.stringify(ours.classify(ours.analyse(input)).needs)) same++;
    }
    // The rest differ by negation and word order, which json-rules-engine cannot express.
    expect(same).toBeGreaterThanOrEqual(Math.floor(inputs.length * 0.85));
  }, 120_000);
});

describe("call tally", () => {
  it("sums consumed capacity of tables and indexes, reads apart from writes, config reads apart", () => {
    const t = new Tally();
    t.add("TransactWriteItemsCommand", {
      output: {
        $metadata: { attempts: 2 },
        ConsumedCapacity: [
          {
            CapacityUnits: 10,
            Table: { CapacityUnits: 4 },
            GlobalSecondaryIndexes: { a: { CapacityUnits: 6 } },
          },
        ],
      },
    });
    t.add("GetItemCommand", {
      output: { ConsumedCapacity: { CapacityUnits: 1, Table: { CapacityUnits: 1 } } },
    });
    t.add(`GetItemCommand${CONFIG_SUFFIX}`, { output: { ConsumedCapacity: { CapacityUnits: 0.5 } } });
    t.add("UpdateItemCommand", {
      error: Object.assign(new Error("condition"), { $metadata: { attempts: 1 } }),
    });
    t.add("ReceiveMessageCommand", { output: { Messages: [] } });
    t.add("ReceiveMessageCommand", { output: { Messages: [{}, {}] } });

    expect(t.calls).toBe(6);
    expect(t.configCalls).toBe(1);
    expect(t.capacity()).toEqual({ read: 1.5, write: 10 });
    expect(t.byCommand.get("TransactWriteItems")).toMatchObject({
      calls: 1,
      attempts: 2,
      tableCapacity: 4,
      indexCapacity: 6,
    });
    expect(t.byCommand.get("UpdateItem")).toMatchObject({ calls: 1, errors: 1 });
    expect(t.byCommand.get("ReceiveMessage")).toMatchObject({ calls: 2, empty: 1, messages: 2 });
    expect(t.per(2).GetItem?.calls).toBe(0.5);
  });
});

describe("helpers", () => {
  it("gives every fixture a distinct valid CVR number", () => {
    const cvrs = Array.from({ length: 200 }, (_, i) => validCvr(i));
    expect(cvrs.every(isValidCvr)).toBe(true);
    expect(new Set(cvrs).size).toBe(200);
    expect(fixtures().length).toBe(94);
  });

  it("takes nearest-rank percentiles", () => {
    const values = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 95)).toBe(10);
    expect(percentile(values, 10)).toBe(1);
    expect(percentile([], 50)).toBeNaN();
  });
});
