import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readOutbox, startTestService, submitAndDeliver, waitFor } from "#tests/support/local.ts";

/**
 * The company's acknowledgement on the embedded stack: one e-mail in `<data dir>/outbox/` per case,
 * in the contact's language, whose status link opens the case — even when the delivery message is
 * handled again, or twice at once.
 */
let svc: Awaited<ReturnType<typeof startTestService>>;

beforeAll(async () => {
  svc = await startTestService({ visibilityTimeoutSeconds: 1 });
});
afterAll(async () => {
  await svc?.stop();
});

const outbox = () => readOutbox(svc);

const acksFor = (reference: string, to: string) =>
  outbox().filter((m) => m.to === to && m.subject.includes(reference));

describe("acknowledgement e-mail on the local stack", () => {
  it("exactly one per case under duplicate delivery, and its link opens the status page", async () => {
    const c = await submitAndDeliver(svc, "400", "Vi vil gerne ansætte en ny tømrer til værkstedet.");
    const to = c.payload.contact.email;
    await waitFor(async () => ((await svc.ctx.cases.get(c.reference))?.acknowledgedAt ? true : undefined));
    // The delivery message again, three times, two of them at once.
    await Promise.all([
      svc.ctx.queues.toInbox(c.reference, "rar-bornholm"),
      svc.ctx.queues.toInbox(c.reference, "rar-bornholm"),
    ]);
    await svc.ctx.queues.toInbox(c.reference, "rar-bornholm");
    await new Promise((r) => setTimeout(r, 3_000));

    const acks = acksFor(c.reference, to);
    expect(acks).toHaveLength(1);
    const [ack] = acks;
    if (!ack) throw new Error("no acknowledgement");
    const lang = c.payload.contact.language;
    expect(ack.subject).toBe(
      lang === "da"
        ? `Vi har modtaget jeres henvendelse (${c.reference})`
        : `We have received your request (${c.reference})`,
    );
    expect(ack.text).toContain("Konsortium Bornholm");
    expect(ack.text).toContain("tømrer");
    const link = ack.text.match(/http:\/\/127\.0\.0\.1:\d+\/status\/\S+/)?.[0];
    expect(link).toBeDefined();
    const page = await fetch(link as string, { headers: { accept: "application/json" } });
    expect(page.status).toBe(200);
    expect(((await page.json()) as { reference: string }).reference).toBe(c.reference);
    // A wrong token still opens nothing.
    const wrong = await fetch((link as string).replace(/token=[^&]+/, "token=AAAAAAAAAAAAAAAAAAAAAA"));
    expect(wrong.status).toBe(404);
  });

  it("in English for an English-speaking contact, and the secretariat for a case in manual triage", async () => {
    const res = await fetch(`${svc.url}/api/requests`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        company: { cvr: "11696422", name: "Harbour Works ApS", municipalityCode: "101" },
        contact: { name: "Jane Doe", email: "jane@harbour.example.com", language: "en" },
        // Nothing a rule recognises: the case goes to manual triage.
        request: { description: "Hello, we would like to talk to someone about our situation." },
        consent: true,
      }),
    });
    expect(res.status).toBe(202);
    const { reference } = (await res.json()) as { reference: string };
    const c = await waitFor(async () => {
      const x = await svc.ctx.cases.get(reference);
      return x?.acknowledgedAt ? x : undefined;
    }, 20_000);
    const [ack] = acksFor(reference, "jane@harbour.example.com");
    expect(ack?.subject).toBe(`We have received your request (${reference})`);
    if (c.status === "manual_triage")
      expect(ack?.text).toContain("The regional secretariat reviews your request");
    else expect(ack?.text).toContain("Konsortium");
    expect(ack?.html).toContain('<html lang="en">');
  });
});
