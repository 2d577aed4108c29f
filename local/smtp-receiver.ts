import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { senderLimiter } from "#functions/commons/sender-limiter.ts";
import { type InboundDeps, MAX_INBOUND_BYTES, receiveReply } from "#shared/conversation/inbound.ts";
import type { Log } from "#shared/log.ts";

/**
 * The local stack's inbound mail: a loopback SMTP server (no TLS, no AUTH: it listens on 127.0.0.1
 * only) that hands each message to `receiveReply`, as SES inbound's function does on AWS. Refusals
 * are SMTP errors the sending mail program turns into a bounce: 552 too large, 554 attachments or
 * no text or a closed case, 450 a rate limit (try later). A forged or foreign address is accepted
 * and dropped (250), so that nothing tells a forger which addresses are real.
 *
 * `receive` is `receiveReply` unless the caller wraps it (the embedded stack runs it as the
 * `inboundMail` function under its call recorder, so the grants check covers its calls).
 */
export async function startSmtpReceiver(
  deps: Omit<InboundDeps, "senderAllowed">,
  options: { port: number; log: Pick<Log, "info" | "warn">; receive?: typeof receiveReply },
): Promise<{ port: number; stop: () => Promise<void> }> {
  const senderAllowed = senderLimiter();
  const receive = options.receive ?? receiveReply;
  const server = new SMTPServer({
    name: "indgang.localhost",
    banner: "Indgang local reply receiver",
    disabledCommands: ["AUTH", "STARTTLS"],
    authOptional: true,
    size: MAX_INBOUND_BYTES,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => {
        if (!stream.sizeExceeded) chunks.push(chunk);
      });
      stream.on("end", () => {
        if (stream.sizeExceeded) {
          options.log.info("inbound e-mail refused", { why: "too_large" });
          return callback(smtpError(552, `Message too large: at most ${MAX_INBOUND_BYTES / 1024} KB`));
        }
        const recipients = session.envelope.rcptTo.map((a) => a.address);
        const sender = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
        receive({ ...deps, senderAllowed }, { recipients, sender, raw: Buffer.concat(chunks) }).then(
          (outcome) => {
            if (outcome.kind !== "refused") return callback();
            const code = outcome.why === "rate_limited" ? 450 : outcome.why === "too_large" ? 552 : 554;
            callback(smtpError(code, outcome.message));
          },
          (err: unknown) => {
            options.log.warn("inbound e-mail failed", {
              error: err instanceof Error ? err.message : String(err),
            });
            callback(smtpError(451, "Temporary failure; try again later"));
          },
        );
      });
    },
  });
  server.on("error", (err) => options.log.warn("SMTP receiver error", { error: err.message }));
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return { port, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function smtpError(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}
