import { listConsortia, putConsortiumMap } from "#shared/admin/consortia-admin.ts";
import type { Consortium, Consultant } from "#shared/reference/consortia.ts";

/**
 * `npm start` on an empty data directory: three example consultants per consortium (one per
 * system, at `.example` addresses that no mail server serves), so the assignment, "mine" and the
 * members' notices work out of the box; their e-mails land in the local outbox. Stored once, as an
 * administrator would store them (a new version of the consortium map, with its audit entry); never
 * on AWS, where the secretariat lists the real people.
 */
const FIRST_NAMES = {
  jobCentre: ["Anne", "Jonas", "Mette", "Lars", "Sofie", "Mikkel", "Ida", "Rasmus"],
  veuCentre: ["Bo", "Karin", "Peter", "Line", "Henrik", "Camilla", "Søren", "Nanna"],
  businessHub: ["Dorte", "Jesper", "Louise", "Thomas", "Maria", "Anders", "Julie", "Kasper"],
} as const;
const SYSTEM_DOMAIN = { jobCentre: "jobcenter", veuCentre: "veu", businessHub: "erhvervshus" } as const;

export function exampleConsultants(c: Consortium, i: number): Consultant[] {
  const area = c.id.replace(/^rar-/, "");
  return (Object.keys(FIRST_NAMES) as (keyof typeof FIRST_NAMES)[]).map((system) => {
    const first = FIRST_NAMES[system][i % 8] ?? "Kim";
    return {
      name: `${first} (eksempel)`,
      email: `${first.toLowerCase().replace("ø", "oe")}@${SYSTEM_DOMAIN[system]}.${area}.example`,
      system,
      organisation: c.members[system].name,
    };
  });
}

/** Stores the example consultants when the consortium map was never changed (version 0). */
export async function storeExampleConsultants(deps: Parameters<typeof listConsortia>[0]): Promise<boolean> {
  const current = await listConsortia(deps);
  if (current.version !== 0) return false;
  const consortia = current.consortia.map((c, i) =>
    c.consultants.length ? c : { ...c, consultants: exampleConsultants(c, i) },
  );
  await putConsortiumMap(deps, { sub: "npm-start", name: "npm start (eksempler)", role: "admin" }, consortia);
  return true;
}
