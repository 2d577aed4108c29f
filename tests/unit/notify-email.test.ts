import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { describe, expect, it } from "vitest";
import { needLabel } from "#functions/http/i18n/case-terms.ts";
import { inboxMessages } from "#functions/http/i18n/inbox-messages.ts";
import { deliveryNotifier, sesMailSender } from "#functions/workers/delivery-handler.ts";
import { outboxMailSender } from "#local/outbox-mail.ts";
import type { CaseRecord, NoticeChannel } from "#shared/cases/model.ts";
import { loadConfig } from "#shared/config.ts";
import { NO_METRICS } from "#shared/metrics.ts";
import {
  type DeliveryNotice,
  deliveryMail,
  deliveryNotice,
  emailNotifier,
  inboxNotifier,
  type Mail,
  NEED_LABELS_DA,
  type NoticeProgress,
  webhookNotifier,
} from "#shared/notify.ts";
import { type Consortium, DEFAULT_CONSORTIA } from "#shared/reference/consortia.ts";
import { directory } from "#shared/reference/consortium-directory.ts";
import { deliverCase } from "#shared/workflow.ts";
import { CAFE_PAYLOAD, FakeCaseStore, MemoryLog } from "#tests/support/fakes.ts";

const BASE = "https://indgang.example.dk";
const REF = "IND-7K3M-Q9PX";
const INBOX = "indbakke@bornholm.example.dk";
const HOOK = "https://hooks.example.dk/indgang/T0-SECRET-PART";
const bornholm = DEFAULT_CONSORTIA.find((c) => c.id === "rar-bornholm") as Consortium;
const withNotify = (notify: Consortium["notify"]): Consortium => ({ ...bornholm, notify });

/** Everything personal in the café's request: none of it may leave in a notice. */
const PERSONAL = [
  CAFE_PAYLOAD.company.name,
  CAFE_PAYLOAD.company.cvr,
  CAFE_PAYLOAD.contact.name,
  CAFE_PAYLOAD.contact.email,
  CAFE_PAYLOAD.request.description,
  "kokke",
];

function routedCase(): CaseRecord {
  return {
    reference: REF,
    status: "routed",
    receivedAt: "2026-03-12T09:00:00.000Z",
    updatedAt: "2026-03-12T09:00:01.000Z",
    payload: CAFE_PAYLOAD,
    tokenHash: "x",
    consortiumId: "rar-bornholm",
    needs: ["upskilling", "recruitment"],
    primaryNeed: "recruitment",
    pending: true,
    timeline: [],
  };
}

/** The store's delivery and notice writes, in memory, with the same conditions as DynamoDB's. */
class DeliveryStore extends FakeCaseStore {
  override async markDelivered(reference: string, consortiumId: string | null, now: string) {
    const c = this.records.get(reference);
    if (c?.status !== "routed" || c.consortiumId !== consortiumId) return undefined;
    const next: CaseRecord = { ...c, status: "delivered", deliveredAt: now, updatedAt: now, pending: false };
    this.records.set(reference, next);
    return next;
  }
  override async markChannelNotified(reference: string, channel: NoticeChannel, deliveredAt: string) {
    const c = this.records.get(reference);
    if (c?.deliveredAt !== deliveredAt) return false;
    this.records.set(reference, { ...c, [`${channel}NotifiedFor`]: deliveredAt });
    return true;
  }
  override async markNotified(reference: string, deliveredAt: string, now: string) {
    const c = this.records.get(reference);
    if (c?.deliveredAt !== deliveredAt || (c.notifiedAt ?? "") >= deliveredAt) return false;
    this.records.set(reference, { ...c, notifiedAt: now });
    return true;
  }
}

/** A mail sender and a webhook endpoint that record what they get and fail while told to. */
function channels() {
  const mails: Mail[] = [];
  const posts: string[] = [];
  const fail = { email: false, webhook: false };
  const send = async (mail: Mail) => {
    if (fail.email) throw new Error("SES: throttled");
    mails.push(mail);
  };
  const fetchImpl = (async (_url: string | URL | Request, init?: RequestInit) => {
    if (fail.webhook) return new Response("down", { status: 503 });
    posts.push(String(init?.body));
    return new Response(null, { status: 204 });
  }) as typeof fetch;
  return { mails, posts, fail, send, fetchImpl };
}

function setUp(notify: Consortium["notify"]) {
  const cases = new DeliveryStore();
  cases.records.set(REF, routedCase());
  const log = new MemoryLog();
  const ch = channels();
  const notifier = inboxNotifier(
    {
      webhook: webhookNotifier(async () => "unit-test-secret-0123456789", ch.fetchImpl),
      email: emailNotifier(ch.send, { publicBaseUrl: BASE, log }),
    },
    log,
  );
  const consortia = directory(
    DEFAULT_CONSORTIA.map((c) => (c.id === "rar-bornholm" ? withNotify(notify) : c)),
  );
  let tick = 0;
  const deps = {
    cases,
    consortia: async () => consortia,
    notify: notifier,
    now: () => new Date(Date.parse("2026-03-12T10:00:00.000Z") + 1000 * tick++).toISOString(),
    log,
    metrics: NO_METRICS,
  };
  const deliver = () => deliverCase(deps, REF, "rar-bornholm");
  return { cases, log, deliver, ...ch };
}

describe("the e-mail notice", () => {
  const notice: DeliveryNotice = deliveryNotice(
    { ...routedCase(), status: "delivered", deliveredAt: "2026-03-12T10:14:00.000Z" },
    "rar-bornholm",
  );

  it("is Danish, names the case and its needs, and links to the case in the staff inbox", () => {
    const mail = deliveryMail(notice, INBOX, `${BASE}/`);
    expect(mail.to).toBe(INBOX);
    expect(mail.subject).toBe(`Ny sag i jeres indbakke: ${REF}`);
    const link = `${BASE}/inbox/cases/${REF}`;
    for (const body of [mail.text, mail.html]) {
      expect(body).toContain(REF);
      expect(body).toContain("Rekruttering (primært), Opkvalificering");
      expect(body).toContain(link);
      expect(body).toContain("12. marts 2026"); // Copenhagen time, Danish
    }
    expect(mail.text).toContain("log ind");
    expect(mail.html).toContain(`<a href="${link}">`);
    expect(mail.html).toMatch(/^<!doctype html>\n<html lang="da">/);
  });

  it("says so when no need is clear", () => {
    const mail = deliveryMail({ ...notice, needs: [], primaryNeed: null }, INBOX, BASE);
    expect(mail.text).toContain("Behov: ikke afklaret");
  });

  it("escapes everything it puts into the HTML part", () => {
    const hostile = deliveryMail(
      { ...notice, reference: `IND-"><script>alert('x')</script>` },
      INBOX,
      "https://indgang.example.dk/?a=1&b=<i>",
    );
    expect(hostile.html).not.toContain("<script>");
    expect(hostile.html).not.toContain("<i>");
    expect(hostile.html).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    expect(hostile.html).toContain("?a=1&amp;b=&lt;i&gt;");
    // In the link the reference is URL-encoded, so it cannot leave the attribute either.
    expect(hostile.html).toContain("/inbox/cases/IND-%22%3E%3Cscript%3E");
    expect(hostile.text).toContain(`IND-"><script>`); // the text part is plain text
  });

  it("uses the inbox's own Danish need labels", () => {
    const da = inboxMessages("da");
    expect(NEED_LABELS_DA).toEqual({
      recruitment: needLabel(da, "recruitment"),
      upskilling: needLabel(da, "upskilling"),
      growth: needLabel(da, "growth"),
    });
  });

  it("carries no personal data when a case is delivered, only the reference, needs and link", async () => {
    const { deliver, mails } = setUp({ email: INBOX });
    await deliver();
    expect(mails).toHaveLength(1);
    const all = JSON.stringify(mails[0]);
    for (const p of PERSONAL) expect(all).not.toContain(p);
    expect(all).not.toContain("Nørrebro");
    expect(mails[0]?.to).toBe(INBOX);
  });
});

describe("notices on two channels, retried", () => {
  it("a retry after the webhook failed sends no second e-mail", async () => {
    const { deliver, mails, posts, fail, cases } = setUp({ webhookUrl: HOOK, email: INBOX });
    fail.webhook = true;
    const failure = await deliver().catch((err: unknown) => err);
    expect(String(failure)).toMatch(/webhook: webhook at https:\/\/[^/ ]+ answered 503/);
    expect(String(failure)).not.toContain(new URL(HOOK).pathname); // the URL's secret part stays out
    expect(mails).toHaveLength(1);
    const afterFirst = cases.records.get(REF);
    expect(afterFirst?.emailNotifiedFor).toBe(afterFirst?.deliveredAt);
    expect(afterFirst?.webhookNotifiedFor).toBeUndefined();
    expect(afterFirst?.notifiedAt).toBeUndefined();

    await expect(deliver()).rejects.toThrow(/webhook/); // still down
    expect(mails).toHaveLength(1);

    fail.webhook = false;
    await deliver();
    expect(mails).toHaveLength(1);
    expect(posts).toHaveLength(1);
    expect(cases.records.get(REF)?.notifiedAt).toBeDefined();

    await deliver(); // a duplicate message after it all went out: nothing again
    expect(mails).toHaveLength(1);
    expect(posts).toHaveLength(1);
  });

  it("a retry after the e-mail failed posts no second webhook notice", async () => {
    const { deliver, mails, posts, fail, cases } = setUp({ webhookUrl: HOOK, email: INBOX });
    fail.email = true;
    await expect(deliver()).rejects.toThrow(/email: SES: throttled/);
    expect(posts).toHaveLength(1);
    expect(mails).toHaveLength(0);
    const first = cases.records.get(REF);
    expect([first?.webhookNotifiedFor, first?.emailNotifiedFor]).toEqual([first?.deliveredAt, undefined]);
    fail.email = false;
    await deliver();
    expect(posts).toHaveLength(1);
    expect(mails).toHaveLength(1);
    expect(cases.records.get(REF)?.notifiedAt).toBeDefined();
  });

  it("a new delivery of the case (a transfer back) is notified afresh", async () => {
    const { deliver, mails, cases } = setUp({ email: INBOX });
    await deliver();
    const c = cases.records.get(REF) as CaseRecord;
    cases.records.set(REF, { ...c, status: "routed" }); // transferred away and back
    await deliver();
    expect(mails).toHaveLength(2);
  });

  it("records a channel that succeeded only while another is also being sent", async () => {
    const recorded: NoticeChannel[] = [];
    const ch = channels();
    const log = new MemoryLog();
    const notify = inboxNotifier(
      {
        webhook: webhookNotifier(async () => "unit-test-secret-0123456789", ch.fetchImpl),
        email: emailNotifier(ch.send, { publicBaseUrl: BASE, log }),
      },
      log,
    );
    const both = withNotify({ webhookUrl: HOOK, email: INBOX });
    const notice = deliveryNotice(routedCase(), "rar-bornholm");
    const progress = (done: NoticeChannel[]): NoticeProgress => ({
      done: new Set(done),
      sent: async (c) => recorded.push(c),
    });
    await notify(both, notice, progress(["email", "webhook"]));
    expect([ch.mails.length, ch.posts.length, recorded]).toEqual([0, 0, []]);
    await notify(both, notice, progress(["email"])); // alone: the caller's markNotified records it
    expect([ch.mails.length, ch.posts.length, recorded]).toEqual([0, 1, []]);
    await notify(both, notice, progress([]));
    expect([ch.mails.length, ch.posts.length, recorded.sort()]).toEqual([1, 2, ["email", "webhook"]]);
  });
});

describe("the delivery worker's e-mail sender", () => {
  const ctx = (env: Record<string, string> = {}) => {
    const config = loadConfig({ QUEUE_URL_PREFIX: "http://queues.invalid/", ...env });
    return { config, log: new MemoryLog() };
  };

  it("with no sender configured (no NOTIFY_FROM_EMAIL) sends nothing, does not throw, logs one INFO line", async () => {
    const c = ctx();
    expect(sesMailSender(c.config)).toBeUndefined();
    const notify = deliveryNotifier(c);
    await expect(
      notify(withNotify({ email: INBOX }), deliveryNotice(routedCase(), "rar-bornholm"), {
        done: new Set(),
        sent: async () => {
          throw new Error("nothing was sent, so nothing may be recorded");
        },
      }),
    ).resolves.toBeUndefined();
    expect(c.log.lines).toEqual([
      { level: "info", message: "email notice skipped: no sender configured (NOTIFY_FROM_EMAIL)" },
    ]);
  });

  it("on AWS sends through SES v2 from NOTIFY_FROM_EMAIL, text and HTML in UTF-8", async () => {
    const inputs: unknown[] = [];
    const client = new SESv2Client({ region: "eu-north-1" });
    client.middlewareStack.add(
      (_next, context) => async (args) => {
        expect(context.commandName).toBe("SendEmailCommand");
        inputs.push(args.input);
        return { output: { MessageId: "m-1", $metadata: {} }, response: {} };
      },
      { step: "initialize", name: "captureSes" },
    );
    const send = sesMailSender(
      { NOTIFY_FROM_EMAIL: "indgang@notify.example.dk", AWS_REGION: "eu-north-1" },
      async () => client,
    );
    if (!send) throw new Error("no sender");
    const mail = deliveryMail(deliveryNotice(routedCase(), "rar-bornholm"), INBOX, BASE);
    await send(mail);
    expect(inputs).toEqual([
      {
        FromEmailAddress: "indgang@notify.example.dk",
        Destination: { ToAddresses: [INBOX] },
        Content: {
          Simple: {
            Subject: { Data: mail.subject, Charset: "UTF-8" },
            Body: {
              Text: { Data: mail.text, Charset: "UTF-8" },
              Html: { Data: mail.html, Charset: "UTF-8" },
            },
          },
        },
      },
    ]);
  });

  it("locally writes each e-mail as a JSON file into the outbox and logs its path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "indgang-outbox-"));
    try {
      const log = new MemoryLog();
      const infos: Record<string, unknown>[] = [];
      const send = outboxMailSender(join(dir, "outbox"), {
        info: (m, ...x) => {
          log.info(m);
          infos.push(...x);
        },
      });
      const mail = deliveryMail(deliveryNotice(routedCase(), "rar-bornholm"), INBOX, BASE);
      await send(mail);
      const files = readdirSync(join(dir, "outbox"));
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/\.json$/);
      const file = join(dir, "outbox", files[0] as string);
      const written = JSON.parse(readFileSync(file, "utf8"));
      expect(Object.keys(written).sort()).toEqual(["at", "html", "subject", "text", "to"]);
      expect(written).toMatchObject({ ...mail, at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
      expect(log.lines).toEqual([{ level: "info", message: "e-mail written to the local outbox" }]);
      expect(infos).toEqual([{ file }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
