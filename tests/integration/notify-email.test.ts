import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CaseRecord } from "#shared/cases/model.ts";
import {
  queueDrained,
  readOutbox,
  startTestService,
  storeConsortia,
  submitAndDeliver,
  waitFor,
} from "#tests/support/local.ts";

/**
 * E-mail notices on the embedded stack: no SES locally, each e-mail is a JSON file in
 * `<data dir>/outbox/`. Bornholm has only an e-mail address; Fyn has a webhook and an e-mail address.
 */
const BORNHOLM_INBOX = "indbakke@bornholm.example.dk";
const FYN_INBOX = "sager@fyn.example.dk";
let svc: Awaited<ReturnType<typeof startTestService>>;
let hook: Server;
/** How many more webhook calls answer 503 before the receiver recovers. */
let hookFailures = 0;
const hookCalls: { status: number; body: string }[] = [];

beforeAll(async () => {
  hook = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => {
      body += d;
    });
    req.on("end", () => {
      const status = hookFailures > 0 ? 503 : 204;
      if (hookFailures > 0) hookFailures--;
      hookCalls.push({ status, body });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
  const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  // A failed notice is retried when the message becomes visible again: after 1 s here.
  svc = await startTestService({
    visibilityTimeoutSeconds: 1,
    env: { WEBHOOK_SECRET: "test-secret-0123456789abcdef", RULES_CACHE_SECONDS: "0" },
  });
  await storeConsortia(svc, (c) =>
    c.id === "rar-bornholm"
      ? { ...c, notify: { email: BORNHOLM_INBOX } }
      : c.id === "rar-fyn"
        ? { ...c, notify: { webhookUrl: hookUrl, email: FYN_INBOX } }
        : c,
  );
});
afterAll(async () => {
  await svc?.stop();
  hook?.close();
});

const outbox = () => readOutbox(svc);

/** The inboxes' notices of a case (the company's acknowledgement, also in the outbox, is not one). */
const mailsFor = (reference: string) =>
  outbox().filter((m) => m.subject.includes(reference) && [BORNHOLM_INBOX, FYN_INBOX].includes(m.to));

/** Every personal detail of a case's request: none may be in a notice. */
const personal = (c: CaseRecord) => [
  c.payload.company.name,
  c.payload.company.cvr,
  c.payload.contact.name,
  c.payload.contact.email,
  c.payload.request.description,
  ...(c.payload.contact.phone ? [c.payload.contact.phone] : []),
];

describe("e-mail notices on the local stack", () => {
  it("one outbox file per delivered case, without personal data, even when the message is processed twice", async () => {
    const delivered = await submitAndDeliver(svc, "400", "Vi vil gerne ansætte en ny tømrer til værkstedet.");
    const ref = delivered.reference;
    expect(delivered.consortiumId).toBe("rar-bornholm");
    const [mail] = await waitFor(async () => {
      const m = mailsFor(ref);
      return m.length > 0 ? m : undefined;
    });
    await waitFor(async () => ((await svc.ctx.cases.get(ref))?.notifiedAt ? true : undefined));

    await svc.ctx.queues.toInbox(ref, "rar-bornholm"); // the delivery message again
    await queueDrained(svc, "rar-bornholm");
    await new Promise((r) => setTimeout(r, 500));

    expect(mailsFor(ref)).toHaveLength(1);
    if (!mail) throw new Error("no mail");
    expect(mail.to).toBe(BORNHOLM_INBOX);
    expect(mail.subject).toBe(`Ny sag i jeres indbakke: ${ref}`);
    const link = `${svc.ctx.config.PUBLIC_BASE_URL}/inbox/cases/${ref}`;
    expect(mail.text).toContain(link);
    expect(mail.html).toContain(`href="${link}"`);
    expect(mail.text).toContain("Rekruttering");
    const c = (await svc.ctx.cases.get(ref)) as CaseRecord;
    const everything = JSON.stringify(mail);
    for (const p of personal(c)) expect(everything).not.toContain(p);
    expect(everything).not.toContain("tømrer");
    expect(c.notifiedAt).toBeDefined();

    // The link leads to the case in the staff inbox, after sign-in.
    const token = await svc.issueToken({
      sub: "u-bornholm",
      name: "Konsulent",
      role: "consultant",
      consortiumId: "rar-bornholm",
    });
    const page = await fetch(`${svc.url}/inbox/cases/${ref}`, {
      headers: { cookie: `indgang_session=${token}`, accept: "text/html" },
    });
    expect(page.status).toBe(200);
  });

  it("a webhook that fails and is retried does not repeat the e-mail", async () => {
    hookFailures = 2;
    const callsBefore = hookCalls.length;
    const delivered = await submitAndDeliver(svc, "461", "Vi skal bruge to nye smede til produktionen.");
    const ref = delivered.reference;
    expect(delivered.consortiumId).toBe("rar-fyn");
    const c = await waitFor(
      async () => {
        const x = await svc.ctx.cases.get(ref);
        return x?.notifiedAt ? x : undefined;
      },
      20_000,
      "the notice on both channels",
    );
    await queueDrained(svc, "rar-fyn");
    const calls = hookCalls.slice(callsBefore).filter((h) => h.body.includes(ref));
    expect(calls.map((h) => h.status)).toEqual([503, 503, 204]);
    expect(mailsFor(ref)).toHaveLength(1);
    expect(mailsFor(ref)[0]?.to).toBe(FYN_INBOX);
    // The e-mail went out on the first try, beside the failing webhook: recorded for this delivery.
    expect(c.emailNotifiedFor).toBe(c.deliveredAt);
    for (const p of personal(c)) {
      expect(JSON.stringify(mailsFor(ref))).not.toContain(p);
      for (const h of calls) expect(h.body).not.toContain(p);
    }
  });
});
