import { systemLabel } from "#functions/http/i18n/case-terms.ts";
import type { InboxMessages } from "#functions/http/i18n/inbox-messages.ts";
import { fill } from "#functions/http/i18n/lang.ts";
import { suggestedConsultant } from "#shared/cases/assignment.ts";
import type { CaseDetail } from "#shared/cases/casework.ts";
import type { Consortium } from "#shared/reference/consortia.ts";
import { FieldProblem, invalidAttrs, type PageProblem } from "./feedback.tsx";

/**
 * "Give the case to a colleague": the consortium's listed consultants, the one whose system leads
 * the case's primary need chosen first. Without a list, a line saying who adds one.
 */
export function AssignForm(p: {
  m: InboxMessages;
  base: string;
  detail: CaseDetail;
  consortium: Consortium | undefined;
  problem?: PageProblem | undefined;
}) {
  const { m, detail: d } = p;
  const people = p.consortium?.consultants ?? [];
  if (people.length === 0) return <p class="help">{p.m.assignNobody}</p>;
  const suggested = p.consortium ? suggestedConsultant(p.consortium, d) : undefined;
  const current = d.assignee?.email;
  return (
    <form method="post" action={`${p.base}/assign`}>
      <div class="field">
        <label for="f-assign">{m.assignTitle}</label>
        <FieldProblem problem={p.problem} action="assign" field="email" id="f-assign-error" />
        <select
          id="f-assign"
          name="email"
          {...(suggested ? { "aria-describedby": "f-assign-help" } : {})}
          {...invalidAttrs(p.problem, "assign", "email", "f-assign-error")}
        >
          {people.map((person) => (
            <option value={person.email} selected={person.email === (current ?? suggested?.email)}>
              {person.name} – {systemLabel(m, person.system)}
            </option>
          ))}
        </select>
        {suggested && (
          <p class="help" id="f-assign-help">
            {fill(m.assignSuggested, { name: suggested.name, system: systemLabel(m, suggested.system) })}
          </p>
        )}
      </div>
      <button type="submit" class="secondary">
        {m.assignButton}
      </button>
    </form>
  );
}
