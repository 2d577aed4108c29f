import * as z from "zod/mini";
import "./zod.ts";

/**
 * Runtime configuration, read from the environment once per process. The same variables are set by
 * the CDK stack on Lambda (`infra/`) and by `npm start` for the embedded local stack (`local/`);
 * no code path reads anything else to learn where it runs. (zod/mini, as for every schema every
 * function loads: a fraction of classic zod's size and import time; see README "Performance".)
 */
const EnvSchema = z.object({
  AWS_REGION: z._default(z.string(), "eu-north-1"),
  /** Prefix of every resource name, e.g. `indgang-prod`; see shared/resources.ts. */
  RESOURCE_PREFIX: z._default(z.string(), "indgang-local"),
  TABLE_NAME: z.optional(z.string()),
  /** URL of a queue minus its name: `https://sqs.<region>.amazonaws.com/<account>/`. */
  QUEUE_URL_PREFIX: z.url(),
  /** Only set locally: the emulators' endpoints. */
  DYNAMODB_ENDPOINT: z.optional(z.url()),
  SQS_ENDPOINT: z.optional(z.url()),
  /** Public origin used in status links, e.g. https://indgang.example.dk */
  PUBLIC_BASE_URL: z._default(z.url(), "http://localhost:3000"),
  /** A case not delivered after this many seconds is re-sent by the sweeper. */
  SWEEP_AFTER_SECONDS: z._default(z.coerce.number().check(z.int(), z.positive()), 60),
  /** Closed cases (and their personal data) expire this many days after closing. */
  RETENTION_DAYS: z._default(z.coerce.number().check(z.int(), z.positive()), 365),
  /** How long a rule set read from the table is cached before checking for a newer version. */
  RULES_CACHE_SECONDS: z._default(z.coerce.number().check(z.nonnegative()), 5),
  /** Cognito user pool and app client whose ID tokens the staff API accepts (AWS). */
  COGNITO_USER_POOL_ID: z.optional(z.string()),
  COGNITO_CLIENT_ID: z.optional(z.string()),
  /** The Cognito hosted sign-in domain, e.g. https://indgang-prod.auth.eu-north-1.amazoncognito.com */
  COGNITO_DOMAIN_URL: z.optional(z.url()),
  /** Shared secret that signs webhook notices to consortium inboxes (from a secret store on AWS). */
  WEBHOOK_SECRET: z.optional(z.string().check(z.minLength(16))),
  /** On AWS: the Secrets Manager secret that holds it (read once per container). */
  WEBHOOK_SECRET_ARN: z.optional(z.string()),
  /**
   * The key the company's links are derived from (status tokens: shared/conversation/case-links.ts).
   * `npm start` keeps one in its data directory; on AWS it is read from CASE_LINK_SECRET_ARN.
   */
  CASE_LINK_SECRET: z.optional(z.string().check(z.minLength(16))),
  CASE_LINK_SECRET_ARN: z.optional(z.string()),
  /**
   * The domain of the cases' signed reply addresses (`svar+<reference>.<day>.<hmac>@REPLY_DOMAIN`):
   * SES inbound on AWS, the loopback SMTP receiver locally. Unset: e-mails carry no reply address.
   */
  REPLY_DOMAIN: z.optional(z.string().check(z.regex(/^[a-z0-9.-]+\.[a-z]{2,}$|^localhost$/))),
  /** The accessibility statement the public pages' footer links (Danish public sites publish one at was.digst.dk). */
  ACCESSIBILITY_STATEMENT_URL: z._default(z.url(), "https://www.was.digst.dk/"),
  /**
   * On AWS: the SES-verified sender of e-mail notices to consortium inboxes. Unset: e-mail notices
   * are skipped (one INFO line each). Locally e-mails go to `<data dir>/outbox/` whatever this is.
   */
  NOTIFY_FROM_EMAIL: z.optional(z.email()),
  /**
   * On AWS: the value CloudFront sends in the `ORIGIN_VERIFY_HEADER` header to the HTTP API; the
   * public and staff functions refuse requests without it (functions/http/origin-verify.ts). It only
   * proves that a request came through CloudFront and its WAF. Their Lambda entries refuse to serve
   * on AWS without it; `npm start` has no CloudFront and does not set it.
   */
  ORIGIN_VERIFY_SECRET: z.optional(z.string().check(z.minLength(32))),
  /** On AWS: the consortia whose queues the stack deployed (comma-separated). */
  DEPLOYED_CONSORTIA: z.optional(z.string()),
  /** New requests per client per minute at the public intake (per process; WAF limits on AWS). */
  INTAKE_RATE_LIMIT_PER_MINUTE: z._default(z.coerce.number().check(z.int(), z.positive()), 30),
  /** CloudWatch namespace of the flow metrics (EMF, functions/commons/emf-metrics.ts); the stack sets `Indgang/<stage>`. */
  METRICS_NAMESPACE: z._default(z.string(), "Indgang"),
  /** "local" enables the dev sign-in; never set on AWS. */
  INDGANG_MODE: z._default(z.enum(["aws", "local"]), "aws"),
});

/** The request header CloudFront adds on its way to the HTTP API (infra/constructs/edge.ts). */
export const ORIGIN_VERIFY_HEADER = "x-origin-verify";

export type Config = z.infer<typeof EnvSchema> & { tableName: string };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.parse(env);
  return { ...parsed, tableName: parsed.TABLE_NAME ?? `${parsed.RESOURCE_PREFIX}-cases` };
}
