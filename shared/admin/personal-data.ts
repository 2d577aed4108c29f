import * as z from "zod/mini";
import { parseBody } from "#shared/validation.ts";
import "#shared/zod.ts";
import type { CaseRecord } from "#shared/cases/model.ts";
import type { CaseStore } from "#shared/cases/store.ts";
import { CvrSchema } from "#shared/intake/request-schema.ts";
import type { Principal } from "#shared/principal.ts";
import type { AuditLog } from "./audit.ts";

/**
 * Personal data on request (GDPR): export everything held about a company (CVR) or one of its
 * contacts (CVR + e-mail), and erase it. Erasure anonymises rather than deletes (what stays and
 * what goes: CaseStore.erase). Closed cases also expire by TTL (RETENTION_DAYS after closing).
 *
 * A contact is found by e-mail only among the cases of a CVR: the company index is keyed by CVR, and
 * finding an e-mail across all companies would need a scan of the whole table (every case's full
 * item read, paid per 4 KB) or a new index that holds every contact's e-mail. Requests come with the
 * company's name or CVR in practice, so the CVR stays required.
 */
export const SubjectSchema = z.strictObject({
  cvr: CvrSchema,
  email: z.optional(z.email()),
});

export interface PersonalDataDeps {
  cases: CaseStore;
  audit: AuditLog;
  now: () => string;
}

function parseSubject(input: unknown) {
  const subject = parseBody(SubjectSchema, input);
  return subject;
}

async function subjectCases(deps: PersonalDataDeps, s: z.infer<typeof SubjectSchema>): Promise<CaseRecord[]> {
  const all = await deps.cases.companyCases(s.cvr, 1000);
  const email = s.email?.toLowerCase();
  return email ? all.filter((c) => c.payload.contact.email.toLowerCase() === email) : all;
}

/** What an erasure or an export would cover, without the data itself: the page's confirmation. */
export async function findSubject(deps: PersonalDataDeps, input: unknown) {
  const s = parseSubject(input);
  const cases = await subjectCases(deps, s);
  return {
    subject: s,
    cases: cases.map((c) => ({
      reference: c.reference,
      status: c.status,
      receivedAt: c.receivedAt,
      companyName: c.payload.company.name,
      contactEmail: c.payload.contact.email,
    })),
  };
}

export async function exportPersonalData(deps: PersonalDataDeps, p: Principal, input: unknown) {
  const s = parseSubject(input);
  const cases = await subjectCases(deps, s);
  // The audit records that an export happened and how much, never the data itself.
  await deps.audit.record(p, "personal-data.export", s.email ? "contact" : "company", deps.now(), {
    after: { cases: cases.length },
  });
  return {
    subject: s,
    exportedAt: deps.now(),
    cases: cases.map(({ tokenHash: _t, ...c }) => c),
  };
}

export async function erasePersonalData(deps: PersonalDataDeps, p: Principal, input: unknown) {
  const s = parseSubject(input);
  const cases = await subjectCases(deps, s);
  const now = deps.now();
  for (const c of cases) await deps.cases.erase(c, now);
  await deps.audit.record(p, "personal-data.erase", s.email ? "contact" : "company", now, {
    after: { cases: cases.map((c) => c.reference) },
  });
  return { erased: cases.map((c) => c.reference) };
}
