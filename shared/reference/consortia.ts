import * as z from "zod/mini";
import "#shared/zod.ts";
import { DEFAULT_TARGETS, ResponseTargetsSchema } from "#shared/cases/response-times.ts";
import { SYSTEMS } from "#shared/needs.ts";
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

/** A person of the consortium: a consultant of one of the three systems, who can be given cases. */
export const ConsultantSchema = z.strictObject({
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  /** How the person signs in (their Cognito e-mail) and where their notices go. */
  email: z.email(),
  system: z.enum(SYSTEMS),
  /** Their organisation, when not the consortium's member organisation of their system. */
  organisation: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
});
export type Consultant = z.infer<typeof ConsultantSchema>;

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
  /** The people who work its cases; new-case notices go to them when no `notify.email` is set. */
  consultants: z._default(z.array(ConsultantSchema).check(z.maxLength(200)), []),
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
  consultants: [],
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
    const emails = new Set<string>();
    c.consultants.forEach((person, j) => {
      const email = person.email.toLowerCase();
      if (emails.has(email))
        problems.push({ path: `${i}.consultants.${j}.email`, message: `${person.email} is listed twice` });
      emails.add(email);
    });
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
