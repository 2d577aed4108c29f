import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { cached } from "#shared/cached.ts";
import { campaignOverrides, loadCampaigns } from "./campaigns.ts";
import { DEFAULT_RULE_SET_VERSION, defaultRuleSet } from "./default.ts";
import { type CompiledRuleSet, compile } from "./engine.ts";
import { RuleSetSchema } from "./ruleset-schema.ts";

/** Where the published rule set lives: one item pointing at the active version and its document. */
export const ACTIVE_RULES_KEY = { pk: "RULESET", sk: "ACTIVE" } as const;

/**
 * The active rule set, compiled once per version (and per set of running campaigns, which route
 * first). Until an administrator publishes one, the shipped default (version 1) is active.
 */
export class RuleSetProvider {
  private readonly compiled = new Map<string, CompiledRuleSet>();
  readonly active: () => Promise<CompiledRuleSet>;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    cacheSeconds: number,
  ) {
    this.active = cached(() => this.load(), cacheSeconds * 1000);
  }

  private async load(): Promise<CompiledRuleSet> {
    const [{ Item }, campaigns] = await Promise.all([
      this.db.send(new GetCommand({ TableName: this.tableName, Key: ACTIVE_RULES_KEY })),
      loadCampaigns(this.db, this.tableName),
    ]);
    const version = Item ? Number(Item.version) : DEFAULT_RULE_SET_VERSION;
    const running = campaignOverrides(campaigns.campaigns, new Date().toISOString());
    const key = `${version}|${campaigns.version}|${running.map((o) => o.id).join(",")}`;
    let c = this.compiled.get(key);
    if (!c) {
      const doc = Item ? RuleSetSchema.parse(Item.ruleSet) : defaultRuleSet();
      c = compile(
        { ...doc, routing: { ...doc.routing, overrides: [...running, ...doc.routing.overrides] } },
        version,
      );
      this.compiled.clear(); // only the current combination is needed
      this.compiled.set(key, c);
    }
    return c;
  }
}
