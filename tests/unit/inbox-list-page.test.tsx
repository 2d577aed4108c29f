import { describe, expect, it } from "vitest";
import { inboxMessages } from "#functions/http/i18n/inbox-messages.ts";
import type { Lang } from "#functions/http/i18n/lang.ts";
import { InboxPage } from "#functions/http/inbox/list-page.tsx";
import type { InboxItem } from "#shared/cases/casework.ts";
import { caseDues, DEFAULT_TARGETS } from "#shared/cases/response-times.ts";
import { highlight } from "#shared/cases/search-text.ts";
import type { Principal } from "#shared/principal.ts";
import { DEFAULT_CONSORTIA } from "#shared/reference/consortia.ts";

/**
 * The inbox list as drawn: its due flags (overdue, due today) and their order, a search's hits
 * marked and its own order, and a refused search at its field.
 */

/** Wednesday 5 March 2025, 11:00 in Copenhagen; first contact is due within 2 working days. */
const NOW = "2025-03-05T10:00:00.000Z";
const anna: Principal = { sub: "u-anna", name: "Anna", role: "consultant", consortiumId: "rar-fyn" };

const item = (reference: string, receivedAt: string, extra: Partial<InboxItem> = {}): InboxItem => ({
  id: reference,
  reference,
  status: "delivered",
  needs: ["recruitment"],
  primaryNeed: "recruitment",
  companyName: "Café Nørrebro ApS",
  cvr: "11696422",
  receivedAt,
  assignee: null,
  dues: caseDues({ receivedAt }, DEFAULT_TARGETS, NOW),
  ...extra,
});
// Newest first, as the inbox lists them: today's, Monday's (due today), last Thursday's (overdue).
const NEW = item("IND-NEW", "2025-03-05T07:00:00.000Z");
const MONDAY = item("IND-MON", "2025-03-03T08:00:00.000Z");
const THURSDAY = item("IND-THU", "2025-02-27T08:00:00.000Z");

function draw(lang: Lang, query: Record<string, string>, items: InboxItem[], extra = {}) {
  return (
    <InboxPage
      lang={lang}
      m={inboxMessages(lang)}
      path={`/inbox?${new URLSearchParams(query)}`}
      user={anna}
      page={{
        consortiumId: "rar-fyn",
        items,
        nextCursor: null,
        ...(query.q ? {} : { counts: { delivered: 3 } }),
      }}
      query={query}
      consortia={DEFAULT_CONSORTIA}
      campaigns={[]}
      {...extra}
    />
  ).toString();
}
const order = (html: string) => [...html.matchAll(/href="\/inbox\/cases\/(IND-[A-Z]+)"/g)].map((m) => m[1]);
const dueCells = (html: string) =>
  [...html.matchAll(/<span class="(due [^"]+)">([^<]+)<\/span>/g)].map((m) => [m[1], m[2]]);

describe("the inbox list", () => {
  it("flags what is overdue and due today, and puts it first", () => {
    const html = draw("da", {}, [NEW, MONDAY, THURSDAY]);
    expect(order(html)).toEqual(["IND-THU", "IND-MON", "IND-NEW"]);
    expect(dueCells(html)).toEqual([
      ["due due-overdue", "Over fristen (3. marts 2025)"],
      ["due due-due-today", "Frist i dag"],
      ["due due-on-time", "senest 7. marts 2025"],
    ]);
    expect(dueCells(draw("en", {}, [MONDAY, THURSDAY]))).toEqual([
      ["due due-overdue", "Overdue (3 March 2025)"],
      ["due due-due-today", "Due today"],
    ]);
  });

  it("says 'need unclear' for a case sent to its consortium without a need, in the reader's language", () => {
    const unclear = item("IND-UNC", NEW.receivedAt, { needs: [], primaryNeed: null, needUnclear: true });
    const plain = item("IND-NON", NEW.receivedAt, { needs: [], primaryNeed: null });
    expect(draw("da", {}, [unclear, plain])).toContain('<td data-label="Behov">Behov uafklaret</td>');
    expect(draw("en", {}, [unclear])).toContain('<td data-label="Needs">Need unclear</td>');
    expect(draw("da", {}, [plain])).toContain('<td data-label="Behov">–</td>');
  });

  it("once first contact is made, shows the close target instead", () => {
    const contacted = item("IND-MON", MONDAY.receivedAt, {
      status: "in_progress",
      dues: caseDues({ receivedAt: MONDAY.receivedAt, firstContactAt: NOW }, DEFAULT_TARGETS, NOW),
    });
    const html = draw("da", {}, [contacted]);
    expect(html).toContain("Afslutning: <span");
    expect(dueCells(html)).toEqual([["due due-on-time", "senest 31. marts 2025"]]);
  });

  it("lists a search newest first, each with where it matched and the hit marked (as text)", () => {
    const hit = {
      field: "note" as const,
      segments: highlight("Ringede <b>op</b>: de vil have en kok", ["kok"]),
    };
    const html = draw("da", { q: "kok" }, [NEW, MONDAY, { ...THURSDAY, hit }]);
    expect(order(html)).toEqual(["IND-NEW", "IND-MON", "IND-THU"]);
    expect(html).toContain(
      '<p class="hit">Fundet i notat: Ringede &lt;b&gt;op&lt;/b&gt;: de vil have en <mark>kok</mark></p>',
    );
    expect(html).toContain("Søgeresultater for “kok”, nyeste først");
    expect(html).not.toContain('class="counts"'); // a search has no counts per status: none are shown as 0
  });

  it("shows a refused search at its field, in the reader's language", () => {
    const problem = {
      action: "search" as const,
      field: "q" as const,
      text: inboxMessages("en").fieldProblems.q,
    };
    const html = draw("en", { q: "one two three four five six seven eight nine" }, [], { problem });
    expect(html).toContain(
      '<p class="error" id="f-q-error">A search may be at most 200 characters and 8 words.</p>',
    );
    expect(html).toMatch(
      /<input id="f-q" name="q" type="search" value="one two three four five six seven eight nine"[^>]*aria-invalid="true"/,
    );
    expect(html).not.toContain("Search results for");
  });

  it("says what else was refused above the list (a stale cursor, a status that does not exist)", () => {
    const m = inboxMessages("da");
    const stale = draw("da", {}, [], {
      problem: { action: "search", field: "cursor", text: m.fieldProblems.cursor },
    });
    expect(stale).toContain(
      '<div class="notice" role="alert"><strong>Det gik ikke:</strong> Listen er ændret. Start fra første side.</div>',
    );
    expect(stale).not.toContain('id="f-q-error"');
    const odd = draw("da", { status: "bogus" }, [], { problem: { action: "search", text: m.invalidInput } });
    expect(odd).toContain("Tjek det, du har skrevet, og prøv igen.");
  });

  it("offers the show choices and the inbox's campaigns by name", () => {
    const campaign = {
      id: "groen-omstilling",
      name: "Grøn omstilling",
      from: "2025-01-01",
      to: "2025-12-31",
      when: { type: "text" as const, anyOf: ["grøn"] },
      team: "Team Grøn",
      consortiumId: "rar-fyn",
    };
    const html = draw("da", { show: "overdue", campaign: campaign.id }, [], { campaigns: [campaign] });
    expect(html).toContain('<option value="overdue" selected="">Over fristen for første kontakt</option>');
    expect(html).toContain('<option value="groen-omstilling" selected="">Grøn omstilling</option>');
    expect(draw("da", {}, [])).not.toContain('name="campaign"');
  });
});
