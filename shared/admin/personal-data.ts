import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
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
 * contacts (CVR + e-mail), and erase it. Erasure anonymises rather than deletes: needs, consortium,
 * status, outcome and the timeline's events stay for the regional statistics, while names, contact
 * details, the description, notes and the CVR link are removed. Closed cases also expire by TTL
 * (RETENTION_DAYS after closing).
 */
export const SubjectSchema = z.strictObject({
  cvr: CvrSchema,
  email: z.optional(z.email()),
});

export interface PersonalDataDeps {
  db: DynamoDBDocumentClient;
  cases: CaseStore;
  audit: AuditLog;
  now: () => string;
  config: { tableName: string };
}

const ERASED = "[erased]";

function parseSubject(input: unknown) {
  const subject = parseBody(SubjectSchema, input);
  return subject;
}

async function subjectCases(deps: PersonalDataDeps, s: z.infer<typeof SubjectSchema>): Promise<CaseRecord[]> {
  const all = await deps.cases.companyCases(s.cvr, 1000);
  const email = s.email?.toLowerCase();
  return email ? all.filter((c) => c.payload.contact.email.toLowerCase() === email) : all;
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
  for (const c of cases) {
    const timeline = c.timeline.map(({ detail: _d, actorName: _n, ...e }) =>
      e.event === "note" ? { ...e, detail: ERASED } : e,
    );
    const payload = {
      company: { cvr: "00000000", name: ERASED, municipalityCode: c.payload.company.municipalityCode },
      contact: { name: ERASED, email: "erased@invalid", language: c.payload.contact.language },
      request: { description: ERASED, needHints: c.payload.request.needHints },
      consent: true,
    };
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.config.tableName,
        Key: { pk: `CASE#${c.reference}`, sk: "CASE" },
        // Out of the company index too: the erased case no longer links to the CVR.
        UpdateExpression:
          "SET payload = :payload, timeline = :timeline, erasedAt = :now, updatedAt = :now " +
          "REMOVE gsi2pk, gsi2sk, decision.firedRules, decision.negated, lastError",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeValues: { ":payload": payload, ":timeline": timeline, ":now": now },
      }),
    );
  }
  await deps.audit.record(p, "personal-data.erase", s.email ? "contact" : "company", now, {
    after: { cases: cases.map((c) => c.reference) },
  });
  return { erased: cases.map((c) => c.reference) };
}
