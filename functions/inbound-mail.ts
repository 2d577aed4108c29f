import { loadConfig } from "#shared/config.ts";
import { receiveReply } from "#shared/conversation/inbound.ts";
import { caseLinkSecret } from "./commons/case-link-secret.ts";
import { createContext } from "./commons/context.ts";
import { s3MailStore } from "./commons/s3-mail-store.ts";
import { senderLimiter } from "./commons/sender-limiter.ts";
import { sesMailSender } from "./commons/ses-mail.ts";
import { createInboundMailHandler } from "./workers/inbound-mail-handler.ts";

/**
 * SES inbound (receipt rule: S3, then this function): a company's e-mail reply onto its case. It
 * runs in the region that receives mail (infra/README.md); the table, the case-link key and the SES
 * sender live in the application's region, APP_REGION, which every client but S3's uses.
 */
const env = process.env;
const bucketRegion = env.AWS_REGION ?? "eu-west-1";
const config = loadConfig({ ...env, AWS_REGION: env.APP_REGION ?? bucketRegion });
const ctx = createContext(config);
const senderAllowed = senderLimiter();
const deps = { ...ctx, caseLinkSecret: caseLinkSecret(config), senderAllowed };

export const handler = createInboundMailHandler({
  log: ctx.log,
  store: s3MailStore(env.INBOUND_MAIL_BUCKET ?? "", bucketRegion),
  objectKeyPrefix: env.INBOUND_MAIL_PREFIX ?? "",
  receive: (mail) => receiveReply(deps, mail),
  bounce: sesMailSender(config),
});
