import * as z from "zod/mini";
import "#shared/zod.ts";
import { DEFAULT_TARGETS, ResponseTargetsSchema } from "#shared/cases/response-times.ts";
import { MUNICIPALITIES, MUNICIPALITY_CODES } from "./municipalities.ts";

export const ConsortiumIdSchema = z
  .string()
  .check(
    z.regex(/^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$/, "lowercase letters, digits and hyphens, 3-50 characters"),
  );

const MemberSchema = z.strictObject({
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  email: z.optional(z.email()),
});

export const ConsortiumSchema = z.strictObject({
  id: ConsortiumIdSchema,
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  municipalities: z.array(z.enum(MUNICIPALITY_CODES)).check(z.minLength(1)),
  /** Member organisations per system: who leads which need. */
  members: z.strictObject({
    jobCentre: MemberSchema,
    veuCentre: MemberSchema,
    businessHub: MemberSchema,
  }),
  /** Where a delivered case is announced (issue: inbox notifications). */
  notify: z._default(
    z.strictObject({
      webhookUrl: z.optional(z.url()),
      email: z.optional(z.email()),
    }),
    {},
  ),
  /** Response-time targets in working days: first contact (default 2) and closing (default 20). */
  targets: z._default(ResponseTargetsSchema, DEFAULT_TARGETS),
});
export type Consortium = z.infer<typeof ConsortiumSchema>;

const AREA_NAMES: Record<string, { name: string; veu: string; hub: string }> = {
  "rar-hovedstaden": { name: "Hovedstaden", veu: "VEU-center Hovedstaden", hub: "Erhvervshus Hovedstaden" },
  "rar-bornholm": { name: "Bornholm", veu: "VEU-center Bornholm", hub: "Erhvervshus Hovedstaden, Bornholm" },
  "rar-sjaelland": { name: "Sjælland", veu: "VEU-center Sjælland", hub: "Erhvervshus Sjælland" },
  "rar-fyn": { name: "Fyn", veu: "VEU-center Fyn", hub: "Erhvervshus Fyn" },
  "rar-sydjylland": { name: "Sydjylland", veu: "VEU-center Sydjylland", hub: "Erhvervshus Sydjylland" },
  "rar-oestjylland": { name: "Østjylland", veu: "VEU-center Østjylland", hub: "Erhvervshus Midtjylland" },
  "rar-vestjylland": { name: "Vestjylland", veu: "VEU-center Vestjylland", hub: "Erhvervshus Midtjylland" },
  "rar-nordjylland": { name: "Nordjylland", veu: "VEU-center Nordjylland", hub: "Erhvervshus Nordjylland" },
};

/**
 * The eight default consortia: one per RAR labour-market area, built from the municipality map.
 * Typed rather than parsed (a parse at import cost every cold start 3-4 ms); a unit test parses them.
 */
export const DEFAULT_CONSORTIA: readonly Consortium[] = Object.entries(AREA_NAMES).map(([id, a]) => ({
  id,
  name: `Konsortium ${a.name}`,
  municipalities: MUNICIPALITIES.filter((m) => m.area === id).map((m) => m.code),
  members: {
    jobCentre: { name: `Jobcentrene i ${a.name}` },
    veuCentre: { name: a.veu },
    businessHub: { name: a.hub },
  },
  notify: {},
  targets: DEFAULT_TARGETS,
}));

export const DEFAULT_CONSORTIUM_IDS = DEFAULT_CONSORTIA.map((c) => c.id);

/** Municipality code → consortium id, checked: every municipality in exactly one consortium. */
export function municipalityMap(consortia: readonly Consortium[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const c of consortia) for (const code of c.municipalities) map.set(code, c.id);
  return map;
}

/** Problems with a consortium map (empty when valid): a municipality left out or placed twice. */
export function consortiumMapProblems(consortia: readonly Consortium[]): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const seen = new Map<string, string>();
  const ids = new Set<string>();
  consortia.forEach((c, i) => {
    if (ids.has(c.id)) problems.push({ path: `${i}.id`, message: `duplicate consortium id ${c.id}` });
    ids.add(c.id);
    c.municipalities.forEach((code, j) => {
      const other = seen.get(code);
      if (other !== undefined)
        problems.push({
          path: `${i}.municipalities.${j}`,
          message: `municipality ${code} is already in ${other}`,
        });
      seen.set(code, c.id);
    });
  });
  for (const code of MUNICIPALITY_CODES)
    if (!seen.has(code))
      problems.push({ path: "", message: `municipality ${code} belongs to no consortium` });
  return problems;
}
