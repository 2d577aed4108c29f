import * as z from "zod/mini";
import "#shared/zod.ts";
import { conflict, validationFailed } from "#shared/errors.ts";
import { LEAD_SYSTEM } from "#shared/needs.ts";
import type { Principal } from "#shared/principal.ts";
import type { Consortium, Consultant } from "#shared/reference/consortia.ts";
import { parseBody } from "#shared/validation.ts";
import { actingIn, caseDetail, type InboxDeps, refuseClosed, visibleCase } from "./casework.ts";
import type { Assignee, CaseRecord, TimelineEntry } from "./model.ts";

/**
 * Giving a case to a consultant of its consortium: who is suggested, and who may be chosen. The
 * consortium's list of consultants (shared/reference/consortia.ts) is the only source: a case is
 * never given to someone outside it, nor across consortia.
 */
export const AssignSchema = z.strictObject({
  /** The consultant's e-mail, as listed in the consortium. */
  email: z.email(),
});

/**
 * The suggested consultant: the first listed of the system that leads the case's primary need (its
 * first need when none is primary), else the first listed; none when the consortium lists nobody.
 */
export function suggestedConsultant(
  consortium: Pick<Consortium, "consultants">,
  c: Pick<CaseRecord, "primaryNeed" | "needs">,
): Consultant | undefined {
  const need = c.primaryNeed ?? c.needs[0];
  const lead = need ? LEAD_SYSTEM[need] : undefined;
  return consortium.consultants.find((m) => m.system === lead) ?? consortium.consultants[0];
}

/** The listed consultant with this e-mail (any case), or undefined. */
export function consultantByEmail(consortium: Pick<Consortium, "consultants">, email: string) {
  const wanted = email.toLowerCase();
  return consortium.consultants.find((m) => m.email.toLowerCase() === wanted);
}

/**
 * The assignee a listed consultant becomes: keyed by e-mail until they sign in (claiming then puts
 * the case under their sign-in, see casework.claimCase).
 */
export function assigneeOf(m: Consultant): Assignee {
  const email = m.email.toLowerCase();
  return { sub: `member:${email}`, name: m.name, email };
}

/**
 * Gives a case of the principal's consortium to one of its listed consultants, and queues the
 * notice to them. 400 at `email` for anyone not listed; 409 on a closed case, or when someone
 * claimed or gave it meanwhile.
 */
export async function assignCase(deps: InboxDeps, p: Principal, reference: string, body: unknown) {
  const c = await visibleCase(deps, p, reference);
  const { email } = parseBody(AssignSchema, body);
  refuseClosed(c);
  const consortiumId = actingIn(c);
  if (!["delivered", "claimed", "in_progress"].includes(c.status))
    throw conflict(`A case that is ${c.status} cannot be given to anyone`);
  const consortium = (await deps.consortia()).byId.get(consortiumId);
  const member = consortium ? consultantByEmail(consortium, email) : undefined;
  if (!member) throw validationFailed([{ path: "email", message: "not a consultant of this consortium" }]);
  const to = assigneeOf(member);
  if (c.assignee?.email === to.email) return caseDetail(deps, p, reference); // theirs already
  const now = deps.now();
  const entry: TimelineEntry = {
    at: now,
    event: "assigned",
    actor: p.sub,
    actorName: p.name,
    consortiumId,
    detail: member.name,
  };
  const seen = { status: c.status, holderSub: c.assignee?.sub ?? null };
  if (!(await deps.cases.assign(reference, consortiumId, to, seen, entry, now)))
    throw conflict("Someone else changed the case at the same time; reload and try again");
  // The assignee hears of it by e-mail, from the consortium's delivery worker (retried there).
  await deps.queues.toInboxNotice(reference, consortiumId, { kind: "assigned", id: `assigned/${now}` });
  return caseDetail(deps, p, reference);
}
