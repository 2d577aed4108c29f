import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { CaseStore } from "#shared/cases/store.ts";
import { readDocument, replaceDocument } from "#shared/documents/versioned-document.ts";
import { validationFailed } from "#shared/errors.ts";
import type { Principal } from "#shared/principal.ts";
import type { ConsortiumDirectory } from "#shared/reference/consortium-directory.ts";
import { CAMPAIGNS, CampaignSchema, isRunning } from "#shared/rules/campaigns.ts";
import { parseBody } from "#shared/validation.ts";
import { auditItem } from "./audit.ts";

/**
 * Campaigns, the administrators' side: create or change one, and list them with their case counts.
 * What a campaign is, and how the running ones route cases, is in shared/rules/campaigns.ts.
 */
export interface CampaignDeps {
  db: DynamoDBDocumentClient;
  cases: Pick<CaseStore, "campaignCountsOn">;
  now: () => string;
  consortia: () => Promise<ConsortiumDirectory>;
  config: { tableName: string };
}

export async function putCampaign(deps: CampaignDeps, p: Principal, id: string, input: unknown) {
  const campaign = parseBody(CampaignSchema, input);
  if (campaign.id !== id)
    throw validationFailed([{ path: "id", message: `must be "${id}", as in the path` }]);
  if (!(await deps.consortia()).byId.has(campaign.consortiumId))
    throw validationFailed([{ path: "consortiumId", message: "is not a consortium" }]);
  const current = await readDocument(deps.db, deps.config.tableName, CAMPAIGNS, { fresh: true });
  const before = current.campaigns.find((c) => c.id === id) ?? null;
  const campaigns = before
    ? current.campaigns.map((c) => (c.id === id ? campaign : c))
    : [...current.campaigns, campaign];
  const now = deps.now();
  await replaceDocument(deps.db, deps.config.tableName, CAMPAIGNS, {
    expected: current.version,
    attributes: { campaigns },
    audit: auditItem(p, "campaigns.put", id, now, { before, after: campaign }),
  });
  return campaign;
}

/** Each campaign with how many requests it tagged, per status. Reads the days it ran (≤ 366). */
export async function campaignsWithCounts(deps: CampaignDeps) {
  const { campaigns } = await readDocument(deps.db, deps.config.tableName, CAMPAIGNS, { fresh: true });
  const now = deps.now();
  return Promise.all(
    campaigns.map(async (c) => {
      const byStatus: Record<string, number> = {};
      let total = 0;
      const start = Date.parse(c.from.slice(0, 10));
      const end = Math.min(Date.parse(c.to), Date.parse(now));
      for (let t = start, n = 0; t <= end && n < 366; t += 86_400_000, n++) {
        const day = new Date(t).toISOString().slice(0, 10);
        for (const [status, count] of Object.entries(await deps.cases.campaignCountsOn(c.id, day))) {
          byStatus[status] = (byStatus[status] ?? 0) + count;
          total += count;
        }
      }
      return { ...c, running: isRunning(c, now), counts: { total, byStatus } };
    }),
  );
}
