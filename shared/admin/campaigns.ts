import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import * as z from "zod/mini";
import type { Principal } from "../auth.ts";
import { CAMPAIGN_OVERRIDE_PREFIX } from "../cases/model.ts";
import { conflict, validationFailed } from "../errors.ts";
import { fieldProblems } from "../intake/schema.ts";
import type { ConsortiumDirectory } from "../reference/provider.ts";
import { TABLE } from "../resources.ts";
import type { GeneratedOverride } from "../rules/routing.ts";
import { ConditionSchema } from "../rules/schema.ts";
import "../zod.ts";
import { auditItem } from "./audit.ts";

/**
 * Campaigns: time-limited efforts (a mass layoff, a large construction project) whose matching
 * requests are tagged and routed to a named team. While a campaign runs, its condition is applied
 * before the rule set's own routing overrides; the decision names it (`campaign.<id>`).
 */
export const CAMPAIGNS_KEY = { pk: "CAMPAIGNS", sk: "ACTIVE" } as const;

export const CampaignSchema = z
  .strictObject({
    id: z
      .string()
      .check(
        z.regex(
          /^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$/,
          "lowercase letters, digits and hyphens, 3-50 characters",
        ),
      ),
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
    description: z.optional(z.string().check(z.maxLength(2000))),
    /** ISO dates (inclusive start, exclusive end). */
    from: z.union([z.iso.datetime({ offset: true }), z.iso.date()]),
    to: z.union([z.iso.datetime({ offset: true }), z.iso.date()]),
    /** Which requests belong to it: the rule language's conditions. */
    when: ConditionSchema,
    /** The named team that handles them, and the inbox it works from. */
    team: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
    consortiumId: z.string().check(z.minLength(1), z.maxLength(60)),
  })
  .check(
    z.refine((c) => Date.parse(c.from) < Date.parse(c.to), {
      message: "must end after it starts",
      path: ["to"],
    }),
  );
export type Campaign = z.infer<typeof CampaignSchema>;

export function isRunning(c: Campaign, now: string): boolean {
  const t = Date.parse(now);
  return Date.parse(c.from) <= t && t < Date.parse(c.to);
}

/** The running campaigns as routing overrides, first in line. */
export function campaignOverrides(campaigns: readonly Campaign[], now: string): GeneratedOverride[] {
  return campaigns
    .filter((c) => isRunning(c, now))
    .map((c) => ({
      id: `${CAMPAIGN_OVERRIDE_PREFIX}${c.id}`,
      when: c.when,
      to: { consortiumId: c.consortiumId },
      reason: `campaign "${c.name}": handled by ${c.team}`,
      basis: { kind: "campaign", campaignId: c.id, name: c.name, team: c.team },
    }));
}

export interface CampaignDeps {
  db: DynamoDBDocumentClient;
  now: () => string;
  consortia: () => Promise<ConsortiumDirectory>;
  config: { tableName: string };
}

export async function loadCampaigns(db: DynamoDBDocumentClient, tableName: string) {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName, Key: CAMPAIGNS_KEY, ConsistentRead: true }),
  );
  return {
    version: Number(Item?.version ?? 0),
    campaigns: z.array(CampaignSchema).parse(Item?.campaigns ?? []),
  };
}

export async function putCampaign(deps: CampaignDeps, p: Principal, id: string, input: unknown) {
  const r = CampaignSchema.safeParse(input);
  if (!r.success) throw validationFailed(fieldProblems(r.error));
  if (r.data.id !== id) throw validationFailed([{ path: "id", message: `must be "${id}", as in the path` }]);
  if (!(await deps.consortia()).byId.has(r.data.consortiumId))
    throw validationFailed([{ path: "consortiumId", message: "is not a consortium" }]);
  const current = await loadCampaigns(deps.db, deps.config.tableName);
  const before = current.campaigns.find((c) => c.id === id) ?? null;
  const campaigns = before
    ? current.campaigns.map((c) => (c.id === id ? r.data : c))
    : [...current.campaigns, r.data];
  const now = deps.now();
  try {
    await deps.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: deps.config.tableName,
              Item: { ...CAMPAIGNS_KEY, version: current.version + 1, campaigns },
              ConditionExpression: current.version === 0 ? "attribute_not_exists(pk)" : "version = :v",
              ...(current.version === 0 ? {} : { ExpressionAttributeValues: { ":v": current.version } }),
            },
          },
          {
            Put: {
              TableName: deps.config.tableName,
              Item: auditItem(p, "campaigns.put", id, now, { before, after: r.data }),
            },
          },
        ],
      }),
    );
  } catch (err) {
    if (err instanceof TransactionCanceledException)
      throw conflict("Someone changed the campaigns at the same time");
    throw err;
  }
  return r.data;
}

/** Each campaign with how many requests it tagged, per status. Reads the days it ran (≤ 366). */
export async function campaignsWithCounts(deps: CampaignDeps) {
  const { campaigns } = await loadCampaigns(deps.db, deps.config.tableName);
  const now = deps.now();
  return Promise.all(
    campaigns.map(async (c) => {
      const byStatus: Record<string, number> = {};
      let total = 0;
      const start = Date.parse(c.from.slice(0, 10));
      const end = Math.min(Date.parse(c.to), Date.parse(now));
      for (let t = start, n = 0; t <= end && n < 366; t += 86_400_000, n++) {
        const day = new Date(t).toISOString().slice(0, 10);
        let startKey: Record<string, unknown> | undefined;
        do {
          const page = await deps.db.send(
            new QueryCommand({
              TableName: deps.config.tableName,
              IndexName: TABLE.indexes.byDay.name,
              KeyConditionExpression: "#pk = :day",
              FilterExpression: "campaignId = :id",
              ProjectionExpression: "#status",
              ExpressionAttributeNames: { "#pk": TABLE.indexes.byDay.partitionKey, "#status": "status" },
              ExpressionAttributeValues: { ":day": `RECEIVED#${day}`, ":id": c.id },
              ...(startKey ? { ExclusiveStartKey: startKey } : {}),
            }),
          );
          for (const i of page.Items ?? []) {
            byStatus[String(i.status)] = (byStatus[String(i.status)] ?? 0) + 1;
            total++;
          }
          startKey = page.LastEvaluatedKey;
        } while (startKey);
      }
      return { ...c, running: isRunning(c, now), counts: { total, byStatus } };
    }),
  );
}
