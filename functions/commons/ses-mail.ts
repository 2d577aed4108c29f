import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { cached } from "#shared/cached.ts";
import type { Config } from "#shared/config.ts";
import type { MailSender } from "#shared/notify.ts";

/**
 * E-mail through Amazon SES v2 from NOTIFY_FROM_EMAIL (an identity verified in SES outside the
 * stack), or undefined when no sender is configured. The SES client is constructed on the first
 * e-mail; only this worker's bundle has it. (Imported statically: a dynamic `import()` of the
 * package kept all of SES's ~100 commands in the bundle, 63 KB, where esbuild keeps only this one.)
 */
export function sesMailSender(
  config: Pick<Config, "NOTIFY_FROM_EMAIL" | "AWS_REGION">,
  client: () => Promise<Pick<SESv2Client, "send">> = sesClient(config.AWS_REGION),
): MailSender | undefined {
  const from = config.NOTIFY_FROM_EMAIL;
  if (!from) return undefined;
  return async (mail) => {
    const ses = await client();
    const utf8 = (Data: string) => ({ Data, Charset: "UTF-8" });
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: from,
        Destination: { ToAddresses: [mail.to] },
        ...(mail.replyTo ? { ReplyToAddresses: [mail.replyTo] } : {}),
        Content: {
          Simple: {
            Subject: utf8(mail.subject),
            Body: { Text: utf8(mail.text), Html: utf8(mail.html) },
          },
        },
      }),
    );
  };
}

/** Constructed once, on first use. */
function sesClient(region: string): () => Promise<SESv2Client> {
  return cached(async () => new SESv2Client({ region }), Number.POSITIVE_INFINITY);
}
