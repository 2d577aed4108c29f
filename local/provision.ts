/**
 * Creates the local table and queues from `shared/resources.ts`, the one description that the CDK
 * stack also builds from. Idempotent and convergent: running it again is a no-op when everything
 * matches, adds missing indexes / TTL / queues, and resets drifted queue attributes to the
 * definitions.
 */
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type Projection,
  ResourceInUseException,
  type TableDescription,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type QueueAttributeName,
  QueueNameExists,
  SetQueueAttributesCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import {
  consortiumQueue,
  dlqName,
  type IndexProjection,
  QUEUE_DEFAULTS,
  type QueueDefinition,
  queueDefinitions,
  queueName,
  TABLE,
  tableName,
} from "#shared/resources.ts";

export interface ProvisionedQueue {
  url: string;
  arn: string;
  dlqUrl: string;
  dlqArn: string;
}

export interface ProvisionResult {
  tableName: string;
  /** Keyed by queue suffix (`intake`, `manual-triage`, `consortium-<id>`). */
  queueUrls: Record<string, ProvisionedQueue>;
}

export interface ProvisionOptions {
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  prefix: string;
  consortiumIds: string[];
}

const TABLE_WAIT_MS = 60_000;

export async function provision(options: ProvisionOptions): Promise<ProvisionResult> {
  const { dynamodb, sqs, prefix, consortiumIds } = options;
  const [table, queues] = await Promise.all([
    ensureTable(dynamodb, prefix),
    Promise.all(queueDefinitions(consortiumIds).map((def) => ensureQueue(sqs, prefix, def))),
  ]);
  const queueUrls: Record<string, ProvisionedQueue> = {};
  queueDefinitions(consortiumIds).forEach((def, i) => {
    const queue = queues[i];
    if (queue !== undefined) queueUrls[def.suffix] = queue;
  });
  return { tableName: table, queueUrls };
}

/** Creates (or converges) the queue pair of a consortium added after start-up. */
export async function ensureConsortiumQueue(
  sqs: SQSClient,
  prefix: string,
  consortiumId: string,
): Promise<ProvisionedQueue> {
  return await ensureQueue(sqs, prefix, consortiumQueue(consortiumId));
}

// ---------------------------------------------------------------------------------------------
// DynamoDB

function indexDefinitions(): GlobalSecondaryIndex[] {
  return Object.values(TABLE.indexes).map((index) => ({
    IndexName: index.name,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: "HASH" },
      { AttributeName: index.sortKey, KeyType: "RANGE" },
    ],
    Projection: projectionOf(index.projection),
  }));
}

function projectionOf(projection: IndexProjection): Projection {
  return typeof projection === "string"
    ? { ProjectionType: projection }
    : { ProjectionType: "INCLUDE", NonKeyAttributes: [...projection] };
}

function attributeDefinitions(): AttributeDefinition[] {
  const names = new Set<string>([TABLE.partitionKey, TABLE.sortKey]);
  for (const index of Object.values(TABLE.indexes)) {
    names.add(index.partitionKey);
    names.add(index.sortKey);
  }
  return [...names].map((name) => ({ AttributeName: name, AttributeType: "S" }));
}

async function ensureTable(dynamodb: DynamoDBClient, prefix: string): Promise<string> {
  const name = tableName(prefix);
  try {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: "PAY_PER_REQUEST",
        KeySchema: [
          { AttributeName: TABLE.partitionKey, KeyType: "HASH" },
          { AttributeName: TABLE.sortKey, KeyType: "RANGE" },
        ],
        AttributeDefinitions: attributeDefinitions(),
        GlobalSecondaryIndexes: indexDefinitions(),
      }),
    );
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err;
  }
  let description = await waitForTableActive(dynamodb, name);

  // Indexes added to resources.ts after the table was created: one UpdateTable per index. An index
  // whose projection changed since (DynamoDB cannot change one in place) is dropped and built again.
  for (const index of indexDefinitions()) {
    const existing = description.GlobalSecondaryIndexes?.find((gsi) => gsi.IndexName === index.IndexName);
    if (existing && sameProjection(existing.Projection, index.Projection)) continue;
    if (existing) {
      await dynamodb.send(
        new UpdateTableCommand({
          TableName: name,
          GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: index.IndexName } }],
        }),
      );
      await waitForTableActive(dynamodb, name);
    }
    await dynamodb.send(
      new UpdateTableCommand({
        TableName: name,
        AttributeDefinitions: attributeDefinitions(),
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      }),
    );
    description = await waitForTableActive(dynamodb, name);
  }

  const ttl = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: name }));
  const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
  const attribute = ttl.TimeToLiveDescription?.AttributeName;
  if (status === "ENABLED" || status === "ENABLING") {
    if (attribute !== TABLE.ttlAttribute) {
      throw new Error(`table ${name} has TTL on "${attribute}", expected "${TABLE.ttlAttribute}"`);
    }
  } else {
    await dynamodb.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      }),
    );
  }
  return name;
}

function sameProjection(a: Projection | undefined, b: Projection | undefined): boolean {
  const attrs = (p: Projection | undefined) => [...(p?.NonKeyAttributes ?? [])].sort().join(",");
  return a?.ProjectionType === b?.ProjectionType && attrs(a) === attrs(b);
}

async function waitForTableActive(dynamodb: DynamoDBClient, name: string): Promise<TableDescription> {
  const deadline = Date.now() + TABLE_WAIT_MS;
  for (;;) {
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: name }));
    const ready =
      Table?.TableStatus === "ACTIVE" &&
      (Table.GlobalSecondaryIndexes ?? []).every((gsi) => gsi.IndexStatus === "ACTIVE");
    if (ready && Table !== undefined) return Table;
    if (Date.now() > deadline) throw new Error(`table ${name} did not become ACTIVE in time`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ---------------------------------------------------------------------------------------------
// SQS

type QueueAttributes = Partial<Record<QueueAttributeName, string>>;

async function ensureQueue(sqs: SQSClient, prefix: string, def: QueueDefinition): Promise<ProvisionedQueue> {
  const dlqUrl = await createOrConverge(sqs, dlqName(prefix, def), {
    MessageRetentionPeriod: String(QUEUE_DEFAULTS.dlqRetentionSeconds),
  });
  const dlqArn = await queueArn(sqs, dlqUrl);
  const url = await createOrConverge(sqs, queueName(prefix, def), {
    VisibilityTimeout: String(QUEUE_DEFAULTS.visibilityTimeoutSeconds),
    MessageRetentionPeriod: String(QUEUE_DEFAULTS.retentionSeconds),
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: dlqArn,
      maxReceiveCount: QUEUE_DEFAULTS.maxReceiveCount,
    }),
  });
  return { url, arn: await queueArn(sqs, url), dlqUrl, dlqArn };
}

/**
 * CreateQueue is idempotent only for identical attributes; a queue of that name with other
 * attributes answers QueueNameExists, and is then brought back to the definition.
 */
async function createOrConverge(sqs: SQSClient, name: string, attributes: QueueAttributes): Promise<string> {
  try {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    if (QueueUrl === undefined) throw new Error(`CreateQueue ${name} returned no QueueUrl`);
    return QueueUrl;
  } catch (err) {
    if (!isQueueNameExists(err)) throw err;
  }
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  if (QueueUrl === undefined) throw new Error(`GetQueueUrl ${name} returned no QueueUrl`);
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: attributes }));
  return QueueUrl;
}

/**
 * fauxqs 1.9.2 sends the query-compatible code `AWS.SimpleQueueService.QueueNameExists` (AWS uses
 * `QueueAlreadyExists`), which the SDK does not map to its `QueueNameExists` class: match by name too.
 */
function isQueueNameExists(err: unknown): boolean {
  return (
    err instanceof QueueNameExists ||
    (err instanceof Error && /QueueNameExists|QueueAlreadyExists/.test(err.name))
  );
}

async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }),
  );
  const arn = Attributes?.QueueArn;
  if (arn === undefined) throw new Error(`no QueueArn for ${url}`);
  return arn;
}
