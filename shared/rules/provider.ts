import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { cached } from "../cached.ts";
import { DEFAULT_RULE_SET, DEFAULT_RULE_SET_VERSION } from "./default.ts";
import { type CompiledRuleSet, compile } from "./engine.ts";
import { RuleSetSchema } from "./schema.ts";

/** Where the published rule set lives: one item pointing at the active version and its document. */
export const ACTIVE_RULES_KEY = { pk: "RULESET", sk: "ACTIVE" } as const;

/**
 * The active rule set, compiled once per version. Until an administrator publishes one, the
 * shipped default (version 1) is active.
 */
export class RuleSetProvider {
  private readonly compiled = new Map<number, CompiledRuleSet>();
  readonly active: () => Promise<CompiledRuleSet>;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    cacheSeconds: number,
  ) {
    this.active = cached(() => this.load(), cacheSeconds * 1000);
  }

  private async load(): Promise<CompiledRuleSet> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: ACTIVE_RULES_KEY }));
    if (!Item) return this.compileOnce(DEFAULT_RULE_SET_VERSION, () => DEFAULT_RULE_SET);
    const version = Number(Item.version);
    return this.compileOnce(version, () => RuleSetSchema.parse(Item.ruleSet));
  }

  private compileOnce(version: number, doc: () => Parameters<typeof compile>[0]): CompiledRuleSet {
    let c = this.compiled.get(version);
    if (!c) {
      c = compile(doc(), version);
      this.compiled.set(version, c);
    }
    return c;
  }
}
