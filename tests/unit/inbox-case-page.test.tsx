import { beforeEach, describe, expect, it } from "vitest";
import { createContext } from "#functions/commons/context.ts";
import { JsonLog } from "#functions/commons/json-logger.ts";
import { createStaffApp, SESSION_COOKIE } from "#functions/http/staff-app.tsx";
import { devAuth } from "#local/dev-auth.ts";
import type { CaseRecord, TimelineEntry } from "#shared/cases/model.ts";
import type { Principal } from "#shared/principal.ts";
import { DEFAULT_CONSORTIA, municipalityMap } from "#shared/reference/consortia.ts";
import { directory } from "#shared/reference/consortium-directory.ts";
import { defaultRuleSet } from "#shared/rules/default.ts";
import { compile } from "#shared/rules/engine.ts";
import { decide } from "#shared/triage.ts";
import { CAFE_PAYLOAD, FakeCaseStore, offlineConfig } from "#tests/support/fakes.ts";

/**
 * The staff case page of a closed case, drawn from a fake store: every line in the reader's
 * language (outcomes, follow-ups, consortia by name), what a closed case refuses, and the
 * company's other cases as links only where the reader may open them.
 */

const ctx = createContext(offlineConfig(), new JsonLog({ level: "SILENT" }));
const dev = devAuth("unit-test-secret");
const NOW = "2025-03-03T09:00:00.000Z";
const anna: Principal = { sub: "u-anna", name: "Anna", role: "consultant", consortiumId: "rar-hovedstaden" };
const COUPLING = "growth-needs-competence-talk";

class Store extends FakeCaseStore {
  override async companyCases(): Promise<CaseRecord[]> {
    return [...this.records.values()];
  }
}

let store: Store;
let app: ReturnType<typeof createStaffApp>;

/** A closed Hovedstaden case whose growth help came with a follow-up, done. */
function closedCase(reference: string): CaseRecord {
  const decision = decide(
    CAFE_PAYLOAD,
    compile(defaultRuleSet(), 1),
    municipalityMap(DEFAULT_CONSORTIA),
    NOW,
  );
  decision.followUps = [
    { couplingId: COUPLING, need: "upskilling", reason: "Growth help comes with an offer." },
  ];
  const by = { actor: anna.sub, actorName: anna.name, consortiumId: "rar-hovedstaden" };
  const timeline: TimelineEntry[] = [
    { at: NOW, event: "received", actor: "company" },
    { at: NOW, event: "delivered", actor: "system", consortiumId: "rar-hovedstaden" },
    { at: NOW, event: "note", ...by, detail: `follow-up done: ${COUPLING}` },
    { at: NOW, event: "closed", ...by, detail: "recruited" },
  ];
  return {
    reference,
    status: "closed",
    outcome: "recruited",
    receivedAt: NOW,
    updatedAt: NOW,
    payload: CAFE_PAYLOAD,
    tokenHash: "x",
    decision,
    consortiumId: "rar-hovedstaden",
    needs: decision.needs,
    primaryNeed: decision.primaryNeed,
    pending: false,
    assignee: { sub: anna.sub, name: anna.name },
    followUpsDone: [COUPLING],
    timeline,
  };
}

beforeEach(() => {
  store = new Store();
  app = createStaffApp({
    ...ctx,
    cases: store,
    consortia: async () => directory(DEFAULT_CONSORTIA),
    now: () => NOW,
    verifier: dev.verifier,
  });
  store.records.set("IND-1", closedCase("IND-1"));
  store.records.set("IND-2", { ...closedCase("IND-2"), receivedAt: "2025-01-01T09:00:00.000Z" });
  store.records.set("IND-3", { ...closedCase("IND-3"), consortiumId: "rar-fyn" });
});

const headers = async (extra: Record<string, string> = {}) => ({
  accept: "text/html",
  cookie: `${SESSION_COOKIE}=${await dev.issue(anna)}`,
  ...extra,
});
const page = async (path: string) => app.request(path, { headers: await headers() });
const post = async (path: string, form: Record<string, string>) =>
  app.request(path, {
    method: "POST",
    headers: await headers({
      "content-type": "application/x-www-form-urlencoded",
      origin: "http://localhost",
    }),
    body: new URLSearchParams(form),
  });
const visible = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

describe("a closed case on the staff page", () => {
  it("Danish: the outcome, the follow-up and the consortia by their Danish names, no ids or English", async () => {
    const res = await page("/inbox/cases/IND-1?lang=da");
    expect(res.status).toBe(200);
    const text = visible(await res.text());
    expect(text).toContain("Sagen er afsluttet – Anna Rekrutteret");
    expect(text).toContain("Opfølgning gjort: Opkvalificering");
    expect(text).toContain("Tilbyd også: Opkvalificering – Gjort");
    expect(text).toContain("Teamet har modtaget sagen → Konsortium Hovedstaden");
    // The rule set's own reason for the follow-up is in its author's language (English in the default set).
    for (const raw of ["follow-up done", COUPLING, "rar-hovedstaden", "rar-fyn", " recruited", "Growth help"])
      expect(text, raw).not.toContain(raw);
  });

  it("English: the same lines in English", async () => {
    const text = visible(await (await page("/inbox/cases/IND-1?lang=en")).text());
    expect(text).toContain("The case is closed – Anna Recruited");
    expect(text).toContain("Follow-up done: Upskilling");
    expect(text).toContain("Also offer: Upskilling – Done");
  });

  it("offers reopening with a reason, and no note, follow-up or message form", async () => {
    const html = await (await page("/inbox/cases/IND-1?lang=da")).text();
    expect(html).toContain('action="/inbox/cases/IND-1/reopen"');
    expect(html).toContain('id="f-reopen-reason"');
    for (const form of ["/notes", "/follow-ups/", "/messages", "/status"])
      expect(html, form).not.toContain(form);
  });

  it("links the company's other cases the reader may open, and names the others without a link", async () => {
    const html = await (await page("/inbox/cases/IND-1?lang=da")).text();
    const history = /<h2 id="h-history">[\s\S]*?<\/section>/.exec(html)?.[0] ?? "";
    expect(history).toContain('<a href="/inbox/cases/IND-2">IND-2</a>');
    expect(history).not.toContain('href="/inbox/cases/IND-3"');
    expect(visible(history)).toContain("IND-3 – Afsluttet – Konsortium Fyn");
  });

  it("a note on it is refused 409 in the reader's language, not the API's English", async () => {
    const res = await post("/inbox/cases/IND-1/notes?lang=da", { text: "Ringede op", contact: "phone" });
    expect(res.status).toBe(409);
    const text = visible(await res.text());
    expect(text).toContain("Notatet kunne ikke gemmes: sagen er afsluttet, flyttet eller fuld.");
    expect(text).not.toContain("reopen it");
  });

  it("an empty message to the company comes back with its problem at the field", async () => {
    store.records.set("IND-5", { ...closedCase("IND-5"), status: "in_progress", timeline: [] });
    const html = await (await page("/inbox/cases/IND-5?message=invalid&lang=da")).text();
    expect(html).toContain(
      '<p class="error" id="company-message-error">Skriv en besked på 1 til 3000 tegn.</p>',
    );
    expect(html).toMatch(
      /<textarea id="company-message"[^>]*aria-describedby="company-message-error company-message-help"/,
    );
  });

  it("closing without an outcome is a 400 at `outcome`, in the reader's language", async () => {
    store.records.set("IND-4", { ...closedCase("IND-4"), status: "in_progress", timeline: [] });
    for (const [lang, words] of [
      ["da", "Vælg, hvordan sagen endte."],
      ["en", "Choose how the case ended."],
    ] as const) {
      const res = await post(`/inbox/cases/IND-4/status?lang=${lang}`, { status: "closed", outcome: "" });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain(`<p class="error" id="f-outcome-error">${words}</p>`);
      expect(html).toMatch(/<select id="f-outcome" name="outcome" required="" aria-invalid="true"/);
    }
    expect(store.records.get("IND-4")?.status).toBe("in_progress");
  });
});
