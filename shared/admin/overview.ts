import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { CaseStatus } from "#shared/cases/model.ts";
import type { CaseStore } from "#shared/cases/store.ts";
import { readDocument } from "#shared/documents/versioned-document.ts";
import { CAMPAIGNS, isRunning } from "#shared/rules/campaigns.ts";
import { type DeadLetterDeps, deadLetterCounts } from "./dead-letters-admin.ts";
import { getRules, type RulesAdminDeps } from "./rules-admin.ts";

/** The regional (manual-triage) inbox: cases no consortium was found for. */
const MANUAL_INBOX = "manual";

export type OverviewDeps = RulesAdminDeps &
  Pick<DeadLetterDeps, "sqs" | "queues" | "log"> & {
    db: DynamoDBDocumentClient;
    cases: Pick<CaseStore, "inboxCounts">;
    config: { tableName: string; RESOURCE_PREFIX: string };
  };

/**
 * The admin home's state at a glance, each part read the cheapest way: the active rule set and the
 * draft (two strongly consistent gets), dead letters per queue (one GetQueueAttributes each, no
 * receive), the running campaigns (one get), and the regional inbox by status (one index query,
 * status only).
 */
export async function adminOverview(deps: OverviewDeps) {
  const [rules, deadLetters, campaigns, manual] = await Promise.all([
    getRules(deps),
    deadLetterCounts(deps),
    readDocument(deps.db, deps.config.tableName, CAMPAIGNS, { fresh: true }),
    deps.cases.inboxCounts(MANUAL_INBOX),
  ]);
  const now = deps.now();
  const open = (Object.entries(manual) as [CaseStatus, number][])
    .filter(([status]) => status !== "closed")
    .reduce((sum, [, n]) => sum + n, 0);
  return {
    rules,
    deadLetters: { total: deadLetters.reduce((s, q) => s + q.count, 0), queues: deadLetters },
    campaignsRunning: campaigns.campaigns.filter((c) => isRunning(c, now)),
    manualQueue: { open, byStatus: manual },
  };
}
