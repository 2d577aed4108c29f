import type { Node } from "constructs";
import * as z from "zod/mini";
import { ConsortiumIdSchema, DEFAULT_CONSORTIUM_IDS } from "#shared/reference/consortia.ts";
import { dlqName, queueDefinitions } from "#shared/resources.ts";

/**
 * Everything that differs between deployments, read once from CDK context (`cdk.json` or
 * `-c key=value` on the command line). Nothing else in `infra/` reads context or the environment,
 * so a stack is a pure function of this object.
 *
 * | context key        | default                       | meaning                                              |
 * |--------------------|-------------------------------|------------------------------------------------------|
 * | `stage`            | `dev`                         | environment name; resource prefix is `indgang-<stage>` |
 * | `region`           | `eu-north-1`                  | region of the application stack                       |
 * | `consortia`        | the eight RAR areas           | comma-separated ids (or a JSON array in cdk.json)     |
 * | `publicBaseUrl`    | the CloudFront URL            | public origin used in status links and OAuth callbacks |
 * | `allowedOrigins`   | `publicBaseUrl` if set, else none | exact CORS allow-list for the HTTP API (comma-separated) |
 * | `webAclArn`        | a WebACL deployed by this app | an existing CLOUDFRONT-scope WebACL to use instead    |
 * | `domainName`, `certificateArn` | none              | custom domain on CloudFront (certificate in us-east-1) |
 * | `alarmEmail`       | none                          | e-mail subscribed to the alarm topic                  |
 * | `notifyFromEmail`  | none (no e-mail notices)      | SES-verified sender of e-mail notices to inboxes      |
 * | `replyDomain`      | none (no reply by e-mail)     | domain of the signed reply addresses (SES inbound)    |
 * | `inboundMailRegion`| `eu-west-1`                   | region of the inbound-mail stack (SES receives there) |
 */
export interface InfraConfig {
  readonly stage: string;
  /** `indgang-<stage>`: the prefix of every resource name (see shared/resources.ts). */
  readonly prefix: string;
  readonly region: string;
  /** From CDK_DEFAULT_ACCOUNT when the CLI has credentials; synthesis works without it. */
  readonly account: string | undefined;
  readonly consortiumIds: readonly string[];
  readonly publicBaseUrl: string | undefined;
  readonly allowedOrigins: readonly string[];
  readonly webAclArn: string | undefined;
  readonly customDomain: { readonly domainName: string; readonly certificateArn: string } | undefined;
  readonly alarmEmail: string | undefined;
  /**
   * NOTIFY_FROM_EMAIL of the delivery worker, which may then send as exactly this address through
   * SES (identity verified outside the stack). Unset: no grant, no variable, e-mail notices skipped.
   */
  readonly notifyFromEmail: string | undefined;
  /**
   * REPLY_DOMAIN of the functions: the companies' replies to `svar+…@<replyDomain>` are received by
   * SES in `inboundMailRegion` (the inbound-mail stack). Unset: no Reply-To, no inbound stack.
   */
  readonly replyDomain: string | undefined;
  /** Where SES receives the replies: a region that offers SES e-mail receiving (infra/README.md). */
  readonly inboundMailRegion: string;
  /** Retention of Lambda, API and WAF-adjacent log groups. */
  readonly logRetentionDays: number;
  /** RETENTION_DAYS for the functions: closed cases expire this many days after closing. */
  readonly caseRetentionDays: number;
  /** SWEEP_AFTER_SECONDS for the functions. */
  readonly sweepAfterSeconds: number;
  /** HTTP API stage throttling (requests per second, steady and burst). */
  readonly apiThrottle: { readonly rateLimit: number; readonly burstLimit: number };
  /** WAF rate-based rules: requests per IP per 5 minutes (all requests / new cases). */
  readonly wafRateLimits: { readonly perIp: number; readonly intakePerIp: number };
  /** Maximum concurrent Lambda invocations per SQS event source (protects the table). */
  readonly maxConcurrency: { readonly triage: number; readonly delivery: number };
}

/** The retention periods CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

const STAGE_PATTERN = /^[a-z][a-z0-9-]{1,15}$/;
/** SQS queue names are at most 80 characters. */
const MAX_QUEUE_NAME = 80;

type ContextReader = Pick<Node, "tryGetContext">;

function optionalString(node: ContextReader, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw new Error(`context "${key}" must be a string`);
  return value.trim();
}

function stringList(node: ContextReader, key: string): string[] | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === "") return undefined;
  if (Array.isArray(value) && value.every((v): v is string => typeof v === "string")) return value;
  if (typeof value === "string") {
    const text = value.trim();
    if (text.startsWith("[")) return stringListFromJson(key, text);
    return text
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  }
  throw new Error(`context "${key}" must be a comma-separated string or an array of strings`);
}

function stringListFromJson(key: string, text: string): string[] {
  const parsed: unknown = JSON.parse(text);
  if (Array.isArray(parsed) && parsed.every((v): v is string => typeof v === "string")) return parsed;
  throw new Error(`context "${key}" must be a JSON array of strings`);
}

function positiveInt(node: ContextReader, key: string, fallback: number): number {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === "") return fallback;
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`context "${key}" must be a positive integer`);
  return n;
}

/** The same check as NOTIFY_FROM_EMAIL in shared/config.ts, so a deploy cannot set what the code refuses. */
function emailAddress(node: ContextReader, key: string): string | undefined {
  const value = optionalString(node, key);
  if (value !== undefined && !z.email().safeParse(value).success) {
    throw new Error(`context "${key}" must be an e-mail address (got "${value}")`);
  }
  return value;
}

/** The same pattern as REPLY_DOMAIN in shared/config.ts, without `localhost` (not a deployable domain). */
const DOMAIN_PATTERN = /^[a-z0-9.-]+\.[a-z]{2,}$/;

function domainContext(node: ContextReader, key: string): string | undefined {
  const value = optionalString(node, key)?.toLowerCase();
  if (value !== undefined && !DOMAIN_PATTERN.test(value)) {
    throw new Error(`context "${key}" must be a domain name (got "${value}")`);
  }
  return value;
}

function httpsOrigin(key: string, value: string): string {
  const url = new URL(value);
  if (url.protocol !== "https:" && url.hostname !== "localhost") {
    throw new Error(`context "${key}": ${value} must be an https origin`);
  }
  return url.origin;
}

export function loadInfraConfig(node: ContextReader, env: NodeJS.ProcessEnv = process.env): InfraConfig {
  const stage = optionalString(node, "stage") ?? "dev";
  if (!STAGE_PATTERN.test(stage)) {
    throw new Error(`context "stage" must match ${STAGE_PATTERN} (got "${stage}")`);
  }
  const prefix = `indgang-${stage}`;

  const consortiumIds = stringList(node, "consortia") ?? [...DEFAULT_CONSORTIUM_IDS];
  if (consortiumIds.length === 0) throw new Error(`context "consortia" must name at least one consortium`);
  for (const id of consortiumIds) {
    const result = ConsortiumIdSchema.safeParse(id);
    if (!result.success) throw new Error(`context "consortia": "${id}" is not a valid consortium id`);
  }
  if (new Set(consortiumIds).size !== consortiumIds.length) {
    throw new Error(`context "consortia" lists a consortium twice`);
  }
  for (const def of queueDefinitions(consortiumIds)) {
    const name = dlqName(prefix, def);
    if (name.length > MAX_QUEUE_NAME) {
      throw new Error(`queue name ${name} is longer than ${MAX_QUEUE_NAME} characters: shorten stage or id`);
    }
  }

  const rawBaseUrl = optionalString(node, "publicBaseUrl");
  const publicBaseUrl = rawBaseUrl === undefined ? undefined : httpsOrigin("publicBaseUrl", rawBaseUrl);
  const allowedOrigins = (stringList(node, "allowedOrigins") ?? (publicBaseUrl ? [publicBaseUrl] : [])).map(
    (o) => httpsOrigin("allowedOrigins", o),
  );

  const domainName = optionalString(node, "domainName");
  const certificateArn = optionalString(node, "certificateArn");
  if ((domainName === undefined) !== (certificateArn === undefined)) {
    throw new Error(`context "domainName" and "certificateArn" must be given together`);
  }
  if (certificateArn !== undefined && !certificateArn.startsWith("arn:aws:acm:us-east-1:")) {
    throw new Error(`context "certificateArn" must be an ACM certificate in us-east-1 (CloudFront)`);
  }
  const webAclArn = optionalString(node, "webAclArn");
  if (webAclArn !== undefined && !/^arn:aws:wafv2:us-east-1:\d{12}:global\/webacl\//.test(webAclArn)) {
    throw new Error(`context "webAclArn" must be a CLOUDFRONT-scope (global) WebACL ARN in us-east-1`);
  }

  const production = stage === "prod";
  const logRetentionDays = positiveInt(node, "logRetentionDays", production ? 90 : 14);
  if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) {
    throw new Error(`context "logRetentionDays" must be one of ${LOG_RETENTION_DAYS.join(", ")}`);
  }
  return {
    stage,
    prefix,
    region: optionalString(node, "region") ?? "eu-north-1",
    account: env.CDK_DEFAULT_ACCOUNT,
    consortiumIds,
    publicBaseUrl,
    allowedOrigins,
    webAclArn,
    customDomain: domainName && certificateArn ? { domainName, certificateArn } : undefined,
    alarmEmail: optionalString(node, "alarmEmail"),
    notifyFromEmail: emailAddress(node, "notifyFromEmail"),
    replyDomain: domainContext(node, "replyDomain"),
    inboundMailRegion: optionalString(node, "inboundMailRegion") ?? "eu-west-1",
    logRetentionDays,
    caseRetentionDays: positiveInt(node, "caseRetentionDays", 365),
    sweepAfterSeconds: positiveInt(node, "sweepAfterSeconds", 60),
    apiThrottle: {
      rateLimit: positiveInt(node, "apiRateLimit", 50),
      burstLimit: positiveInt(node, "apiBurstLimit", 100),
    },
    wafRateLimits: {
      perIp: positiveInt(node, "wafRateLimit", 1000),
      intakePerIp: positiveInt(node, "wafIntakeRateLimit", 100),
    },
    maxConcurrency: {
      triage: positiveInt(node, "triageMaxConcurrency", 5),
      delivery: positiveInt(node, "deliveryMaxConcurrency", 2),
    },
  };
}
