import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consortiumQueue } from "#shared/resources.ts";
import { attend } from "#shared/workflow.ts";
import {
  queueDrained,
  readOutbox,
  startTestService,
  storeConsortia,
  submitAndDeliver,
  waitFor,
} from "#tests/support/local.ts";

/**
 * Notices after delivery on the embedded stack: the sweeper finds the cases whose attention time
 * has come (a company's reply, a response-time target passing), queues each notice once, and the
 * consortium's delivery worker e-mails the inbox (the local outbox). Bornholm's inbox has an e-mail.
 */
const INBOX = "indbakke@bornholm.example.dk";
let svc: Awaited<ReturnType<typeof startTestService>>;

beforeAll(async () => {
  svc = await startTestService({ env: { RULES_CACHE_SECONDS: "0" } });
  await storeConsortia(svc, (c) => (c.id === "rar-bornholm" ? { ...c, notify: { email: INBOX } } : c));
});
afterAll(async () => {
  await svc?.stop();
});

const outbox = () => readOutbox(svc);
const toInbox = (subject: string) => outbox().filter((m) => m.to === INBOX && m.subject === subject);
/** The sweeper's second pass, as if it ran at `at`. */
const attendAt = (at: string) => attend({ ...svc.ctx, now: () => at });

describe("notices after delivery", () => {
  it("an overdue first contact is told once, however often the sweeper runs or the message repeats", async () => {
    const c = await submitAndDeliver(svc, "400", "Vi vil gerne ansætte en ny tømrer til værkstedet.");
    const ref = c.reference;
    // The delivery scheduled the sweeper's first look at the first-contact due time: nothing to do now.
    const dueNow = await svc.ctx.cases.listDue(new Date().toISOString(), 1000);
    expect(dueNow.map((d) => d.reference)).not.toContain(ref);
    expect((await attendAt(new Date().toISOString())).notices.filter((n) => n.startsWith(ref))).toEqual([]);

    const later = new Date(Date.now() + 8 * 24 * 3600 * 1000).toISOString();
    expect((await attendAt(later)).notices.filter((n) => n.startsWith(ref))).toEqual([
      `${ref}/overdue_first_contact`,
    ]);
    expect((await attendAt(later)).notices.filter((n) => n.startsWith(ref))).toEqual([]);
    const subject = `Første kontakt er overskredet: ${ref}`;
    await waitFor(async () => (toInbox(subject).length > 0 ? true : undefined), 20_000, "the overdue e-mail");
    expect((await svc.ctx.cases.get(ref))?.firstContactAlertedAt).toBe(later);

    // The same notice message again (SQS may deliver twice): the channel is recorded, nothing is sent.
    await svc.ctx.sqs.send(
      new SendMessageCommand({
        QueueUrl: svc.ctx.queues.url(consortiumQueue("rar-bornholm")),
        MessageBody: JSON.stringify({
          reference: ref,
          consortiumId: "rar-bornholm",
          notice: { kind: "overdue_first_contact", id: "overdue_first_contact" },
        }),
      }),
    );
    await queueDrained(svc, "rar-bornholm");
    expect(toInbox(subject)).toHaveLength(1);
    expect(toInbox(subject)[0]?.text).toContain("/inbox/cases/");
  });

  it("a first contact in time leaves no alert; a company's reply is told to the consortium once", async () => {
    const c = await submitAndDeliver(svc, "400", "Vi søger en ny lærling til vores smedeværksted.");
    const ref = c.reference;
    const consultant = await svc.issueToken({
      sub: "u-bh",
      name: "Karen",
      role: "consultant",
      consortiumId: "rar-bornholm",
    });
    const note = await fetch(`${svc.url}/api/inbox/cases/${ref}/notes`, {
      method: "POST",
      headers: { authorization: `Bearer ${consultant}`, "content-type": "application/json" },
      body: JSON.stringify({ text: "Ringede til virksomheden.", contact: "phone" }),
    });
    expect(note.status).toBe(201);
    const later = new Date(Date.now() + 8 * 24 * 3600 * 1000).toISOString();
    expect((await attendAt(later)).notices.filter((n) => n.startsWith(ref))).toEqual([]);

    // The company answers on its status page (the link from its acknowledgement).
    const ack = await waitFor(
      async () => outbox().find((m) => m.text.includes(ref) && m.text.includes("/status/")),
      20_000,
      "the acknowledgement",
    );
    const link = ack.text.match(/http:\/\/127\.0\.0\.1:\d+\/status\/\S+/)?.[0] ?? "";
    const token = new URL(link).searchParams.get("token") ?? "";
    const reply = await fetch(`${svc.url}/status/${ref}/messages?lang=da`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
      body: new URLSearchParams({ token, text: "Tak, vi venter på jeres opkald." }).toString(),
      redirect: "manual",
    });
    expect(reply.status).toBe(303);
    const now = new Date(Date.now() + 1_000).toISOString();
    expect((await attendAt(now)).notices.filter((n) => n.startsWith(ref))).toEqual([
      expect.stringMatching(new RegExp(`^${ref}/reply/`)),
    ]);
    expect((await attendAt(now)).notices.filter((n) => n.startsWith(ref))).toEqual([]);
    const subject = `Virksomheden har svaret på sag ${ref}`;
    await waitFor(async () => (toInbox(subject).length > 0 ? true : undefined), 20_000, "the reply e-mail");
    await queueDrained(svc, "rar-bornholm");
    expect(toInbox(subject)).toHaveLength(1);
    // No personal data in the notice: not the company's words.
    expect(toInbox(subject)[0]?.text).not.toContain("venter på jeres opkald");
  });
});
