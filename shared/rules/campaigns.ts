import * as z from "zod/mini";
import { CAMPAIGN_OVERRIDE_PREFIX } from "#shared/cases/model.ts";
import type { VersionedDocument } from "#shared/documents/versioned-document.ts";
import type { GeneratedOverride } from "./routing.ts";
import { BoundedConditionSchema } from "./ruleset-schema.ts";
import "#shared/zod.ts";

/**
 * Campaigns: time-limited efforts (a mass layoff, a large construction project) whose matching
 * requests are tagged and routed to a named team. While a campaign runs, its condition is applied
 * before the rule set's own routing overrides; the decision names it (`campaign.<id>`).
 */
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
    when: BoundedConditionSchema,
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

/** Every campaign, running or not, in one document (none until an administrator adds one). */
export const CAMPAIGNS: VersionedDocument<{ version: number; campaigns: Campaign[] }> = {
  key: { pk: "CAMPAIGNS", sk: "ACTIVE" },
  initialVersion: 0,
  absent: () => ({ version: 0, campaigns: [] }),
  parse: (item) => ({
    version: Number(item.version ?? 0),
    campaigns: z.array(CampaignSchema).parse(item.campaigns ?? []),
  }),
  conflict: "Someone changed the campaigns at the same time",
};
