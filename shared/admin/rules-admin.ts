import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import * as z from "zod/mini";
import type { FieldProblem } from "#shared/errors.ts";
import type { Need } from "#shared/needs.ts";
import { parseBody } from "#shared/validation.ts";
import "#shared/zod.ts";
import type { CaseRecord } from "#shared/cases/model.ts";
import type { CaseStore } from "#shared/cases/store.ts";
import { putWithAudit, readDocument, replaceDocument } from "#shared/documents/versioned-document.ts";
import { AppError, conflict, notFound, validationFailed } from "#shared/errors.ts";
import { parseIntake } from "#shared/intake/request-schema.ts";
import type { Principal } from "#shared/principal.ts";

import type { ConsortiumDirectory } from "#shared/reference/consortium-directory.ts";
import { ACTIVE_RULES, type PublishedRuleSet } from "#shared/rules/active-rules.ts";
import { DEFAULT_RULE_SET_VERSION } from "#shared/rules/default.ts";
import { compile } from "#shared/rules/engine.ts";
import { type RuleSet, RuleSetSchema } from "#shared/rules/ruleset-schema.ts";
import { decide } from "#shared/triage.ts";
import { auditItem } from "./audit.ts";
import { validateRuleSet } from "./rule-set-checks.ts";

/**
 * The rule lifecycle: draft → static checks (rule-set-checks.ts) → dry-run / backtest → publish (a
 * new version) → roll back (republish an old one). Published versions are kept; the active item
 * points at one. Workers read the active item (shared/rules/active-rules.ts) and pick up a new
 * version within seconds.
 *
 * A draft remembers the version it was started from (`basedOn`). Publishing uses it up (the draft
 * item becomes a tombstone in the same transaction), and once any other version is active — a
 * rollback, or someone else's publish — the draft is stale: publishing it would quietly undo that
 * change, so it is refused until the draft is rebased (started again from the active version) or
 * discarded. The staff role has no DeleteItem: a used-up or discarded draft is overwritten by a
 * tombstone that says who ended it and how.
 */
export interface RulesAdminDeps {
  db: DynamoDBDocumentClient;
  cases: CaseStore;
  consortia: () => Promise<ConsortiumDirectory>;
  now: () => string;
  config: { tableName: string };
}

const DRAFT_KEY = { pk: "RULESET", sk: "DRAFT" } as const;
const versionKey = (v: number) => ({ pk: "RULESET", sk: `V#${String(v).padStart(6, "0")}` });

function activeRules(deps: RulesAdminDeps): Promise<PublishedRuleSet> {
  return readDocument(deps.db, deps.config.tableName, ACTIVE_RULES, { fresh: true });
}

/** The draft, or null when there is none (never saved, published, or discarded: a tombstone). */
async function draftRules(deps: RulesAdminDeps) {
  const { Item } = await deps.db.send(
    new GetCommand({ TableName: deps.config.tableName, Key: DRAFT_KEY, ConsistentRead: true }),
  );
  if (!Item || Item.ruleSet === undefined) return null;
  return {
    ruleSet: RuleSetSchema.parse(Item.ruleSet),
    updatedAt: String(Item.updatedAt),
    updatedBy: String(Item.updatedBy),
    // A draft saved before drafts kept their base is treated as stale: nobody knows what it undoes.
    basedOn: Item.basedOn === undefined ? 0 : Number(Item.basedOn),
  };
}

type Draft = NonNullable<Awaited<ReturnType<typeof draftRules>>>;

/** The draft was started from another version than the active one: 409 until rebased or discarded. */
export class StaleDraft extends AppError {
  constructor(
    readonly basedOn: number,
    readonly activeVersion: number,
  ) {
    super(
      "conflict",
      `The draft was started from version ${basedOn}, but version ${activeVersion} is active now: publishing it would undo the changes since. Rebase the draft on the active version (POST /api/admin/rules/draft/rebase) or discard it (POST /api/admin/rules/draft/discard)`,
    );
  }
}

/** Someone published (or rolled back) between the caller's read and its publish: 409. */
export class ActiveVersionMoved extends AppError {
  constructor(
    readonly activeVersion: number,
    readonly expected: number,
  ) {
    super("conflict", `Version ${activeVersion} is active now, not ${expected}: someone published meanwhile`);
  }
}

export async function getRules(deps: RulesAdminDeps) {
  const [active, draft] = await Promise.all([activeRules(deps), draftRules(deps)]);
  return { active, draft: draft && { ...draft, stale: draft.basedOn !== active.version } };
}

/** Saves the draft. A new draft is based on the active version; saving over a draft keeps its base. */
export async function putDraft(deps: RulesAdminDeps, p: Principal, input: unknown) {
  const ruleSet = await validateRuleSet(deps, input);
  const now = deps.now();
  const [before, active] = await Promise.all([draftRules(deps), activeRules(deps)]);
  const draft = { ruleSet, updatedAt: now, updatedBy: p.name, basedOn: before?.basedOn ?? active.version };
  await putWithAudit(
    deps.db,
    deps.config.tableName,
    { ...DRAFT_KEY, ...draft },
    auditItem(p, "rules.draft", "rules", now, { before: before?.ruleSet ?? null, after: ruleSet }),
  );
  return { ...draft, stale: draft.basedOn !== active.version };
}

/** Starts the draft again from the active version, keeping nothing of the old one. */
export async function rebaseDraft(deps: RulesAdminDeps, p: Principal) {
  const [before, active] = await Promise.all([draftRules(deps), activeRules(deps)]);
  const now = deps.now();
  const draft = { ruleSet: active.ruleSet, updatedAt: now, updatedBy: p.name, basedOn: active.version };
  await putWithAudit(
    deps.db,
    deps.config.tableName,
    { ...DRAFT_KEY, ...draft },
    auditItem(p, "rules.draft.rebase", "rules", now, {
      before: before && { basedOn: before.basedOn, ruleSet: before.ruleSet },
      after: { basedOn: active.version },
    }),
  );
  return { ...draft, stale: false };
}

/** Throws the draft away (404 if there is none). */
export async function discardDraft(deps: RulesAdminDeps, p: Principal) {
  const before = await draftRules(deps);
  if (!before) throw notFound("There is no draft to discard");
  const now = deps.now();
  await putWithAudit(
    deps.db,
    deps.config.tableName,
    { ...DRAFT_KEY, discardedAt: now, discardedBy: p.name },
    auditItem(p, "rules.draft.discard", "rules", now, {
      before: { basedOn: before.basedOn, ruleSet: before.ruleSet },
      after: null,
    }),
  );
  return { discardedAt: now, discardedBy: p.name };
}

// ---- trying a rule set without storing anything ---------------------------------------------------

export const DryRunSchema = z.strictObject({
  payload: z.unknown(),
  ruleSet: z._default(z.enum(["draft", "active"]), "draft"),
});

async function chosen(deps: RulesAdminDeps, which: "draft" | "active") {
  if (which === "active") {
    const a = await activeRules(deps);
    return compile(a.ruleSet, a.version);
  }
  const d = await draftRules(deps);
  if (!d) throw notFound("There is no draft: PUT /api/admin/rules/draft first");
  const active = await activeRules(deps);
  return compile(d.ruleSet, active.version + 1);
}

export async function dryRun(deps: RulesAdminDeps, input: unknown) {
  const asked = parseBody(DryRunSchema, input);
  let payload: ReturnType<typeof parseIntake>;
  try {
    payload = parseIntake(asked.payload);
  } catch (err) {
    // Name the fields inside the payload as the caller sent them.
    if (err instanceof Error && "fields" in err)
      throw validationFailed(
        (err as { fields: FieldProblem[] }).fields.map((f) => ({ ...f, path: `payload.${f.path}` })),
      );
    throw err;
  }
  const [compiled, dir] = await Promise.all([chosen(deps, asked.ruleSet), deps.consortia()]);
  return { ruleSet: asked.ruleSet, decision: decide(payload, compiled, dir.municipalities, deps.now()) };
}

export const BacktestSchema = z.strictObject({
  limit: z._default(z.int().check(z.minimum(1), z.maximum(5000)), 200),
});

interface Outcome {
  consortiumId: string | null;
  needs: Need[];
  primaryNeed: Need | null;
}

/** Replays the draft on the last N stored cases against what was decided for them. Writes nothing. */
export async function backtest(deps: RulesAdminDeps, input: unknown) {
  const asked = parseBody(BacktestSchema, input ?? {});
  const [compiled, dir, cases] = await Promise.all([
    chosen(deps, "draft"),
    deps.consortia(),
    deps.cases.recentCases(deps.now(), asked.limit),
  ]);
  const transitions = new Map<string, { from: Outcome; to: Outcome; count: number }>();
  const moves: { reference: string; from: Outcome; to: Outcome }[] = [];
  let compared = 0;
  for (const c of cases) {
    if (!c.decision) continue; // not triaged yet
    compared++;
    const from = outcomeOf(c);
    const d = decide(c.payload, compiled, dir.municipalities, deps.now());
    const to: Outcome = { consortiumId: d.route.consortiumId, needs: d.needs, primaryNeed: d.primaryNeed };
    const key = JSON.stringify([from, to]);
    const t = transitions.get(key) ?? { from, to, count: 0 };
    t.count++;
    transitions.set(key, t);
    if (key !== JSON.stringify([from, from])) moves.push({ reference: c.reference, from, to });
  }
  return {
    draftVersion: compiled.version,
    compared,
    changed: moves.length,
    transitions: [...transitions.values()].sort((a, b) => b.count - a.count),
    moves,
  };
}

function outcomeOf(c: CaseRecord): Outcome {
  return {
    consortiumId: c.decision?.route.consortiumId ?? null,
    needs: c.decision?.needs ?? c.needs,
    primaryNeed: c.decision?.primaryNeed ?? c.primaryNeed,
  };
}

// ---- publishing and rolling back ------------------------------------------------------------------

export const PublishSchema = z.strictObject({ expectedActiveVersion: z.int().check(z.minimum(1)) });
export const RollbackSchema = z.strictObject({ toVersion: z.int().check(z.minimum(1)) });

async function publishDocument(
  deps: RulesAdminDeps,
  p: Principal,
  ruleSet: RuleSet,
  expected: number,
  action: string,
  /** Publishing a draft uses it up: it becomes a tombstone, only if nobody saved it meanwhile. */
  draft?: Draft,
) {
  const active = await activeRules(deps);
  if (active.version !== expected) throw new ActiveVersionMoved(active.version, expected);
  const now = deps.now();
  const version = expected + 1;
  const published = { version, ruleSet, publishedAt: now, publishedBy: p.name };
  await replaceDocument(deps.db, deps.config.tableName, ACTIVE_RULES, {
    expected,
    attributes: published,
    // The version's own item: history only ever grows.
    create: [{ ...versionKey(version), ...published }],
    overwrite: draft
      ? [
          {
            item: { ...DRAFT_KEY, publishedAs: version, publishedAt: now, publishedBy: p.name },
            unless: { name: "updatedAt", changedFrom: draft.updatedAt },
          },
        ]
      : [],
    audit: auditItem(p, action, "rules", now, {
      before: { version: active.version },
      after: { version, ruleSet },
    }),
  });
  return published;
}

export async function publish(deps: RulesAdminDeps, p: Principal, input: unknown) {
  const asked = parseBody(PublishSchema, input);
  const draft = await draftRules(deps);
  if (!draft) throw notFound("There is no draft to publish");
  const active = await activeRules(deps);
  if (draft.basedOn !== active.version) throw new StaleDraft(draft.basedOn, active.version);
  // Checked again: the consortium map may have changed since the draft was saved.
  await validateRuleSet(deps, draft.ruleSet);
  return publishDocument(deps, p, draft.ruleSet, asked.expectedActiveVersion, "rules.publish", draft);
}

export async function versionDocument(deps: RulesAdminDeps, version: number): Promise<PublishedRuleSet> {
  if (version === DEFAULT_RULE_SET_VERSION) return ACTIVE_RULES.absent();
  const { Item } = await deps.db.send(
    new GetCommand({ TableName: deps.config.tableName, Key: versionKey(version) }),
  );
  if (!Item) throw notFound(`No version ${version}`);
  // A version's item is the active item as it was published.
  return ACTIVE_RULES.parse(Item);
}

/** Republishes an earlier version as a new version: history only ever grows. */
export async function rollback(deps: RulesAdminDeps, p: Principal, input: unknown) {
  const asked = parseBody(RollbackSchema, input);
  const [target, active] = await Promise.all([versionDocument(deps, asked.toVersion), activeRules(deps)]);
  if (target.version === active.version) throw conflict(`Version ${target.version} is already active`);
  return publishDocument(deps, p, target.ruleSet, active.version, "rules.rollback");
}

/** Every published version, newest first (version 1 is the shipped default). */
export async function history(deps: RulesAdminDeps) {
  const { Items = [] } = await deps.db.send(
    new QueryCommand({
      TableName: deps.config.tableName,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :v)",
      ExpressionAttributeValues: { ":pk": "RULESET", ":v": "V#" },
      ProjectionExpression: "version, publishedAt, publishedBy",
      ScanIndexForward: false,
    }),
  );
  return [
    ...Items.map((i) => ({
      version: Number(i.version),
      publishedAt: String(i.publishedAt),
      publishedBy: String(i.publishedBy),
    })),
    { version: DEFAULT_RULE_SET_VERSION, publishedAt: null, publishedBy: null },
  ];
}

/** What changed between two rule sets, by id: added, removed and changed rules, couplings, overrides. */
export function diffRuleSets(a: RuleSet, b: RuleSet) {
  const diffList = <T extends { id: string }>(x: readonly T[], y: readonly T[]) => {
    const before = new Map(x.map((i) => [i.id, JSON.stringify(i)]));
    const after = new Map(y.map((i) => [i.id, JSON.stringify(i)]));
    return {
      added: [...after.keys()].filter((id) => !before.has(id)),
      removed: [...before.keys()].filter((id) => !after.has(id)),
      changed: [...after.keys()].filter((id) => before.has(id) && before.get(id) !== after.get(id)),
    };
  };
  return {
    rules: diffList(a.rules, b.rules),
    couplings: diffList(a.couplings, b.couplings),
    overrides: diffList(a.routing.overrides, b.routing.overrides),
    scoring:
      JSON.stringify(a.scoring) === JSON.stringify(b.scoring)
        ? null
        : { before: a.scoring, after: b.scoring },
    language: JSON.stringify(a.language) === JSON.stringify(b.language) ? null : "changed",
  };
}
