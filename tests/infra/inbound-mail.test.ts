import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Template } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INBOUND_EXPIRE_DAYS } from "#infra/inbound-mail-stack.ts";
import { FUNCTIONS } from "#infra/stack.ts";
import {
  functionId,
  functionRoleId,
  prop,
  refOf,
  resources,
  roleStatements,
  type Statement,
  type Synthesized,
  synthIndgang,
} from "./synth.ts";

const PREFIX = "indgang-dev";
const DOMAIN = "svar.indgang.example.dk";
const SENDER = "indgang@example.dk";
const FN = `${PREFIX}-${FUNCTIONS.inboundMail.name}`;

let s: Synthesized;
let t: Template;
let without: Synthesized;
beforeAll(() => {
  s = synthIndgang({ context: { replyDomain: DOMAIN, notifyFromEmail: SENDER } });
  if (!s.inboundMail) throw new Error("no inbound-mail stack with a reply domain");
  t = s.inboundMail;
  without = synthIndgang();
});
afterAll(() => {
  s.dispose();
  without.dispose();
});

const one = (type: string, props?: Record<string, unknown>) => {
  const found = resources(t, type, props);
  expect(found, type).toHaveLength(1);
  return found[0] as (typeof found)[number];
};
const messagesBucket = () => {
  const [id, bucket] =
    resources(t, "AWS::S3::Bucket").find(([, b]) => b.Properties?.LoggingConfiguration !== undefined) ?? [];
  if (!id || !bucket) throw new Error("no bucket with access logging");
  return [id, bucket] as const;
};
const getAtt = (id: string) => ({ "Fn::GetAtt": [id, "Arn"] });
const inApp = (service: string, resource: string) => ({
  "Fn::Join": ["", [`arn:aws:${service}:eu-north-1:`, { Ref: "AWS::AccountId" }, resource]],
});
const sorted = (statements: Statement[]) =>
  statements
    .flatMap((st) =>
      st.actions.flatMap((a) => st.resources.map((r) => `${st.effect} ${a} ${JSON.stringify(r)}`)),
    )
    .sort();

describe("the inbound-mail stack", () => {
  it("exists only with a reply domain; without one the application stack says so and sets no REPLY_DOMAIN", () => {
    expect(without.indgang.inboundMailStack).toBeUndefined();
    const infos = without.indgang.stack.node.metadata
      .filter((m) => m.type === "aws:cdk:info")
      .map((m) => m.data);
    expect(infos).toContainEqual(expect.stringMatching(/no replyDomain/));
    for (const [, fn] of resources(without.template, "AWS::Lambda::Function")) {
      expect(prop<{ Variables: Record<string, unknown> }>(fn, "Environment").Variables).not.toHaveProperty(
        "REPLY_DOMAIN",
      );
    }
  });

  it("is pinned to a region that receives e-mail (eu-west-1 unless configured), after the application stack", () => {
    const stack = s.indgang.inboundMailStack;
    expect(stack?.region).toBe("eu-west-1");
    expect(stack?.dependencies).toContain(s.indgang.stack);
    const moved = synthIndgang({ context: { replyDomain: DOMAIN, inboundMailRegion: "us-east-1" } });
    try {
      expect(moved.indgang.inboundMailStack?.region).toBe("us-east-1");
    } finally {
      moved.dispose();
    }
  });

  it("the application's functions put their reply addresses at the reply domain", () => {
    for (const [id, fn] of resources(s.template, "AWS::Lambda::Function")) {
      const env = prop<{ Variables: Record<string, unknown> }>(fn, "Environment").Variables;
      expect(env.REPLY_DOMAIN, id).toBe(DOMAIN);
    }
  });

  it("refuses a reply domain that is not a domain name", () => {
    expect(() => synthIndgang({ context: { replyDomain: "svar@example.dk" } })).toThrow(
      /context "replyDomain" must be a domain name/,
    );
  });
});

describe("the messages bucket", () => {
  it("is encrypted, blocks all public access, is not versioned, logs access, and expires messages after a few days", () => {
    const [, bucket] = messagesBucket();
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: [
          {
            Prefix: "inbound/",
            ExpirationInDays: INBOUND_EXPIRE_DAYS,
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            Status: "Enabled",
          },
        ],
      },
    });
    expect(INBOUND_EXPIRE_DAYS).toBeLessThanOrEqual(7);
    expect(bucket.Properties?.VersioningConfiguration).toBeUndefined();
    const logBucket = refOf(
      prop<{ DestinationBucketName: unknown }>(bucket, "LoggingConfiguration").DestinationBucketName,
    );
    const [, logs] = resources(t, "AWS::S3::Bucket").find(([id]) => id === logBucket) ?? [];
    expect(logs?.Properties?.PublicAccessBlockConfiguration).toMatchObject({
      BlockPublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  it("denies every request without TLS, and lets only SES of this account put objects, only under the prefix", () => {
    const [id] = messagesBucket();
    const [, policy] =
      resources(t, "AWS::S3::BucketPolicy").find(([, p]) => refOf(p.Properties?.Bucket) === id) ?? [];
    const statements = prop<{ Statement: Record<string, unknown>[] }>(policy, "PolicyDocument").Statement;
    expect(statements).toEqual([
      {
        Effect: "Deny",
        Action: "s3:*",
        Principal: { AWS: "*" },
        Condition: { Bool: { "aws:SecureTransport": "false" } },
        Resource: [getAtt(id), { "Fn::Join": ["", [getAtt(id), "/*"]] }],
      },
      {
        Effect: "Allow",
        Action: "s3:PutObject",
        Principal: { Service: "ses.amazonaws.com" },
        Condition: { StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } } },
        Resource: { "Fn::Join": ["", [getAtt(id), "/inbound/*"]] },
      },
    ]);
  });
});

describe("the receipt rule", () => {
  it("takes every recipient at the reply domain, scans for spam and viruses, requires TLS; S3 first, then the function", () => {
    const [setId, set] = one("AWS::SES::ReceiptRuleSet");
    expect(set.Properties?.RuleSetName).toBe(`${PREFIX}-inbound`);
    const [, rule] = one("AWS::SES::ReceiptRule");
    expect(refOf(rule.Properties?.RuleSetName)).toBe(setId);
    const [bucketId] = messagesBucket();
    expect(prop(rule, "Rule")).toEqual({
      Name: `${PREFIX}-replies`,
      Enabled: true,
      Recipients: [DOMAIN],
      ScanEnabled: true,
      TlsPolicy: "Require",
      Actions: [
        { S3Action: { BucketName: { Ref: bucketId }, ObjectKeyPrefix: "inbound/" } },
        { LambdaAction: { FunctionArn: getAtt(functionId(t, FN)), InvocationType: "Event" } },
      ],
    });
    // Created after the bucket policy and the invoke permission, which SES checks when the rule is made.
    expect(rule.DependsOn).toEqual(
      expect.arrayContaining([expect.stringMatching(/Policy/), expect.stringMatching(/AllowSes/)]),
    );
  });

  it("only SES of this account may invoke the function", () => {
    const [, permission] = one("AWS::Lambda::Permission");
    expect(permission.Properties).toEqual({
      Action: "lambda:InvokeFunction",
      FunctionName: getAtt(functionId(t, FN)),
      Principal: "ses.amazonaws.com",
      SourceAccount: { Ref: "AWS::AccountId" },
    });
  });
});

describe("the inbound-mail function", () => {
  it("may read and delete messages under the prefix, read and update cases, read the case-link key and send the bounce: nothing else", () => {
    const [bucketId] = messagesBucket();
    const [fnId, fn] = one("AWS::Lambda::Function");
    const logGroup = refOf(prop<{ LogGroup: unknown }>(fn, "LoggingConfig").LogGroup) ?? "";
    const dlq = refOf(prop<{ TargetArn: unknown }>(fn, "DeadLetterConfig").TargetArn) ?? "";
    expect(fnId).toBe(functionId(t, FN));
    const allow = (actions: string[], resources: unknown[]): Statement => ({
      effect: "Allow",
      actions,
      resources,
    });
    expect(sorted(roleStatements(t, functionRoleId(t, FN)))).toEqual(
      sorted([
        allow(["logs:CreateLogStream", "logs:PutLogEvents"], [getAtt(logGroup)]),
        allow(["xray:PutTelemetryRecords", "xray:PutTraceSegments"], ["*"]),
        allow(["sqs:SendMessage"], [getAtt(dlq)]),
        allow(["dynamodb:GetItem", "dynamodb:UpdateItem"], [inApp("dynamodb", `:table/${PREFIX}-cases`)]),
        allow(
          ["secretsmanager:GetSecretValue"],
          [inApp("secretsmanager", `:secret:${PREFIX}/case-link-key-??????`)],
        ),
        allow(["s3:DeleteObject", "s3:GetObject"], [{ "Fn::Join": ["", [getAtt(bucketId), "/inbound/*"]] }]),
        allow(["ses:SendEmail"], [inApp("ses", `:identity/${SENDER}`), inApp("ses", ":identity/example.dk")]),
      ]),
    );
    expect(s.indgang.inboundMailStack?.inboundMail.granted).toEqual(
      new Set([
        "dynamodb:GetItem",
        "dynamodb:UpdateItem",
        "s3:DeleteObject",
        "s3:GetObject",
        "sqs:SendMessage",
      ]),
    );
  });

  it("without a sender, it may not send e-mail", () => {
    const plain = synthIndgang({ context: { replyDomain: DOMAIN } });
    try {
      const statements = roleStatements(
        plain.inboundMail as Template,
        functionRoleId(plain.inboundMail as Template, FN),
      );
      expect(statements.flatMap((st) => st.actions).filter((a) => a.startsWith("ses:"))).toEqual([]);
    } finally {
      plain.dispose();
    }
  });

  it("knows the application's region, the table, the key by name, the bucket, the prefix and the reply domain; a DLQ takes failed events", () => {
    const [bucketId] = messagesBucket();
    const [, fn] = one("AWS::Lambda::Function");
    const env = prop<{ Variables: Record<string, unknown> }>(fn, "Environment").Variables;
    expect(env).toMatchObject({
      APP_REGION: "eu-north-1",
      TABLE_NAME: `${PREFIX}-cases`,
      CASE_LINK_SECRET_ARN: `${PREFIX}/case-link-key`,
      INBOUND_MAIL_BUCKET: { Ref: bucketId },
      INBOUND_MAIL_PREFIX: "inbound/",
      REPLY_DOMAIN: DOMAIN,
      NOTIFY_FROM_EMAIL: SENDER,
      INDGANG_MODE: "aws",
    });
    expect(env).not.toHaveProperty("AWS_REGION");
    const [dlqId, dlq] = one("AWS::SQS::Queue");
    expect(refOf(prop<{ TargetArn: unknown }>(fn, "DeadLetterConfig").TargetArn)).toBe(dlqId);
    expect(dlq.Properties).toMatchObject({
      QueueName: `${PREFIX}-inbound-mail-dlq`,
      SqsManagedSseEnabled: true,
    });
  });

  it("alarms on its dead letters, errors and throttles, in its own region", () => {
    const alarms = resources(t, "AWS::CloudWatch::Alarm").map(([, a]) => a.Properties ?? {});
    expect(alarms.map((a) => a.AlarmName).sort()).toEqual(
      ["dead-letters", "errors", "throttles"].map((n) => `${PREFIX}-inbound-mail-${n}`),
    );
    const [topicId] = one("AWS::SNS::Topic");
    for (const a of alarms) {
      expect(a.Threshold).toBe(0);
      expect(a.AlarmActions).toEqual([{ Ref: topicId }]);
    }
  });
});

describe("the inbound-mail bundle", () => {
  it("is built locally by esbuild: one minified ESM file with the S3 client inside; the templates pass CloudFormation's schema validation", () => {
    // As `npx cdk synth` does (schema validation on), bundling only this stack's function.
    const built = synthIndgang({
      cli: true,
      context: { replyDomain: DOMAIN, "aws:cdk:bundling-stacks": [`Indgang-dev-InboundMail`] },
    });
    try {
      const [, fn] = resources(built.inboundMail as Template, "AWS::Lambda::Function")[0] ?? [];
      const key = prop<{ S3Key: string }>(fn, "Code").S3Key;
      const bundle = join(built.assembly.directory, `asset.${key.replace(/\.zip$/, "")}`, "index.mjs");
      expect(existsSync(bundle)).toBe(true);
      const code = readFileSync(bundle, "utf8");
      expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
      expect(code).toContain("GetObjectCommand");
      expect(statSync(bundle).size).toBeGreaterThan(10_000);
    } finally {
      built.dispose();
    }
  }, 120_000);
});
