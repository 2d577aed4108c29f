import { DeleteObjectCommand, GetObjectCommand } from "@aws-sdk/client-s3";
import type { SESEvent, SESReceiptStatus } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { s3MailStore } from "#functions/commons/s3-mail-store.ts";
import { senderLimiter } from "#functions/commons/sender-limiter.ts";
import { BOUNCE_SUBJECT, createInboundMailHandler } from "#functions/workers/inbound-mail-handler.ts";
import { type InboundMail, type InboundOutcome, MAX_INBOUND_BYTES } from "#shared/conversation/inbound.ts";
import type { Mail } from "#shared/notify.ts";

const SENDER = "mette@cafe.example.dk";
const REPLY_TO = "svar+IND-7K3M-Q9PX.20260302.0123456789abcdef0123@svar.indgang.example.dk";
const RAW = "From: Mette <mette@cafe.example.dk>\r\nSubject: Re: sag\r\n\r\nHan kan starte 1. marts.";
const status = (s: SESReceiptStatus["status"]): SESReceiptStatus => ({ status: s });

/** An SES inbound event for one message, as the receipt rule's Lambda action delivers it. */
function sesEvent(
  verdicts: Partial<Record<"spam" | "virus" | "spf" | "dkim", "PASS" | "FAIL">> = {},
): SESEvent {
  return {
    Records: [
      {
        eventSource: "aws:ses",
        eventVersion: "1.0",
        ses: {
          mail: {
            timestamp: "2026-03-02T10:00:00.000Z",
            source: SENDER,
            messageId: "o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1",
            destination: [REPLY_TO],
            headersTruncated: false,
            headers: [],
            commonHeaders: {
              returnPath: SENDER,
              from: [SENDER],
              to: [REPLY_TO],
              subject: "Re: sag",
              date: "Mon, 2 Mar 2026 10:00:00 +0000",
              messageId: "<1@cafe.example.dk>",
            },
          },
          receipt: {
            timestamp: "2026-03-02T10:00:00.000Z",
            processingTimeMillis: 200,
            recipients: [REPLY_TO],
            spamVerdict: status(verdicts.spam ?? "PASS"),
            virusVerdict: status(verdicts.virus ?? "PASS"),
            spfVerdict: status(verdicts.spf ?? "PASS"),
            dkimVerdict: status(verdicts.dkim ?? "PASS"),
            dmarcVerdict: status("PASS"),
            action: {
              type: "Lambda",
              functionArn: "arn:aws:lambda:eu-west-1:123456789012:function:x",
              invocationType: "Event",
            },
          },
        },
      },
    ],
  };
}

/** A handler over fakes: the bucket as a map, `receiveReply` replaced by `outcome`, the bounces kept. */
function setup(outcome: () => Promise<InboundOutcome>, options: { bounce?: boolean } = {}) {
  const objects = new Map([
    ["inbound/o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1", new TextEncoder().encode(RAW)],
  ]);
  const received: InboundMail[] = [];
  const bounces: Mail[] = [];
  const logged: string[] = [];
  const log = {
    info: (m: string, ...extra: Record<string, unknown>[]) => logged.push(JSON.stringify([m, ...extra])),
    warn: (m: string, ...extra: Record<string, unknown>[]) => logged.push(JSON.stringify([m, ...extra])),
  };
  const handler = createInboundMailHandler({
    log,
    objectKeyPrefix: "inbound/",
    store: {
      read: async (key) => {
        const o = objects.get(key);
        if (!o) throw new Error(`NoSuchKey ${key}`);
        return o;
      },
      remove: async (key) => {
        objects.delete(key);
      },
    },
    receive: async (mail) => {
      received.push(mail);
      return outcome();
    },
    bounce: options.bounce === false ? undefined : async (mail) => void bounces.push(mail),
  });
  return { handler, objects, received, bounces, logged };
}

describe("the SES inbound function", () => {
  it("hands the raw message from S3 to receiveReply with the receipt's recipients and the envelope sender, then deletes it", async () => {
    const t = setup(async () => ({ kind: "accepted", reference: "IND-7K3M-Q9PX" }));
    await t.handler(sesEvent());
    expect(t.received).toHaveLength(1);
    expect(t.received[0]?.recipients).toEqual([REPLY_TO]);
    expect(t.received[0]?.sender).toBe(SENDER);
    expect(new TextDecoder().decode(t.received[0]?.raw as Uint8Array)).toBe(RAW);
    expect(t.objects.size).toBe(0);
    expect(t.bounces).toEqual([]);
  });

  it.each([
    [{ virus: "FAIL" } as const, "virus verdict FAIL"],
    [{ spam: "FAIL" } as const, "spam verdict FAIL"],
    [{ spf: "FAIL", dkim: "FAIL" } as const, "SPF and DKIM verdicts FAIL"],
  ])(
    "drops a message SES rules out (%o): never read, never bounced, deleted, logged without personal data",
    async (verdicts, why) => {
      const t = setup(async () => ({ kind: "accepted", reference: "IND-7K3M-Q9PX" }));
      await t.handler(sesEvent(verdicts));
      expect(t.received).toEqual([]);
      expect(t.bounces).toEqual([]);
      expect(t.objects.size).toBe(0);
      expect(t.logged.join("\n")).toContain(why);
      for (const personal of [SENDER, REPLY_TO, "Re: sag", "marts"])
        expect(t.logged.join("\n")).not.toContain(personal);
    },
  );

  it("accepts a message that fails only one of SPF and DKIM", async () => {
    const t = setup(async () => ({ kind: "accepted", reference: "IND-7K3M-Q9PX" }));
    await t.handler(sesEvent({ spf: "FAIL" }));
    expect(t.received).toHaveLength(1);
  });

  it("bounces a refused reply to the envelope sender with the refusal's text, then deletes the message", async () => {
    const t = setup(async () => ({
      kind: "refused",
      why: "attachment",
      message: "Attachments are not accepted.",
    }));
    await t.handler(sesEvent());
    expect(t.bounces).toEqual([
      expect.objectContaining({ to: SENDER, subject: BOUNCE_SUBJECT, text: "Attachments are not accepted." }),
    ]);
    expect(t.bounces[0]?.html).toContain("<p>Attachments are not accepted.</p>");
    expect(t.objects.size).toBe(0);
    expect(t.logged.join("\n")).not.toContain(SENDER);
  });

  it("without a sender address configured, a refusal is logged and not bounced", async () => {
    const t = setup(async () => ({ kind: "refused", why: "empty", message: "No text." }), { bounce: false });
    await t.handler(sesEvent());
    expect(t.bounces).toEqual([]);
    expect(t.logged.join("\n")).toContain("no sender configured");
    expect(t.objects.size).toBe(0);
  });

  it("a dropped message (forged address) is deleted and not bounced", async () => {
    const t = setup(async () => ({ kind: "dropped", why: "bad_signature" }));
    await t.handler(sesEvent());
    expect(t.bounces).toEqual([]);
    expect(t.objects.size).toBe(0);
  });

  it("a transient failure (DynamoDB unreachable) is thrown and leaves the object for the retry", async () => {
    const t = setup(async () => {
      throw new Error("ECONNREFUSED dynamodb");
    });
    await expect(t.handler(sesEvent())).rejects.toThrow("ECONNREFUSED");
    expect(t.objects.size).toBe(1);
  });
});

describe("the S3 mail store", () => {
  it("reads at most MAX_INBOUND_BYTES + 1 bytes of the object and deletes it by key", async () => {
    const sent: unknown[] = [];
    const client = {
      send: async (command: unknown) => {
        sent.push(command);
        return { Body: { transformToByteArray: async () => new Uint8Array([1, 2, 3]) } };
      },
    };
    const store = s3MailStore("indgang-dev-inbound-mail", "eu-west-1", async () => client as never);
    expect(await store.read("inbound/abc")).toEqual(new Uint8Array([1, 2, 3]));
    await store.remove("inbound/abc");
    const [get, del] = sent;
    expect(get).toBeInstanceOf(GetObjectCommand);
    expect((get as GetObjectCommand).input).toEqual({
      Bucket: "indgang-dev-inbound-mail",
      Key: "inbound/abc",
      Range: `bytes=0-${MAX_INBOUND_BYTES}`,
    });
    expect(del).toBeInstanceOf(DeleteObjectCommand);
    expect((del as DeleteObjectCommand).input).toEqual({
      Bucket: "indgang-dev-inbound-mail",
      Key: "inbound/abc",
    });
  });
});

describe("the per-sender limit", () => {
  it("allows a sender so many replies in an hour, then again after the hour", () => {
    let now = 0;
    const allowed = senderLimiter(2, () => now);
    expect([allowed("a@x.dk"), allowed("a@x.dk"), allowed("a@x.dk"), allowed("b@x.dk")]).toEqual([
      true,
      true,
      false,
      true,
    ]);
    now = 3_600_001;
    expect(allowed("a@x.dk")).toBe(true);
  });
});
