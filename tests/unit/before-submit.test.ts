import { describe, expect, it } from "vitest";
import { createPublicApp } from "#functions/http/public-app.tsx";
import { NO_METRICS } from "#shared/metrics.ts";
import { DEFAULT_CONSORTIA } from "#shared/reference/consortia.ts";
import { directory } from "#shared/reference/consortium-directory.ts";
import { FakeCaseStore, FakeQueues, MemoryLog } from "#tests/support/fakes.ts";

const STATEMENT = "https://www.was.digst.dk/indgang-example-dk";

function app(config: { ACCESSIBILITY_STATEMENT_URL?: string }, firstContact = [2, 2]) {
  return createPublicApp({
    cases: new FakeCaseStore(),
    queues: new FakeQueues(),
    log: new MemoryLog(),
    now: () => "2025-03-01T09:00:00.000Z",
    // Two consortia with these first-contact targets: the form promises the longest.
    consortia: async () =>
      directory(
        DEFAULT_CONSORTIA.map((c, i) => ({
          ...c,
          targets: { ...c.targets, firstContactWorkingDays: firstContact[i % firstContact.length] ?? 2 },
        })),
      ),
    config: { PUBLIC_BASE_URL: "https://indgang.example.dk", ...config },
    metrics: NO_METRICS,
  });
}

describe("before submitting (EU Single Digital Gateway, art. 11)", () => {
  it("the form says it is free, who handles it, when the first contact comes, and in which languages", async () => {
    const form = app({ ACCESSIBILITY_STATEMENT_URL: STATEMENT }, [2, 4]);
    const da = await (await form.request("/?lang=da", { headers: { accept: "text/html" } })).text();
    expect(da).toContain("Det er gratis for virksomheden.");
    expect(da).toContain("jobcentret, VEU-centret og erhvervshuset");
    expect(da).toContain("regionale sekretariat");
    expect(da).toContain("inden for 4 arbejdsdage");
    expect(da).toContain("dansk eller engelsk");
    expect(da).toContain(`<a href="${STATEMENT}">Tilgængelighedserklæring</a>`);
    const en = await (await form.request("/?lang=en", { headers: { accept: "text/html" } })).text();
    expect(en).toContain("It is free of charge for the company.");
    expect(en).toContain("within 4 working days");
    expect(en).toContain(`<a href="${STATEMENT}">Accessibility statement</a>`);
  });

  it("without a configured statement there is no dead link", async () => {
    const html = await (await app({}).request("/?lang=da", { headers: { accept: "text/html" } })).text();
    expect(html).not.toContain("Tilgængelighedserklæring");
    expect(html).toContain("inden for 2 arbejdsdage"); // the default target
  });
});
