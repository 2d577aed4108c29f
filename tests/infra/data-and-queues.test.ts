import { Match } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadInfraConfig } from "#infra/stack-config.ts";
import { DEFAULT_CONSORTIUM_IDS } from "#shared/reference/consortia.ts";
import { dlqName, QUEUE_DEFAULTS, queueDefinitions, queueName, TABLE, tableName } from "#shared/resources.ts";
import { prop, queueId, refOf, resources, type Synthesized, synthIndgang } from "./synth.ts";

const PREFIX = "indgang-dev";
const FOURTEEN_DAYS = 14 * 24 * 3600;

let s: Synthesized;
beforeAll(() => {
  s = synthIndgang();
});
afterAll(() => s.dispose());

describe("the case table", () => {
  it("has the keys, indexes and TTL attribute of shared/resources.ts", () => {
    s.template.hasResourceProperties("AWS::DynamoDB::Table", {
      TableName: tableName(PREFIX),
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: "HASH" },
        { AttributeName: TABLE.sortKey, KeyType: "RANGE" },
      ],
      BillingMode: "PAY_PER_REQUEST",
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      GlobalSecondaryIndexes: Object.values(TABLE.indexes).map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: "HASH" },
          { AttributeName: index.sortKey, KeyType: "RANGE" },
        ],
        Projection: Match.anyValue(),
      })),
    });
  });

  it("projects into each index only what its readers use", () => {
    const [, table] = resources(s.template, "AWS::DynamoDB::Table")[0] ?? [];
    const gsis = (table?.Properties?.GlobalSecondaryIndexes ?? []) as {
      IndexName: string;
      Projection: unknown;
    }[];
    expect(Object.fromEntries(gsis.map((g) => [g.IndexName, g.Projection]))).toEqual({
      byConsortium: { ProjectionType: "ALL" },
      byCompany: { ProjectionType: "KEYS_ONLY" },
      pending: { ProjectionType: "INCLUDE", NonKeyAttributes: ["reference", "status", "consortiumId"] },
      byDay: {
        ProjectionType: "INCLUDE",
        NonKeyAttributes: [
          "reference",
          "status",
          "receivedAt",
          "needs",
          "consortiumId",
          "outcome",
          "closedAt",
          "firstClaimedAt",
          "campaignId",
          "firstContactAt",
          "ratingScore",
        ],
      },
    });
  });

  it("has point-in-time recovery, deletion protection and encryption, and is retained on stack delete", () => {
    const tables = resources(s.template, "AWS::DynamoDB::Table");
    expect(tables).toHaveLength(1);
    const [, table] = tables[0] ?? [];
    expect(table?.DeletionPolicy).toBe("Retain");
    expect(table?.UpdateReplacePolicy).toBe("Retain");
    expect(table?.Properties).toMatchObject({
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      SSESpecification: { SSEEnabled: true },
    });
  });
});

describe("the queues", () => {
  const definitions = queueDefinitions(DEFAULT_CONSORTIUM_IDS);

  it("are exactly queueDefinitions(consortia) plus their DLQs and the sweeper's DLQ", () => {
    const names = resources(s.template, "AWS::SQS::Queue").map(([, q]) => q.Properties?.QueueName);
    const expected = [
      ...definitions.flatMap((d) => [queueName(PREFIX, d), dlqName(PREFIX, d)]),
      dlqName(PREFIX, { suffix: "sweeper" }),
    ];
    expect([...names].sort()).toEqual([...expected].sort());
  });

  it.each(definitions.map((d) => [d.suffix, d] as const))(
    "%s has a DLQ and the secure settings",
    (_, def) => {
      const dlq = queueId(s.template, dlqName(PREFIX, def));
      s.template.hasResourceProperties("AWS::SQS::Queue", {
        QueueName: queueName(PREFIX, def),
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: QUEUE_DEFAULTS.retentionSeconds,
        VisibilityTimeout: Match.anyValue(),
        RedrivePolicy: {
          deadLetterTargetArn: { "Fn::GetAtt": [dlq, "Arn"] },
          maxReceiveCount: Match.anyValue(),
        },
      });
      const [, queue] =
        resources(s.template, "AWS::SQS::Queue", { QueueName: queueName(PREFIX, def) })[0] ?? [];
      const props = queue?.Properties as {
        VisibilityTimeout: number;
        RedrivePolicy: { maxReceiveCount: number };
      };
      expect(props.RedrivePolicy.maxReceiveCount).toBeGreaterThanOrEqual(5);
      expect(props.VisibilityTimeout).toBeGreaterThanOrEqual(6 * QUEUE_DEFAULTS.consumerTimeoutSeconds);
      s.template.hasResourceProperties("AWS::SQS::Queue", {
        QueueName: dlqName(PREFIX, def),
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: FOURTEEN_DAYS,
      });
    },
  );

  it("every queue and DLQ denies requests that do not use TLS", () => {
    const queues = resources(s.template, "AWS::SQS::Queue").map(([id]) => id);
    const enforced = new Set<string>();
    for (const [, policy] of resources(s.template, "AWS::SQS::QueuePolicy")) {
      const statements = prop<{ Statement: Record<string, unknown>[] }>(policy, "PolicyDocument").Statement;
      const deniesPlainHttp = statements.some(
        (st) =>
          st.Effect === "Deny" &&
          JSON.stringify(st.Condition) === JSON.stringify({ Bool: { "aws:SecureTransport": "false" } }),
      );
      if (!deniesPlainHttp) continue;
      for (const q of prop<unknown[]>(policy, "Queues")) {
        const id = refOf(q);
        if (id) enforced.add(id);
      }
    }
    expect(queues.filter((id) => !enforced.has(id))).toEqual([]);
  });

  it("follows the consortium list from context", () => {
    const custom = synthIndgang({ context: { stage: "test", consortia: "nord,syd" } });
    try {
      const names = resources(custom.template, "AWS::SQS::Queue").map(([, q]) =>
        String(q.Properties?.QueueName),
      );
      expect(names.filter((n) => !n.endsWith("-dlq")).sort()).toEqual(
        queueDefinitions(["nord", "syd"])
          .map((d) => queueName("indgang-test", d))
          .sort(),
      );
      custom.template.resourceCountIs("AWS::Cognito::UserPoolGroup", 3);
    } finally {
      custom.dispose();
    }
  });
});

describe("configuration from context", () => {
  const context = (values: Record<string, unknown>) => ({ tryGetContext: (key: string) => values[key] });

  it("defaults to the dev stage and the eight default consortia", () => {
    const config = loadInfraConfig(context({}), {});
    expect(config.stage).toBe("dev");
    expect(config.prefix).toBe("indgang-dev");
    expect(config.consortiumIds).toEqual(DEFAULT_CONSORTIUM_IDS);
    expect(config.allowedOrigins).toEqual([]);
  });

  it("accepts a JSON array, and derives the CORS allow-list from the public URL", () => {
    const config = loadInfraConfig(
      context({ stage: "prod", consortia: '["a-b","c-d"]', publicBaseUrl: "https://indgang.example.dk/" }),
      {},
    );
    expect(config.consortiumIds).toEqual(["a-b", "c-d"]);
    expect(config.allowedOrigins).toEqual(["https://indgang.example.dk"]);
    expect(config.logRetentionDays).toBe(90);
  });

  it.each([
    [{ stage: "Prod" }, /stage/],
    [{ consortia: "ok-id,ok-id" }, /twice/],
    [{ consortia: "Not An Id" }, /not a valid consortium id/],
    [{ allowedOrigins: "http://example.dk" }, /https origin/],
    [{ domainName: "indgang.example.dk" }, /together/],
    [{ webAclArn: "arn:aws:wafv2:eu-north-1:123456789012:regional/webacl/x/y" }, /us-east-1/],
    [{ logRetentionDays: 10 }, /logRetentionDays/],
  ])("rejects %j", (values, message) => {
    expect(() => loadInfraConfig(context(values), {})).toThrow(message);
  });
});
