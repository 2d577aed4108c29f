import { randomUUID } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Log } from "#shared/log.ts";
import type { MailSender } from "#shared/notify.ts";

/**
 * Locally (`npm start`) there is no SES: each e-mail is written as a JSON file
 * (`to`, `replyTo` when set, `subject`, `text`, `html`, `at`) into `dir` (the data directory's `outbox/`), and its path
 * logged at INFO. Written to a temporary name and renamed, so a reader never sees half a file.
 */
export function outboxMailSender(dir: string, log: Pick<Log, "info">, now = () => new Date()): MailSender {
  return async (mail) => {
    await mkdir(dir, { recursive: true });
    const at = now().toISOString();
    const file = join(dir, `${at.replace(/[:.]/g, "-")}-${randomUUID().slice(0, 8)}.json`);
    const body = `${JSON.stringify({ to: mail.to, ...(mail.replyTo ? { replyTo: mail.replyTo } : {}), subject: mail.subject, text: mail.text, html: mail.html, at }, null, 2)}\n`;
    await writeFile(`${file}.tmp`, body, "utf8");
    await rename(`${file}.tmp`, file);
    log.info("e-mail written to the local outbox", { file });
  };
}
