import { Runtime } from "aws-cdk-lib/aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { entryExists } from "#infra/constructs/functions.ts";
import { FUNCTIONS } from "#infra/stack.ts";
import { DEFAULT_CONSORTIUM_IDS } from "#shared/reference/consortia.ts";
import { consortiumQueue, dlqName, INTAKE_QUEUE, MANUAL_QUEUE, queueName, TABLE } from "#shared/resources.ts";
import {
  type CfnResource,
  functionRoleId,
  prop,
  queueId,
  refOf,
  resources,
  roleStatements,
  type Statement,
  type Synthesized,
  synthIndgang,
} from "./synth.ts";

const PREFIX = "indgang-dev";
const fnName = (spec: { name: string }) => `${PREFIX}-${spec.name}`;
const staffDeployed = entryExists(FUNCTIONS.staffApi.entry);
/** The application stack's functions (the inbound-mail function has its own stack: inbound-mail.test.ts). */
const deployedSpecs = Object.values(FUNCTIONS).filter(
  (f) => !("inboundMailStack" in f) && (!("optional" in f) || staffDeployed),
);

/** The newest Node.js runtime this aws-cdk-lib knows: what "current" means at synthesis. */
const LATEST_NODE = Runtime.ALL.filter((r) => r.name.startsWith("nodejs"))
  .map((r) => r.name)
  .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
  .at(-1);

let s: Synthesized;
let functions: [string, CfnResource][];
beforeAll(() => {
  s = synthIndgang();
  functions = resources(s.template, "AWS::Lambda::Function");
});
afterAll(() => s.dispose());

const arn = (logicalId: string) => ({ "Fn::GetAtt": [logicalId, "Arn"] });
const table = () => resources(s.template, "AWS::DynamoDB::Table")[0]?.[0] ?? "";
const queueArn = (name: string) => arn(queueId(s.template, name));
/**
 * What a set of statements allows, as sorted "action resource" pairs: independent of how CDK
 * groups or orders statements (the minimizePolicies flag merges them).
 */
const sorted = (statements: Statement[]) =>
  [
    ...new Set(
      statements.flatMap((st) =>
        st.actions.flatMap((action) =>
          st.resources.map((r) => `${st.effect} ${action} ${JSON.stringify(r)}`),
        ),
      ),
    ),
  ].sort();

describe("every function", () => {
  it("is one of FUNCTIONS, deployed as <prefix>-<name>", () => {
    const names = functions.map(([, f]) => f.Properties?.FunctionName).sort();
    expect(names).toEqual(deployedSpecs.map(fnName).sort());
  });

  it("runs on arm64 and the current Node.js runtime, with JSON logs, X-Ray and a log group with retention", () => {
    expect(LATEST_NODE).toBeDefined();
    for (const [id, fn] of functions) {
      expect(fn.Properties, id).toMatchObject({
        Architectures: ["arm64"],
        Runtime: LATEST_NODE,
        Handler: "index.handler",
        TracingConfig: { Mode: "Active" },
        LoggingConfig: { LogFormat: "JSON" },
      });
      const logGroup = refOf(prop<{ LogGroup: unknown }>(fn, "LoggingConfig").LogGroup);
      expect(logGroup, id).toBeDefined();
      const [, group] = resources(s.template, "AWS::Logs::LogGroup").find(([lid]) => lid === logGroup) ?? [];
      expect(group?.Properties?.RetentionInDays, id).toBeGreaterThan(0);
    }
  });

  it("has the timeout and memory of its spec and the environment of shared/config.ts", () => {
    for (const spec of deployedSpecs) {
      const [, fn] = resources(s.template, "AWS::Lambda::Function", { FunctionName: fnName(spec) })[0] ?? [];
      expect(fn?.Properties?.Timeout, spec.name).toBe(spec.timeout.toSeconds());
      expect(fn?.Properties?.MemorySize, spec.name).toBe(256);
      const env = prop<{ Variables: Record<string, unknown> }>(fn, "Environment").Variables;
      expect(Object.keys(env).sort(), spec.name).toEqual(
        expect.arrayContaining([
          "INDGANG_MODE",
          "RESOURCE_PREFIX",
          "TABLE_NAME",
          "QUEUE_URL_PREFIX",
          "PUBLIC_BASE_URL",
          "SWEEP_AFTER_SECONDS",
          "RETENTION_DAYS",
          "METRICS_NAMESPACE",
        ]),
      );
      expect(env.INDGANG_MODE).toBe("aws");
      expect(env.METRICS_NAMESPACE).toMatch(/^Indgang\/[a-z0-9-]+$/);
      expect(env.RESOURCE_PREFIX).toBe(PREFIX);
    }
  });

  it("uses its own role: no managed policies, no inline role policies", () => {
    for (const [id, fn] of functions) {
      const [, role] =
        resources(s.template, "AWS::IAM::Role").find(([rid]) => rid === refOf(fn.Properties?.Role)) ?? [];
      expect(role?.Properties?.ManagedPolicyArns, id).toBeUndefined();
      expect(role?.Properties?.Policies, id).toBeUndefined();
    }
  });

  it("never gets a wildcard action, and '*' as a resource only for X-Ray", () => {
    for (const spec of deployedSpecs) {
      for (const st of roleStatements(s.template, functionRoleId(s.template, fnName(spec)))) {
        expect(st.effect).toBe("Allow");
        for (const action of st.actions) expect(action, spec.name).not.toContain("*");
        if (st.resources.includes("*")) {
          expect(
            st.actions.every((a) => a.startsWith("xray:")),
            `${spec.name}: ${st.actions}`,
          ).toBe(true);
        }
      }
    }
  });
});

describe("least privilege", () => {
  const statementsOf = (spec: { name: string }) =>
    roleStatements(s.template, functionRoleId(s.template, fnName(spec)));
  const logGroupOf = (spec: { name: string }) => {
    const [, fn] = resources(s.template, "AWS::Lambda::Function", { FunctionName: fnName(spec) })[0] ?? [];
    return refOf(prop<{ LogGroup: unknown }>(fn, "LoggingConfig").LogGroup) ?? "";
  };
  const common = (spec: { name: string }): Statement[] => [
    {
      effect: "Allow",
      actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
      resources: [arn(logGroupOf(spec))],
    },
    { effect: "Allow", actions: ["xray:PutTelemetryRecords", "xray:PutTraceSegments"], resources: ["*"] },
  ];
  const inboxQueueArns = () =>
    [MANUAL_QUEUE, ...DEFAULT_CONSORTIUM_IDS.map(consortiumQueue)].map((d) => queueArn(queueName(PREFIX, d)));
  const consume = (name: string): Statement => ({
    effect: "Allow",
    actions: [
      "sqs:ChangeMessageVisibility",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:ReceiveMessage",
    ],
    resources: [queueArn(name)],
  });

  /** The one secret the company's status links are derived from (public function and delivery worker). */
  const caseLinkSecret = () => {
    const found = resources(s.template, "AWS::SecretsManager::Secret", { Name: `${PREFIX}/case-link-key` });
    expect(found).toHaveLength(1);
    return {
      effect: "Allow",
      actions: ["secretsmanager:GetSecretValue"],
      resources: [{ Ref: found[0]?.[0] }],
    };
  };

  it("the public function may put, read and update cases (a company's message), send to the intake queue and read the case-link key: nothing else", () => {
    expect(sorted(statementsOf(FUNCTIONS.publicApi))).toEqual(
      sorted([
        ...common(FUNCTIONS.publicApi),
        caseLinkSecret(),
        {
          effect: "Allow",
          actions: [
            "dynamodb:ConditionCheckItem",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
          ],
          resources: [arn(table())],
        },
        {
          effect: "Allow",
          actions: ["sqs:SendMessage"],
          resources: [queueArn(queueName(PREFIX, INTAKE_QUEUE))],
        },
      ]),
    );
  });

  it("the triage worker consumes the intake queue and sends to the inbox queues", () => {
    expect(sorted(statementsOf(FUNCTIONS.triageWorker))).toEqual(
      sorted([
        ...common(FUNCTIONS.triageWorker),
        {
          effect: "Allow",
          actions: ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:UpdateItem"],
          resources: [arn(table())],
        },
        consume(queueName(PREFIX, INTAKE_QUEUE)),
        { effect: "Allow", actions: ["sqs:SendMessage"], resources: inboxQueueArns() },
      ]),
    );
  });

  it("the delivery worker consumes the inbox queues, sends nowhere, and reads only the webhook and case-link keys", () => {
    const secrets = resources(s.template, "AWS::SecretsManager::Secret", {
      Name: `${PREFIX}/webhook-signing-key`,
    });
    expect(secrets).toHaveLength(1);
    expect(sorted(statementsOf(FUNCTIONS.deliveryWorker))).toEqual(
      sorted([
        ...common(FUNCTIONS.deliveryWorker),
        { effect: "Allow", actions: ["dynamodb:GetItem", "dynamodb:UpdateItem"], resources: [arn(table())] },
        {
          effect: "Allow",
          actions: ["secretsmanager:GetSecretValue"],
          resources: [{ Ref: secrets[0]?.[0] }],
        },
        caseLinkSecret(),
        ...[MANUAL_QUEUE, ...DEFAULT_CONSORTIUM_IDS.map(consortiumQueue)].map((d) =>
          consume(queueName(PREFIX, d)),
        ),
      ]),
    );
  });

  it("the sweeper queries only the pending index and re-sends to the work queues", () => {
    expect(sorted(statementsOf(FUNCTIONS.sweeper))).toEqual(
      sorted([
        ...common(FUNCTIONS.sweeper),
        { effect: "Allow", actions: ["dynamodb:GetItem", "dynamodb:UpdateItem"], resources: [arn(table())] },
        {
          effect: "Allow",
          actions: ["dynamodb:Query"],
          resources: [{ "Fn::Join": ["", [arn(table()), `/index/${TABLE.indexes.pending.name}`]] }],
        },
        {
          effect: "Allow",
          actions: ["sqs:SendMessage"],
          resources: [queueArn(queueName(PREFIX, INTAKE_QUEUE)), ...inboxQueueArns()],
        },
        {
          effect: "Allow",
          actions: ["sqs:SendMessage"],
          resources: [queueArn(dlqName(PREFIX, { suffix: "sweeper" }))],
        },
      ]),
    );
  });

  it.runIf(staffDeployed)(
    "the staff function: cases, rules, consortia, campaigns and audit on the table; three indexes; transfers; dead letters",
    () => {
      const dlqArns = [INTAKE_QUEUE, MANUAL_QUEUE, ...DEFAULT_CONSORTIUM_IDS.map(consortiumQueue)].map((d) =>
        queueArn(dlqName(PREFIX, d)),
      );
      expect(sorted(statementsOf(FUNCTIONS.staffApi))).toEqual(
        sorted([
          ...common(FUNCTIONS.staffApi),
          {
            effect: "Allow",
            actions: [
              "dynamodb:BatchGetItem",
              "dynamodb:GetItem",
              "dynamodb:PutItem",
              "dynamodb:Query",
              "dynamodb:UpdateItem",
            ],
            resources: [arn(table())],
          },
          {
            effect: "Allow",
            actions: ["dynamodb:Query"],
            resources: [
              TABLE.indexes.byConsortium.name,
              TABLE.indexes.byCompany.name,
              TABLE.indexes.byDay.name,
            ].map((name) => ({ "Fn::Join": ["", [arn(table()), `/index/${name}`]] })),
          },
          { effect: "Allow", actions: ["sqs:SendMessage"], resources: inboxQueueArns() },
          {
            effect: "Allow",
            actions: [
              "sqs:ChangeMessageVisibility",
              "sqs:DeleteMessage",
              "sqs:GetQueueAttributes",
              "sqs:ReceiveMessage",
            ],
            resources: dlqArns,
          },
          {
            effect: "Allow",
            actions: ["sqs:SendMessage"],
            resources: [queueArn(queueName(PREFIX, INTAKE_QUEUE)), ...inboxQueueArns()],
          },
          caseLinkSecret(),
        ]),
      );
    },
  );

  it("no queue or table grants access through a resource policy", () => {
    for (const [, policy] of resources(s.template, "AWS::SQS::QueuePolicy")) {
      const statements = prop<{ Statement: Record<string, unknown>[] }>(policy, "PolicyDocument").Statement;
      for (const st of statements.filter((x) => x.Effect === "Allow")) {
        // Only EventBridge may send failed sweeper events to the sweeper's DLQ.
        expect(st.Principal).toEqual({ Service: "events.amazonaws.com" });
        expect(st.Action).toBe("sqs:SendMessage");
      }
    }
    s.template.resourcePropertiesCountIs("AWS::DynamoDB::Table", { ResourcePolicy: {} }, 0);
  });
});

describe("e-mail notices through SES", () => {
  const SENDER = "indgang@notify.example.dk";
  let withSender: Synthesized;
  beforeAll(() => {
    withSender = synthIndgang({ context: { notifyFromEmail: SENDER } });
  });
  afterAll(() => withSender?.dispose());

  const envOf = (template: Synthesized["template"], spec: { name: string }) => {
    const [, fn] = resources(template, "AWS::Lambda::Function", { FunctionName: fnName(spec) })[0] ?? [];
    return prop<{ Variables: Record<string, unknown> }>(fn, "Environment").Variables;
  };
  /** Every statement naming an SES action, with its condition, in any policy of the template. */
  const sesStatements = (template: Synthesized["template"]) =>
    resources(template, "AWS::IAM::Policy").flatMap(([, p]) =>
      prop<{ Statement: Record<string, unknown>[] }>(p, "PolicyDocument")
        .Statement.filter((st) => JSON.stringify(st.Action).includes("ses:"))
        .map((st) => ({ ...st, roles: prop<unknown[]>(p, "Roles").map(refOf) })),
    );
  const identityArn = (name: string) => ({
    "Fn::Join": ["", ["arn:aws:ses:eu-north-1:", { Ref: "AWS::AccountId" }, `:identity/${name}`]],
  });

  it("only the public and staff functions and the delivery worker know where the case-link key is", () => {
    const withKey = deployedSpecs.filter((spec) => "CASE_LINK_SECRET_ARN" in envOf(s.template, spec));
    expect(withKey.map((spec) => spec.name).sort()).toEqual(
      [FUNCTIONS.publicApi, FUNCTIONS.deliveryWorker, ...(staffDeployed ? [FUNCTIONS.staffApi] : [])]
        .map((spec) => spec.name)
        .sort(),
    );
    for (const spec of deployedSpecs)
      expect(envOf(s.template, spec), spec.name).not.toHaveProperty("CASE_LINK_SECRET");
  });

  it("without a sender: no SES grant anywhere and no NOTIFY_FROM_EMAIL", () => {
    expect(sesStatements(s.template)).toEqual([]);
    for (const spec of deployedSpecs)
      expect(envOf(s.template, spec), spec.name).not.toHaveProperty("NOTIFY_FROM_EMAIL");
  });

  it("with a sender: only the delivery worker and the staff function (messages to companies) may ses:SendEmail, on the sender's identities, as that From address", () => {
    const t = withSender.template;
    const senders = [FUNCTIONS.deliveryWorker, ...(staffDeployed ? [FUNCTIONS.staffApi] : [])];
    expect(sesStatements(t)).toEqual(
      senders.map((spec) => ({
        Effect: "Allow",
        Action: "ses:SendEmail",
        Resource: [identityArn(SENDER), identityArn("notify.example.dk")],
        Condition: { StringEquals: { "ses:FromAddress": SENDER } },
        roles: [functionRoleId(t, fnName(spec))],
      })),
    );
    for (const spec of deployedSpecs) {
      const env = envOf(t, spec);
      if (senders.some((x) => x.name === spec.name)) expect(env.NOTIFY_FROM_EMAIL).toBe(SENDER);
      else expect(env, spec.name).not.toHaveProperty("NOTIFY_FROM_EMAIL");
    }
  });

  it("refuses a sender that is not an e-mail address", () => {
    expect(() => synthIndgang({ context: { notifyFromEmail: "not-an-address" } })).toThrow(
      /context "notifyFromEmail" must be an e-mail address/,
    );
  });
});

describe("SQS event sources", () => {
  const mappings = () => resources(s.template, "AWS::Lambda::EventSourceMapping");

  it("one per consumed queue, each reporting batch item failures with a maximum concurrency", () => {
    expect(mappings()).toHaveLength(2 + DEFAULT_CONSORTIUM_IDS.length);
    for (const [id, m] of mappings()) {
      expect(m.Properties, id).toMatchObject({
        FunctionResponseTypes: ["ReportBatchItemFailures"],
        BatchSize: 10,
        ScalingConfig: { MaximumConcurrency: expect.any(Number) },
      });
      const concurrency = prop<{ MaximumConcurrency: number }>(m, "ScalingConfig").MaximumConcurrency;
      expect(concurrency).toBeGreaterThanOrEqual(2);
      expect(concurrency).toBeLessThanOrEqual(10);
    }
  });

  it("every consumed queue's visibility timeout is at least 6 x its consumer's timeout", () => {
    const byId = new Map([...resources(s.template, "AWS::SQS::Queue"), ...functions]);
    for (const [id, m] of mappings()) {
      const queue = byId.get(refOf(m.Properties?.EventSourceArn) ?? "");
      const fn = byId.get(refOf(m.Properties?.FunctionName) ?? "");
      const visibility = queue?.Properties?.VisibilityTimeout;
      const timeout = fn?.Properties?.Timeout;
      expect(typeof visibility === "number" && typeof timeout === "number", id).toBe(true);
      expect(visibility as number, id).toBeGreaterThanOrEqual(6 * (timeout as number));
    }
  });

  it("is created after the role's permissions, so the first poll is allowed", () => {
    for (const [id, fn] of functions) {
      const policies = resources(s.template, "AWS::IAM::Policy")
        .filter(([, p]) => prop<unknown[]>(p, "Roles").map(refOf).includes(refOf(fn.Properties?.Role)))
        .map(([pid]) => pid);
      expect(fn.DependsOn ?? [], id).toEqual(expect.arrayContaining(policies));
    }
  });
});

describe("the sweeper's schedule", () => {
  it("invokes the sweeper every minute, with a dead-letter queue for failed deliveries", () => {
    const sweeper = resources(s.template, "AWS::Lambda::Function", {
      FunctionName: fnName(FUNCTIONS.sweeper),
    })[0];
    const dlq = queueId(s.template, dlqName(PREFIX, { suffix: "sweeper" }));
    s.template.hasResourceProperties("AWS::Events::Rule", {
      ScheduleExpression: "rate(1 minute)",
      State: "ENABLED",
      Targets: [{ Arn: arn(sweeper?.[0] ?? ""), DeadLetterConfig: { Arn: arn(dlq) }, RetryPolicy: {} }],
    });
    expect(sweeper?.[1].Properties?.DeadLetterConfig).toEqual({ TargetArn: arn(dlq) });
  });
});
