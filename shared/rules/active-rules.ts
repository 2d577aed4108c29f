import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { cached } from "#shared/cached.ts";
import { readDocument, type VersionedDocument } from "#shared/documents/versioned-document.ts";
import { CAMPAIGNS, campaignOverrides } from "./campaigns.ts";
import { DEFAULT_RULE_SET_VERSION, defaultRuleSet } from "./default.ts";
import { type CompiledRuleSet, compile } from "./engine.ts";
import { type RuleSet, RuleSetSchema } from "./ruleset-schema.ts";

export interface PublishedRuleSet {
  version: number;
  publishedAt: string | null;
  publishedBy: string | null;
  ruleSet: RuleSet;
}

/**
 * Where the published rule set lives: one item holding the active version and its document. Until
 * an administrator publishes one, the shipped default (version 1) is active.
 */
export const ACTIVE_RULES: VersionedDocument<PublishedRuleSet> = {
  key: { pk: "RULESET", sk: "ACTIVE" },
  initialVersion: DEFAULT_RULE_SET_VERSION,
  absent: () => ({
    version: DEFAULT_RULE_SET_VERSION,
    publishedAt: null,
    publishedBy: null,
    ruleSet: defaultRuleSet(),
  }),
  parse: (item) => ({
    version: Number(item.version),
    publishedAt: String(item.publishedAt),
    publishedBy: String(item.publishedBy),
    ruleSet: RuleSetSchema.parse(item.ruleSet),
  }),
  conflict: "Someone published at the same time: reload and try again",
};

/**
 * The active rule set, compiled once per version (and per set of running campaigns, which route
 * first): what the triage worker classifies with.
 */
export class RuleSetProvider {
  private readonly compiled = new Map<string, CompiledRuleSet>();
  private last: PublishedRuleSet | undefined;
  readonly active: () => Promise<CompiledRuleSet>;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    cacheSeconds: number,
  ) {
    this.active = cached(() => this.load(), cacheSeconds * 1000);
  }

  private async load(): Promise<CompiledRuleSet> {
    const [rules, campaigns] = await Promise.all([
      // The last read is reused while its version is active: a rule set is validated once per version.
      readDocument(this.db, this.tableName, ACTIVE_RULES, { fresh: false, known: this.last }),
      readDocument(this.db, this.tableName, CAMPAIGNS, { fresh: false }),
    ]);
    this.last = rules;
    const running = campaignOverrides(campaigns.campaigns, new Date().toISOString());
    const key = `${rules.version}|${campaigns.version}|${running.map((o) => o.id).join(",")}`;
    let c = this.compiled.get(key);
    if (!c) {
      const doc = rules.ruleSet;
      c = compile(
        { ...doc, routing: { ...doc.routing, overrides: [...running, ...doc.routing.overrides] } },
        rules.version,
      );
      this.compiled.clear(); // only the current combination is needed
      this.compiled.set(key, c);
    }
    return c;
  }
}
